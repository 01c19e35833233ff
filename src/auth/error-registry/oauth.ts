/**
 * The error registry's codes from authorization servers: RFC 6749's, OIDC's interaction errors and
 * Qlik Cloud's own (`OAUTH-5`…), and what a request meets on the way (`network_error`, `timeout`,
 * `invalid_response`, `http_<status>`). The token endpoint, the callback, the backend source and
 * the websocket-token exchange look their hints up here.
 */
import { errorArea } from './area.ts';

const INTERACT = 'The server needs the user to interact; sign in again without prompt=none.';
const qlik = (code: string): string => `The Qlik tenant answered \`${code}\`.`;
const rfc = (code: string): string => `The authorization server answered \`${code}\` (RFC 6749).`;

export const OAUTH_ERRORS = errorArea({
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
});
