import { systemClock, type Clock } from '../auth/clock.ts';
import type { AuthSource } from '../auth/source.ts';
import { WebSocketTokenError } from './errors.ts';
import { tenantEndpoint, tenantUrl } from './engine-url.ts';
import { hintIn } from '../auth/error-registry/area.ts';
import { lookupHint } from '../auth/error-registry/lookup.ts';
import { OAUTH_ERRORS } from '../auth/error-registry/oauth.ts';
import { withoutTokens } from '../auth/error-response.ts';

/** RFC 8693 §2.1 wire names. */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

export type WebSocketTokenPurpose = 'websocket' | 'webresource';

export interface ExchangeForWebSocketTokenOptions {
  /** Seam for tests and custom transports. Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** `websocket` for the engine, `webresource` for images. */
  purpose?: WebSocketTokenPurpose;
  /**
   * Skip the cache and exchange again. The session pool sets it on every resume, because
   * Qlik expects a new websocket token for each new socket.
   */
  fresh?: boolean;
  /** The request is abandoned after this long, so no caller waits forever. Default 30 s. */
  timeoutMs?: number;
  /** Time seam for the cache's expiry. Default: the system clock. */
  clock?: Clock;
}

/** RFC 8693 §2.2.1 successful response. */
interface TokenExchangeResponse {
  access_token?: unknown;
  issued_token_type?: unknown;
  token_type?: unknown;
  expires_in?: unknown;
}

/** Qlik's `errors[]` entries and the standard OAuth error fields, as either may come back. */
interface TokenErrorBody {
  errors?: { code?: unknown; title?: unknown; detail?: unknown; status?: unknown }[];
  error?: unknown;
  error_description?: unknown;
}

interface CacheEntry {
  subjectToken: string;
  token: string;
  /** Epoch ms after which the entry is not handed out any more (expiry minus skew). */
  usableUntil: number;
}

const cache = new WeakMap<AuthSource, Map<WebSocketTokenPurpose, CacheEntry>>();
const inFlight = new WeakMap<AuthSource, Map<string, Promise<CacheEntry>>>();

/**
 * Exchanges the sign-in's access token for a websocket token (RFC 8693, Qlik flavour: JSON
 * body, `purpose`, `client_id`, `redirect_uri`, `credentials: "include"`).
 *
 * - Cached per sign-in and purpose until shortly before it expires; a changed access token
 *   (another user, a refresh) is never served a token made for the old one.
 * - Single-flight: concurrent callers share one request.
 * - On a 401 it asks the sign-in for a refreshed access token and tries once more,
 *   except for `OAUTH-5`, which a refresh cannot fix.
 * - Fails with `WebSocketTokenError` (typed `code`, server body in `cause`, `hint`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.1
 */
export async function exchangeForWebSocketToken(
  auth: AuthSource,
  options: ExchangeForWebSocketTokenOptions = {},
): Promise<string> {
  const { signal, purpose = 'websocket', fresh = false } = options;
  if (!auth || typeof auth.getAccessToken !== 'function') throw new TypeError('auth must be an AuthSource');
  tenantUrl(auth.host); // typed missing_host / insecure_endpoint before anything is sent
  signal?.throwIfAborted();

  const subjectToken = await raceAbort(auth.getAccessToken(), signal);
  if (!fresh) {
    const cached = cache.get(auth)?.get(purpose);
    if (cached && cached.subjectToken === subjectToken && (options.clock ?? systemClock).now() < cached.usableUntil) return cached.token;
  }

  // Fresh requests never join another caller's request: each resume gets its own token.
  const key = fresh ? undefined : `${purpose} ${subjectToken}`;
  let flights = inFlight.get(auth);
  if (!flights) inFlight.set(auth, (flights = new Map()));
  let flight = key === undefined ? undefined : flights.get(key);
  if (!flight) {
    flight = requestWithRetry(auth, subjectToken, purpose, options);
    if (key !== undefined) {
      const own = flight;
      flights.set(key, own);
      const forget = () => {
        if (flights.get(key) === own) flights.delete(key);
      };
      own.then(forget, forget);
    }
  }
  const entry = await raceAbort(flight, signal);
  return entry.token;
}

/** Forgets the websocket tokens cached for one sign-in (the pool calls it on sign-out). */
export function clearWebSocketTokenCache(auth: AuthSource): void {
  cache.delete(auth);
}

