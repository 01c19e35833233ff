/**
 * The one registry of error codes the kit raises or explains: what each means and what to do
 * about it. Hints may depend on where a code arrived (`at`): Qlik's `OAUTH-5` means one thing at
 * the code exchange and another at the websocket-token exchange. The README's error table is
 * generated from this file (scripts/generate-docs.ts), and a test checks that every code the kit
 * throws has an entry here.
 *
 * `{name}` in a hint is filled from the hint context (`redirect`, `endpoint`, `timeoutMs`).
 */

/** Where a code arrived: the step that failed. */
export type ErrorSite = 'authorize' | 'code-exchange' | 'refresh' | 'revoke' | 'websocket-token' | 'backend' | 'engine';

export interface ErrorEntry {
  /** What happened, in one sentence. */
  cause: string;
  /** What to do about it, wherever it arrived. */
  hint: string;
  /** A more precise hint for some sites. */
  at?: Partial<Record<ErrorSite, string>>;
}

const AGAIN = 'Sign in again.';
const INTERACT = 'The server needs the user to interact; sign in again without prompt=none.';
const qlik = (code: string): string => `The Qlik tenant answered \`${code}\`.`;
const rfc = (code: string): string => `The authorization server answered \`${code}\` (RFC 6749).`;

export const ERROR_REGISTRY: Readonly<Record<string, ErrorEntry>> = {
  // RFC 6749 §4.1.2.1 and §5.2, and OIDC's interaction errors.
  access_denied: {
    cause: rfc('access_denied'),
    hint: 'The user or the server declined the sign-in. Sign in with an account that has access, or ask an administrator to grant this app access.',
    at: { 'websocket-token': 'The tenant denied the exchange. Check that the user may use this tenant.' },
  },
  invalid_grant: {
    cause: rfc('invalid_grant'),
    hint:
      'The code expired, was already used, or the code_verifier did not match; sign in again. If it repeats, check that nothing ' +
      'exchanges the code twice (and, for a refresh, that the refresh token was not already rotated or revoked).',
    at: { 'websocket-token': 'The access token has expired or was revoked. Sign in again.' },
  },
  invalid_client: {
    cause: rfc('invalid_client'),
    hint: 'The server does not know this client id or wants client authentication. Check client-id, and register the client as a public (single-page) client that uses PKCE; a browser cannot keep a secret.',
  },
  unauthorized_client: {
    cause: rfc('unauthorized_client'),
    hint: 'This client may not use this grant. Allow the authorization code grant (and refresh tokens, if you want silent refresh) for the client in the server settings.',
    at: { 'websocket-token': 'This OAuth client may not use the token-exchange grant. Enable it for the client in the tenant.' },
  },
  invalid_request: {
    cause: rfc('invalid_request'),
    hint: 'The server found the request malformed. Check client-id, redirect-uri and scope, and whether the token endpoint expects a form or a JSON body (tokenRequestFormat).',
  },
  invalid_scope: { cause: rfc('invalid_scope'), hint: 'Ask only for scopes the client is allowed; remove or correct the scope option.' },
  unsupported_grant_type: { cause: rfc('unsupported_grant_type'), hint: 'The server does not support this grant for this client; enable it in the client settings.' },
  unsupported_response_type: { cause: rfc('unsupported_response_type'), hint: 'Enable the authorization code flow (response_type=code) for this client.' },
  unsupported_token_type: { cause: rfc('unsupported_token_type'), hint: 'The server cannot revoke this kind of token; it will expire on its own.' },
  server_error: { cause: rfc('server_error'), hint: 'The authorization server had a problem. Try again in a moment.' },
  temporarily_unavailable: { cause: rfc('temporarily_unavailable'), hint: 'The authorization server had a problem. Try again in a moment.' },
  login_required: { cause: rfc('login_required'), hint: INTERACT },
  interaction_required: { cause: rfc('interaction_required'), hint: INTERACT },
  consent_required: { cause: rfc('consent_required'), hint: INTERACT },
  account_selection_required: { cause: rfc('account_selection_required'), hint: INTERACT },
  redirect_uri_mismatch: {
    cause: 'The server says the redirect URI does not match the one registered.',
    hint: 'The redirect_uri{redirect} does not match what the server expects. Register exactly this URI (scheme, host, port, path and any trailing slash) for the OAuth client, or set redirect-uri to one that is registered.',
  },

  // Qlik Cloud's own codes.
  'OAUTH-1': {
    cause: qlik('OAUTH-1'),
    hint: "The redirect_uri{redirect} is not registered for this OAuth client. Register exactly this URI (scheme, host, port and path) in the tenant's OAuth client settings, or set redirect-uri to one that is.",
    at: { 'websocket-token': 'The redirect_uri sent with the exchange is not registered for this OAuth client. Use the same redirect-uri as the sign-in.' },
  },
  'OAUTH-5': {
    cause: qlik('OAUTH-5'),
    hint: 'The tenant refused the token request (401 OAUTH-5). See the hint for the step it came from.',
    at: {
      'code-exchange':
        'The tenant did not get what a code exchange needs: the cookies it set during the authorize redirect (the token request must use ' +
        "credentials: 'include', and the browser drops them when third-party cookies are blocked: serve the page on the tenant's site or allow its cookies), " +
        'a JSON body (tokenRequestFormat "json"), and the user_default scope. Check all three, then sign in again.',
      refresh: "The tenant refused the refresh: send it as JSON with credentials: 'include' and allow the tenant's cookies, then sign in again.",
      'websocket-token':
        'The access token cannot be exchanged for a websocket token. It must come from a user sign-in (authorization code + PKCE in the browser, ' +
        'or user impersonation on a backend), not from the client-credentials grant, which gives a machine token. Check the OAuth client and grant used by the sign-in.',
    },
  },
  'OAUTH-14': {
    cause: qlik('OAUTH-14'),
    hint: 'The client id is unknown or not authorised for this tenant. Check client-id, and that the OAuth client exists in this tenant and is allowed for this grant.',
  },
  'OAUTH-29': {
    cause: 'The Qlik tenant answered `OAUTH-29` "Invalid Origin Header".',
    hint: "This page's origin is missing from the OAuth client's allowed origins or from the tenant's Content Security Policy origins. Add the exact origin (scheme, host and port) in the tenant's management console.",
  },
  'AUTH-5': {
    cause: 'The Qlik tenant answered `AUTH-5` "User is not a member of tenant".',
    hint: 'The user signed in to Qlik but has no user in this tenant. Invite the user to the tenant (or sign in with an account that is a member), then sign in again.',
  },
  'CSRF-TOKEN-2': {
    cause: qlik('CSRF-TOKEN-2'),
    hint: "The tenant refused the request as cross-site (403). Send it with credentials: \"include\" and add this page's origin to the tenant's allowed origins for the OAuth client.",
  },

  // The callback and the login transaction.
  state_mismatch: {
    cause: "The callback's state does not match the sign-in this tab started.",
    hint: 'The callback belongs to no sign-in this tab started, so it was refused (a stale or forged link). Nothing was exchanged; sign in again.',
  },
  missing_transaction: {
    cause: 'No sign-in is waiting for this callback in this tab.',
    hint: 'The callback URL was revisited, opened in another tab, or its code was already exchanged by another tab. Sign in again.',
  },
  transaction_expired: { cause: 'The sign-in expired before the callback arrived.', hint: 'The sign-in took longer than 10 minutes to come back; sign in again.' },
  issuer_mismatch: {
    cause: 'The callback names a different issuer (RFC 9207 `iss`) than the server the sign-in was sent to.',
    hint:
      'Possible mix-up attack (RFC 9207), so nothing was exchanged. If this server really names itself differently (its iss is not the origin of its ' +
      'authorization endpoint), set the issuer option (issuer attribute) to exactly the iss it sends, then sign in again.',
  },
  missing_issuer: {
    cause: 'The server promised an `iss` parameter but the callback has none.',
    hint: 'The server promises an iss parameter (authorization_response_iss_parameter_supported) but sent none. Check that no proxy strips query parameters, then sign in again.',
  },
  missing_code: {
    cause: 'The callback carries a state but neither a code nor an error.',
    hint: 'The server sent the user back without an answer. Check the authorization server (and any proxy) for a failed sign-in, then sign in again.',
  },

  // Requests.
  network_error: {
    cause: 'The request got no HTTP answer (offline, DNS, TLS, or blocked by CORS).',
    hint: 'The request{endpoint} got no answer. Check the network, that the server is reachable, and that it allows CORS requests from this origin.',
    at: { 'websocket-token': "Check host and the network, and that this page's origin is in the tenant's allowlist of trusted origins (CORS)." },
  },
  timeout: {
    cause: 'The server did not answer within the time limit.',
    hint: 'The server did not answer within {timeoutMs} ms. Try again; raise timeoutMs if the server is known to be slow.',
  },
  invalid_response: {
    cause: 'The endpoint answered 2xx but not with what it should.',
    hint: 'The endpoint answered 2xx but not with a token response. Check that the endpoint URL points at the token endpoint and not at a login page or proxy.',
    at: {
      backend: 'The endpoint must answer {"access_token": "…", "expires_in": seconds} as JSON. If it redirects to a login page when there is no session, make it answer 401 instead.',
      'websocket-token': 'The host may not be a Qlik tenant. Check host.',
    },
  },
  'http_<status>': {
    cause: 'An endpoint answered an HTTP error without an error code in its body.',
    hint: 'See the error cause for what the server sent.',
  },

  // Tokens.
  not_signed_in: { cause: 'There is no token: not signed in yet, or signed out.', hint: 'Sign in first; tokens are kept in memory only, so a reload or a new tab needs a new sign-in.' },
  token_expired: { cause: 'The access token expired and cannot be refreshed.', hint: 'The access token expired and there is no refresh token; sign in again.' },
  refresh_failed: { cause: 'Refreshing the token failed.', hint: AGAIN },
  nonce_mismatch: {
    cause: 'The ID token was not issued for the sign-in this tab started.',
    hint: 'Its nonce differs: a replayed or injected token. Nothing was kept; sign in again.',
  },
  id_token_invalid: { cause: 'An ID token was refused (signature, iss, aud, azp, exp or iat), or its keys could not be had.', hint: 'Check the issuer and client-id; nothing from the refused token was kept. Sign in again.' },
  user_unavailable: { cause: "The signed-in user could not be loaded from the provider's user endpoint.", hint: 'Sign-in stands; only user stays unset. See the error cause.' },

  // Options.
  missing_option: { cause: 'A required option is missing.', hint: 'Set the option the message names.' },
  invalid_option: { cause: 'An option has a value that cannot work.', hint: 'Correct the option the message names.' },
  insecure_endpoint: {
    cause: 'An endpoint uses plain http off loopback, where tokens could be read on the way.',
    hint: 'Use https. Plain http is allowed only for loopback (localhost, 127.0.0.1, [::1]) during development.',
  },
  client_secret_refused: {
    cause: 'A client secret was given to browser code, which cannot keep it secret.',
    hint: 'Remove the secret and register a public client that uses PKCE (no secret), or keep the secret on a backend that runs the token exchange.',
  },
  discovery_failed: {
    cause: "The OIDC issuer's metadata could not be read.",
    hint: 'Check the issuer option: it must be the exact issuer URL whose /.well-known/openid-configuration serves the metadata, reachable with CORS from this origin.',
  },
  discovery_issuer_mismatch: {
    cause: 'The discovered metadata names another issuer than the one configured.',
    hint: 'Set the issuer option to exactly the value in the metadata, if that server is the one you trust.',
  },
  pkce_unsupported: {
    cause: 'The server does not list S256 in code_challenge_methods_supported.',
    hint: 'Enable PKCE with the S256 method for this server or client; a browser client cannot sign in safely without it.',
  },
  storage_unavailable: {
    cause: 'Session storage (Web Storage) is not available in this context.',
    hint: "Sign-in keeps its PKCE transaction in the tab's session storage for the redirect. Allow storage for this page (not a sandboxed frame without allow-same-origin), or pass a Storage via the storage option.",
  },
  load_failed: {
    cause: "A part of the kit's own code could not be loaded.",
    hint: 'The page could not load its own code (offline, or a deploy replaced the files). Reload the page.',
  },
  unexpected: { cause: 'Not one of the failures above; `cause` holds the original error.', hint: 'See the error cause.' },

  // Your backend (access-token-url, get-access-token) and embed-kit/server's answers.
  backend_signed_out: { cause: 'Your backend answered 401: the user is not signed in to the site.', hint: 'Sign in to the site (its own sign-in), then call signIn() to fetch a token again.' },
  get_access_token_failed: {
    cause: 'Your getAccessToken function rejected.',
    hint: 'See the cause. Reject with an error whose status is 401 (or resolve null) to mean "signed out".',
  },
  origin_not_allowed: {
    cause: "The backend refuses requests from this page's origin.",
    hint: "The backend refuses requests from this page's origin. Serve the page from the backend's origin, or add the origin to the handler's allowedOrigins.",
  },
  user_not_found: {
    cause: 'The signed-in user has no user in the Qlik tenant that the backend could impersonate.',
    hint: 'The signed-in user has no user in the Qlik tenant that the backend could impersonate. Check the user lookup (subject or userId) the backend sends.',
  },
  client_not_authorized: {
    cause: "The backend's OAuth client was refused by the tenant.",
    hint: "The backend's OAuth client was refused by the tenant: check its client id and secret, and that the client may use user impersonation.",
  },
  client_misconfigured: { cause: "The backend's OAuth client settings were refused by the tenant.", hint: 'Check the backend configuration: scope, grant and redirect.' },
  method_not_allowed: { cause: 'The endpoint wants another method.', hint: 'access-token-url endpoints are called with POST.' },
  unauthenticated: { cause: 'The backend found no signed-in site user for the request.', hint: 'Sign in to the site first; the handler answers 401 until then.' },
  upstream_unreachable: { cause: 'The backend could not reach the Qlik tenant.', hint: "Try again; check the backend's network and host setting." },
  upstream_timeout: { cause: 'The Qlik tenant did not answer the backend in time.', hint: 'Try again in a moment.' },
  upstream_invalid_response: { cause: 'The Qlik tenant answered the backend with something that is not a token.', hint: "Check the backend's host setting and the tenant's status." },
  internal_error: { cause: 'The backend failed while getting a token.', hint: 'See the backend logs.' },
  rate_limited: {
    cause: 'The Qlik tenant rate-limited the token endpoint (429), and the wait it asked for did not fit in this request.',
    hint: 'Wait for the Retry-After the backend sent (the kit does), then try again. If it happens often, raise the cache lifetime or lower how often tokens are asked for.',
  },
  cache_unavailable: {
    cause: 'The shared token cache (Redis) did not answer; the handler serves through it, calling the tenant directly.',
    hint: 'Check the Redis server and the network to it. Requests keep working meanwhile; the handler goes back to the cache once it answers.',
  },
  expires_in_clamped: {
    cause: 'The tenant answered an expires_in outside 1 second to 24 hours, so the handler clamped it.',
    hint: "Check the OAuth client's token lifetime in the tenant; the token is cached and handed out with the clamped lifetime.",
  },
  revoke_failed: {
    cause: "The tenant's /oauth/revoke did not accept the revocation.",
    hint: 'The token was removed from every cache, but the tenant may still accept it until it expires. Check the backend client and the tenant status, then revoke again.',
  },

  renderer_not_registered: {
    cause: 'The renderer attribute names a renderer plugin that the page did not load.',
    hint: "Add import 'embed-kit/renderers/<name>' to the page (and install the package the plugin names), or set renderer=\"native\".",
  },
  // The embed API (selections, bookmarks, variables, export) and the nebula.js renderer.
  not_open: { cause: 'The element has no open app yet (not signed in, still connecting, or failed).', hint: 'Wait for qlik-session-open (or status="open") before calling the method, or sign in first.' },
  field_not_found: { cause: 'The app has no field of that name.', hint: 'Check the field name: it is case-sensitive and must be a field of the app\'s data model.' },
  bookmark_not_found: { cause: 'The app has no bookmark with that id.', hint: 'Check the bookmark id: it is the id, not the title, and the user must be allowed to see the bookmark.' },
  variable_not_found: { cause: 'The app has no variable of that name.', hint: 'Check the variable name (case-sensitive), or create it in the app first.' },
  invalid_markup: { cause: 'A <qlik-selection> has no field, or a <qlik-variable> no name.', hint: 'Give every <qlik-selection> a field="…" and every <qlik-variable> a name="…".' },
  export_unsupported: { cause: 'This object cannot be exported that way (no chart to picture, or no data).', hint: 'exportImage() works on native charts (bar, line, pie); use exportData() for KPIs and tables.' },
  export_failed: { cause: 'The export could not be made or downloaded.', hint: 'Check that the sign-in has a tenant host and the user may export, then try again.' },
  nebula_not_installed: { cause: 'renderer="nebula" could not load @nebula.js/stardust.', hint: 'Install it next to embed-kit (npm install @nebula.js/stardust) to use renderer="nebula".' },
  nebula_chart_not_installed: { cause: 'The nebula.js chart package for this object type could not be loaded.', hint: 'Install the @nebula.js/sn-* package the message names and register it with registerNebulaTypes().' },
  nebula_timeout: { cause: 'nebula.js did not finish loading or drawing in time.', hint: 'Check the network and the engine, then retry.' },
  nebula_render_failed: { cause: 'nebula.js could not draw the object.', hint: 'Check the object\'s properties, or use renderer="native" for it.' },

  // The engine and the Qlik layer.
  missing_host: { cause: 'The sign-in has no tenant host.', hint: 'Set host on the <auth-login> (e.g. host="https://tenant.eu.qlikcloud.com").' },
  engine_unreachable: {
    cause: 'The engine websocket never opened.',
    hint: "Check host, that this page's origin is in the tenant's allowlist of trusted origins, and the network.",
  },
  open_timeout: {
    cause: 'Opening the app did not finish in time: the engine accepted the connection but did not answer.',
    hint: 'Press Retry; if it keeps happening, check the tenant and the network, or raise openTimeoutMs on the session pool.',
  },
  engine_request_failed: { cause: 'A JSON-RPC call to the engine failed.', hint: 'See the error cause; enigma.js codes are kept in engineCode.' },
  object_not_found: {
    cause: 'The engine has no such object in this app, or the user may not see it.',
    hint:
      'Check the object-id attribute. If the object is on a sheet another user made and did not publish, only that user can see it: ' +
      'publish the sheet (or make your own copy), then retry.',
  },
  object_nesting: {
    cause: 'An object lists itself (or one of its ancestors) as a child, or nests deeper than the limit.',
    hint: "Fix the object's children in the app: a filter pane or container must not contain itself.",
  },
  resume_failed: { cause: 'The session could not reconnect to the app.', hint: 'Press Retry, or reload the page.' },
  session_closed: { cause: 'The session is closed.', hint: 'Open a new session (the element does this on Retry).' },
  enigma_not_loaded: { cause: 'enigma.js did not load.', hint: 'Check that the enigma.js package is installed and bundled.' },
  qlik_embed_not_loaded: { cause: 'Could not load @qlik/embed-web-components.', hint: 'Check the network, or import @qlik/embed-web-components yourself.' },
  engine_closed_4003: { cause: 'The engine is terminating.', hint: 'Retry in a moment; the tenant is restarting the engine.' },
  engine_closed_4004: { cause: 'The app was deleted.', hint: 'Check that the app still exists in the tenant.' },
  engine_closed_4007: { cause: 'The app changed mode.', hint: 'Retry; the app was reloaded or published.' },
  engine_closed_4203: { cause: 'No permission to open this app.', hint: 'The signed-in user has no access to this app. Share the app (or its space) with the user.' },
  engine_closed_4204: { cause: 'App not found.', hint: 'Check the app-id attribute: the app does not exist on this tenant, or was deleted.' },
};

