/**
 * Turning what a server said into a code and a hint. Both error shapes are understood:
 * RFC 6749 §5.2 `{ error, error_description }` and Qlik's `{ errors: [{ code, title, detail, status }] }`.
 * Server text is only ever data: it ends up in `message` and `cause`, never in markup.
 */
import { TokenEndpointError } from './errors.ts';

/** The parts of an error body we act on. */
export interface ParsedErrorBody {
  /** Qlik `errors[0].code` when present, else RFC 6749 `error`. */
  code?: string;
  /** Human text from the server (`title: detail` or `error_description`). */
  description?: string;
  /** Qlik's `traceId`, worth quoting to Qlik support. */
  traceId?: string;
}

/** Long server text would swamp an error message; the full body stays in `cause`. */
const MAX_TEXT = 1000;

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  return trimmed.length > MAX_TEXT ? `${trimmed.slice(0, MAX_TEXT)}…` : trimmed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a Qlik or RFC 6749 error body; anything else yields `{}`. */
export function parseErrorBody(body: unknown): ParsedErrorBody {
  if (!isRecord(body)) return {};
  const result: ParsedErrorBody = {};
  const traceId = text(body.traceId);
  if (traceId) result.traceId = traceId;

  // Qlik puts its specific code (OAUTH-1, OAUTH-14…) next to a generic one, and the specific
  // one is what names the fix, so it wins.
  const first = Array.isArray(body.errors) ? body.errors.find(isRecord) : undefined;
  const qlikCode = first ? text(first.code) : undefined;
  if (first && qlikCode) {
    result.code = qlikCode;
    const title = text(first.title);
    const detail = text(first.detail);
    const description = title && detail ? `${title}: ${detail}` : (detail ?? title);
    if (description) result.description = description;
    return result;
  }
  const error = text(body.error);
  if (error) {
    result.code = error;
    const description = text(body.error_description);
    if (description) result.description = description;
  }
  return result;
}

/** Context that makes a hint concrete, e.g. the exact redirect_uri to register. */
export interface HintContext {
  redirectUri?: string;
  endpoint?: string;
  status?: number;
  timeoutMs?: number;
}

const SIGN_IN_AGAIN = 'sign in again';

/**
 * What to do about a failure code. Unknown codes get a generic hint from the HTTP status.
 */