async function requestWithRetry(
  auth: AuthSource,
  subjectToken: string,
  purpose: WebSocketTokenPurpose,
  options: ExchangeForWebSocketTokenOptions,
): Promise<CacheEntry> {
  try {
    return await requestOnce(auth, subjectToken, purpose, options);
  } catch (error) {
    if (!(error instanceof WebSocketTokenError) || error.status !== 401 || error.code === 'OAUTH-5') throw error;
    const refreshed = await auth.getAccessToken({ forceRefresh: true });
    return requestOnce(auth, refreshed, purpose, options);
  }
}

async function requestOnce(
  auth: AuthSource,
  subjectToken: string,
  purpose: WebSocketTokenPurpose,
  options: ExchangeForWebSocketTokenOptions,
): Promise<CacheEntry> {
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const endpoint = tenantEndpoint(auth.host, '/oauth/token');
  const body: Record<string, string> = {
    grant_type: TOKEN_EXCHANGE_GRANT,
    subject_token: subjectToken,
    subject_token_type: ACCESS_TOKEN_TYPE,
    purpose,
  };
  if (auth.clientId) body.client_id = auth.clientId;
  if (auth.redirectUri) body.redirect_uri = auth.redirectUri;

  const startedAt = (options.clock ?? systemClock).now();
  let response: Response;
  try {
    response = await fetchFn(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      credentials: 'include',
      // One caller's abort must not fail the others sharing this request, so only the timeout applies.
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    throw new WebSocketTokenError(
      timedOut ? 'timeout' : 'network_error',
      timedOut ? `The websocket-token request to ${endpoint} timed out.` : `Could not reach ${endpoint}.`,
      {
        cause: error,
        hint: timedOut
          ? 'The tenant did not answer in time. Retry, or check the network.'
          : `${hintIn(OAUTH_ERRORS, 'network_error', { at: 'websocket-token' })} This page's origin is ${pageOrigin()}.`,
      },
    );
  }

  const parsed: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw errorFromResponse(response.status, parsed);

  const result = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as TokenExchangeResponse;
  if (typeof result.access_token !== 'string' || result.access_token === '') {
    throw new WebSocketTokenError('invalid_response', 'The token endpoint answered without an access_token.', {
      status: response.status,
      cause: withoutTokens(parsed),
      hint: hintIn(OAUTH_ERRORS, 'invalid_response', { at: 'websocket-token' }),
    });
  }
  const expiresIn = typeof result.expires_in === 'number' ? result.expires_in : Number(result.expires_in);
  // Without an expiry we cannot know when it goes stale, so it is never reused.
  let usableUntil = 0;
  if (Number.isFinite(expiresIn) && expiresIn > 0) {
    const lifetimeMs = expiresIn * 1000;
    usableUntil = startedAt + lifetimeMs - Math.min(30_000, lifetimeMs / 2);
  }
  const entry: CacheEntry = { subjectToken, token: result.access_token, usableUntil };
  let byPurpose = cache.get(auth);
  if (!byPurpose) cache.set(auth, (byPurpose = new Map()));
  byPurpose.set(purpose, entry);
  return entry;
}

function errorFromResponse(status: number, parsed: unknown): WebSocketTokenError {
  const body = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as TokenErrorBody;
  const first = Array.isArray(body.errors) ? body.errors[0] : undefined;
  const qlikCode = typeof first?.code === 'string' ? first.code : undefined;
  const oauthCode = typeof body.error === 'string' ? body.error : undefined;
  const code = qlikCode ?? oauthCode ?? `http_${status}`;
  const detail =
    (typeof first?.detail === 'string' && first.detail) ||
    (typeof body.error_description === 'string' && body.error_description) ||
    (typeof first?.title === 'string' && first.title) ||
    `HTTP ${status}`;
  const known = [qlikCode, oauthCode].find((candidate) => candidate !== undefined && Object.hasOwn(OAUTH_ERRORS, candidate));
  const hint = known
    ? lookupHint([OAUTH_ERRORS], known, { at: 'websocket-token' })
    : status === 401
      ? 'The access token was not accepted. Sign in again.'
      : 'Retry; if it keeps failing, check the tenant.';
  return new WebSocketTokenError(code, `Websocket token exchange failed: ${detail}`, { status, cause: withoutTokens(parsed), hint });
}

function pageOrigin(): string {
  return typeof location === 'undefined' ? 'the calling origin' : location.origin;
}

/** Lets one caller stop waiting without cancelling work that others share. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