/** Context that makes a hint concrete. */
export interface HintContext {
  /** Where the code arrived. */
  at?: ErrorSite;
  redirectUri?: string;
  endpoint?: string;
  status?: number;
  timeoutMs?: number;
}

/** What to do about `code`, for the site it arrived at. Unknown codes get a hint from the HTTP status. */
export function hintFor(code: string, context: HintContext = {}): string {
  const entry = Object.hasOwn(ERROR_REGISTRY, code) ? ERROR_REGISTRY[code] : undefined;
  const text = entry ? ((context.at && entry.at?.[context.at]) ?? entry.hint) : hintForStatus(context.status, context.at);
  const fill: Record<string, string> = {
    redirect: context.redirectUri ? ` (${context.redirectUri})` : '',
    endpoint: context.endpoint ? ` to ${context.endpoint}` : '',
    timeoutMs: context.timeoutMs === undefined ? 'the allowed' : String(context.timeoutMs),
  };
  return text.replace(/\{(redirect|endpoint|timeoutMs)\}/g, (_match, name: string) => fill[name] ?? '');
}

function hintForStatus(status: number | undefined, at: ErrorSite | undefined): string {
  if (status === 404 || status === 405) return `Check ${at === 'backend' ? 'access-token-url' : 'the endpoint URL'}: the server has no such endpoint.`;
  if (status === 401 || status === 403) return 'The server refused the client or the credentials; check client-id and the tenant settings.';
  if (status === 429) return 'Too many requests: the kit waits as the server asks (Retry-After) before trying again.';
  if (status !== undefined && status >= 500) return 'The server failed. Try again in a moment.';
  return 'See the error cause for what the server sent.';
}
