/**
 * Requests to the token endpoint (RFC 6749 §3.2) and the revocation endpoint (RFC 7009).
 * Standard servers want `application/x-www-form-urlencoded`; Qlik also takes JSON, so both exist.
 */
import { TokenEndpointError } from './errors.ts';
import { tokenEndpointError, withoutTokens } from './error-response.ts';
import { hintIn, type ErrorSite } from './error-registry/area.ts';
import { OAUTH_ERRORS } from './error-registry/oauth.ts';
import { retryAfter, send, type RequestSeam } from './http.ts';

/**
 * A successful token response, wire names kept.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  /** Lifetime in seconds. */
  expires_in?: number;
  refresh_token?: string;
  scope?: string;
  id_token?: string;
  [parameter: string]: unknown;
}

export interface TokenRequestOptions extends RequestSeam {
  /** `form` (default, RFC 6749) or `json` (Qlik). */
  format?: 'form' | 'json';
  /** Qlik's own clients send `include`. */
  credentials?: RequestCredentials;
  /** Which step this request is, so that an error's hint fits it (`OAUTH-5` at the code exchange…). */
  site?: ErrorSite;
}

/** Request parameters by wire name; `undefined` ones are left out. */
export type TokenParameters = Record<string, string | undefined>;

function encode(params: TokenParameters, format: 'form' | 'json'): { body: string; contentType: string } {
  const entries = Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (format === 'json') {
    return { body: JSON.stringify(Object.fromEntries(entries)), contentType: 'application/json' };
  }
  return {
    // URLSearchParams escapes `~`, which RFC 3986 §2.3 calls unreserved; both decode the same,
    // but a literal `~` keeps verifiers recognisable in logs and traces.
    body: new URLSearchParams(entries).toString().replace(/%7E/g, '~'),
    contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
  };
}

async function post(
  endpoint: string | URL,
  params: TokenParameters,
  options: TokenRequestOptions,
): Promise<{ status: number; ok: boolean; body: unknown; retryAfterMs: number | undefined }> {
  const format = options.format ?? 'form';
  if (format !== 'form' && format !== 'json') throw new TypeError(`format must be 'form' or 'json', got ${String(format)}`);
  const { body, contentType } = encode(params, format);
  const init: RequestInit = {
    method: 'POST',
    headers: { 'Content-Type': contentType, Accept: 'application/json' },
    body,
    // Token responses must never be served from or stored in a cache (RFC 6749 §5.1).
    cache: 'no-store',
  };
  if (options.credentials) init.credentials = options.credentials;
  const { response, body: responseBody } = await send(String(endpoint), init, options);
  return { status: response.status, ok: response.ok, body: responseBody, retryAfterMs: retryAfter(response.headers.get('retry-after')) };
}



function invalidResponse(reason: string, body: unknown, status: number): TokenEndpointError {
  return new TokenEndpointError('invalid_response', `The token endpoint's answer is not a token response: ${reason}.`, {
    hint: hintIn(OAUTH_ERRORS, 'invalid_response'),
    // A refused token response may still carry tokens; they never reach error listeners.
    cause: withoutTokens(body),
    status,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validateTokenResponse(body: unknown, status: number): TokenResponse {
  if (!isRecord(body)) throw invalidResponse('the body is not a JSON object', body, status);
  const record = body;
  if (typeof record.access_token !== 'string' || record.access_token === '') {
    throw invalidResponse('access_token is missing', body, status);
  }
  if (typeof record.token_type !== 'string' || record.token_type === '') {
    throw invalidResponse('token_type is missing', body, status);
  }
  let expiresIn: number | undefined;
  if (record.expires_in !== undefined && record.expires_in !== null) {
    // Some servers send the number as a string; accept that, but nothing else.
    const raw = record.expires_in;
    expiresIn = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
    if (!Number.isFinite(expiresIn) || expiresIn < 0) {
      throw invalidResponse('expires_in is not a number of seconds', body, status);
    }
  }
  const optional: Partial<Record<'refresh_token' | 'scope' | 'id_token', string>> = {};
  for (const name of ['refresh_token', 'scope', 'id_token'] as const) {
    const value = record[name];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') throw invalidResponse(`${name} is not a string`, body, status);
    optional[name] = value;
  }
  // Rebuilt rather than copied so that null or empty optional members do not leak through.
  const rebuilt = new Set(['refresh_token', 'scope', 'id_token', 'expires_in']);
  const rest = Object.fromEntries(Object.entries(record).filter(([name]) => !rebuilt.has(name)));
  const result: TokenResponse = { ...rest, ...optional, access_token: record.access_token, token_type: record.token_type };
  if (expiresIn !== undefined) result.expires_in = expiresIn;
  return result;
}

/**
 * POSTs `params` to a token endpoint and returns the validated token response.
 * Rejects with `TokenEndpointError` (server said no, or answered nonsense), `NetworkError`
 * or `TimeoutError`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5
 */
export async function requestToken(
  endpoint: string | URL,
  params: TokenParameters,
  options: TokenRequestOptions = {},
): Promise<TokenResponse> {
  const { status, ok, body, retryAfterMs } = await post(endpoint, params, options);
  // A few servers answer 200 with an error body; that is still an error, not a malformed token.
  if (!ok || (isRecord(body) && !('access_token' in body) && ('error' in body || 'errors' in body))) {
    throw tokenEndpointError(status, body, { redirectUri: params.redirect_uri, status, at: options.site, retryAfterMs });
  }
  return validateTokenResponse(body, status);
}

export interface AuthorizationCodeGrant {
  clientId: string;
  code: string;
  codeVerifier: string;
  redirectUri: string;
  /** Qlik wants the scope repeated on the exchange. */
  scope?: string;
}

/**
 * The authorization code grant with PKCE.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.5
 */
export function exchangeAuthorizationCode(
  endpoint: string | URL,
  grant: AuthorizationCodeGrant,
  options: TokenRequestOptions = {},
): Promise<TokenResponse> {
  return requestToken(
    endpoint,
    {
      grant_type: 'authorization_code',
      code: grant.code,
      redirect_uri: grant.redirectUri,
      code_verifier: grant.codeVerifier,
      client_id: grant.clientId,
      scope: grant.scope,
    },
    { site: 'code-exchange', ...options },
  );
}

export interface RefreshTokenGrant {
  clientId: string;
  refreshToken: string;
  scope?: string;
}

/**
 * The refresh token grant.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export function refreshTokens(
  endpoint: string | URL,
  grant: RefreshTokenGrant,
  options: TokenRequestOptions = {},
): Promise<TokenResponse> {
  return requestToken(
    endpoint,
    { grant_type: 'refresh_token', refresh_token: grant.refreshToken, client_id: grant.clientId, scope: grant.scope },
    { site: 'refresh', ...options },
  );
}

export interface RevocationRequest {
  clientId: string;
  token: string;
  tokenTypeHint?: 'access_token' | 'refresh_token';
}

/**
 * Token revocation. Resolves when the server answers 200, which RFC 7009 also prescribes for
 * tokens that were already invalid; rejects with a typed error otherwise.
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 */
export async function revokeToken(
  endpoint: string | URL,
  request: RevocationRequest,
  options: TokenRequestOptions = {},
): Promise<void> {
  const { status, ok, body } = await post(
    endpoint,
    { token: request.token, token_type_hint: request.tokenTypeHint, client_id: request.clientId },
    { site: 'revoke', ...options },
  );
  if (!ok) throw tokenEndpointError(status, body, { status, at: options.site });
}