export function hintFor(code: string, context: HintContext = {}): string {
  const redirect = context.redirectUri ? ` (${context.redirectUri})` : '';
  switch (code) {
    case 'invalid_grant':
      return (
        'The code expired, was already used, or the code_verifier did not match — ' +
        `${SIGN_IN_AGAIN}; if it repeats, check that nothing exchanges the code twice ` +
        '(and, for a refresh, that the refresh token was not already rotated or revoked).'
      );
    case 'invalid_client':
      return (
        'The server does not know this client id or wants client authentication. Check client-id, and ' +
        'register the client as a public (single-page) client that uses PKCE; a browser cannot keep a secret.'
      );
    case 'unauthorized_client':
      return (
        'This client may not use this grant. Allow the authorization code grant (and refresh tokens, ' +
        'if you want silent refresh) for the client in the server settings.'
      );
    case 'access_denied':
      return (
        'The user or the server declined the sign-in. Sign in with an account that has access, ' +
        'or ask an administrator to grant this app access.'
      );
    case 'invalid_request':
      return (
        'The server found the request malformed. Check client-id, redirect-uri and scope, and whether ' +
        'the token endpoint expects a form or a JSON body (tokenRequestFormat).'
      );
    case 'invalid_scope':
      return 'Ask only for scopes the client is allowed; remove or correct the scope option.';
    case 'unsupported_grant_type':
      return 'The server does not support this grant for this client; enable it in the client settings.';
    case 'unsupported_response_type':
      return 'Enable the authorization code flow (response_type=code) for this client.';
    case 'unsupported_token_type':
      return 'The server cannot revoke this kind of token; it will expire on its own.';
    case 'server_error':
    case 'temporarily_unavailable':
      return 'The authorization server had a problem. Try again in a moment.';
    case 'login_required':
    case 'interaction_required':
    case 'consent_required':
    case 'account_selection_required':
      return `The server needs the user to interact; ${SIGN_IN_AGAIN} without prompt=none.`;
    case 'redirect_uri_mismatch':
      return (
        `The redirect_uri${redirect} does not match what the server expects. Register exactly this URI ` +
        '(scheme, host, port, path and any trailing slash) for the OAuth client, or set redirect-uri to one that is registered.'
      );
    case 'nonce_mismatch':
      return (
        'The ID token was not issued for the sign-in this tab started (its nonce differs): a replayed or ' +
        `injected token. Nothing was kept; ${SIGN_IN_AGAIN}.`
      );
    case 'OAUTH-1':
      return (
        `The redirect_uri${redirect} is not registered for this OAuth client. Register exactly this URI ` +
        '(scheme, host, port and path) in the tenant\'s OAuth client settings, or set redirect-uri to one that is.'
      );
    case 'OAUTH-5':
      return (
        'The token must come from a user sign-in (authorization code flow), not from client credentials: ' +
        'a machine token may not be exchanged. Sign the user in, or use impersonation on a backend.'
      );
    case 'OAUTH-14':
      return (
        'The client id is unknown or not authorised for this tenant. Check client-id, and that the OAuth ' +
        'client exists in this tenant and is allowed for this grant.'
      );
    case 'CSRF-TOKEN-2':
      return (
        'The tenant refused the request as cross-site (403). Send it with credentials: "include" and add ' +
        'this page\'s origin to the tenant\'s allowed origins for the OAuth client.'
      );
    case 'invalid_response':
      return (
        'The endpoint answered 2xx but not with a token response. Check that the endpoint URL points at ' +
        'the token endpoint and not at a login page or proxy.'
      );
    case 'state_mismatch':
      return (
        'The callback\'s state does not belong to the sign-in this tab started, so it was refused ' +
        `(a stale or forged link). Nothing was exchanged; ${SIGN_IN_AGAIN}.`
      );
    case 'missing_transaction':
      return (
        'No sign-in is waiting for this callback: the callback URL was revisited or opened in another tab. ' +
        `Sign in again.`
      );
    case 'transaction_expired':
      return `The sign-in took longer than 10 minutes to come back; ${SIGN_IN_AGAIN}.`;
    case 'issuer_mismatch':
      return (
        'The response names a different issuer than the one this sign-in was sent to (RFC 9207; possible ' +
        `mix-up attack). Check the issuer option against the server metadata, then ${SIGN_IN_AGAIN}.`
      );
    case 'missing_issuer':
      return (
        'The server promises an iss parameter (authorization_response_iss_parameter_supported) but sent none. ' +
        `Check that no proxy strips query parameters, then ${SIGN_IN_AGAIN}.`
      );
    case 'missing_code':
      return `The callback carries neither a code nor an error; ${SIGN_IN_AGAIN}.`;
    case 'network_error':
      return (
        `The request${context.endpoint ? ` to ${context.endpoint}` : ''} got no answer. Check the network, ` +
        'that the server is reachable, and that it allows CORS requests from this origin.'
      );
    case 'timeout':
      return (
        `The server did not answer within ${context.timeoutMs ?? 'the allowed'} ms. Try again; ` +
        'raise timeoutMs if the server is known to be slow.'
      );
    case 'not_signed_in':
      return 'Sign in first; tokens are kept in memory only, so a reload or a new tab needs a new sign-in.';
    case 'token_expired':
      return `The access token expired and there is no refresh token; ${SIGN_IN_AGAIN}.`;
    default:
      return hintForStatus(context.status);
  }
}

function hintForStatus(status: number | undefined): string {
  if (status === undefined || status === 0) return 'See the error cause for what the server sent.';
  if (status === 404 || status === 405) return 'Check the endpoint URL: the server has no such endpoint.';
  if (status === 401 || status === 403) return 'The server refused the client or the credentials; check client-id and the tenant settings.';
  if (status >= 500) return 'The server failed. Try again in a moment.';
  return 'See the error cause for what the server sent.';
}

/**
 * Many servers report a redirect URI problem under a generic code (`invalid_request`,
 * `invalid_grant`) and say so only in the description; the fix is the same whatever the code.
 */
export function redirectUriProblem(code: string, description: string | undefined): boolean {
  if (code === 'redirect_uri_mismatch') return true;
  // Specific codes (Qlik's OAUTH-1…) already have their own hint.
  const generic = code === 'invalid_request' || code === 'invalid_grant' || code.startsWith('http_');
  return generic && description !== undefined && /redirect[\s_-]?ur[il]/i.test(description);
}

/**
 * Builds the typed error for a non-2xx (or malformed) token or revocation endpoint response.
 * `body` is the parsed JSON when the body was JSON, else its text.
 */
export function tokenEndpointError(status: number, body: unknown, context: HintContext = {}): TokenEndpointError {
  const parsed = parseErrorBody(body);
  const code = parsed.code ?? `http_${status}`;
  const message = parsed.description
    ? `Token endpoint error ${code}: ${parsed.description}`
    : `Token endpoint answered HTTP ${status} (${code}).`;
  return new TokenEndpointError(code, message, {
    hint: hintFor(redirectUriProblem(code, parsed.description) ? 'redirect_uri_mismatch' : code, { ...context, status }),
    cause: body,
    status,
  });
}
