/**
 * Access tokens from your own backend, for sites whose users sign in to the site and never to
 * Qlik: the backend obtains the token (user impersonation, see `embed-kit/server`) and the page
 * asks it for one. No redirect, no PKCE, nothing in storage: the token lives in this object.
 *
 * Two ways to ask:
 * - `accessTokenUrl`: `POST` with `credentials: 'include'` (your session cookie goes along);
 *   the answer is `{ access_token, expires_in }`. A 401 means "not signed in to the site".
 * - `getAccessToken`: qlik-embed's contract, `() => Promise<string>`; your function talks to
 *   your backend and owns any caching. It is called whenever a token is needed.
 */
import { SignInState } from './sign-in-state.ts';
import type { AuthStatus, SignInSource } from './source.ts';
import { BackendTokenError, ConfigurationError, EmbedKitError, SignInRequiredError, TimeoutError } from './errors.ts';
import { hintIn } from './error-registry/area.ts';
import { lookupHint } from './error-registry/lookup.ts';
import { OAUTH_ERRORS } from './error-registry/oauth.ts';
import { SERVER_ERRORS } from './error-registry/server.ts';
import { withoutTokens } from './error-response.ts';
import type { Clock } from './clock.ts';
import { DEFAULT_TIMEOUT_MS, retryAfter, send } from './http.ts';
import { assertSecureUrl, normalizeHost, refuseClientSecret } from './provider-options.ts';
import { TokenStore, type SignOutReason, type TokenStoreChange } from './token-store.ts';
import type { TokenResponse } from './token-endpoint.ts';

export interface BackendTokenSourceOptions {
  /** Your backend's token endpoint, absolute or relative to the page, e.g. `/access-token`. */
  accessTokenUrl?: string;
  /** qlik-embed's `getAccessToken`: resolves with the raw access token. `null` means signed out. */
  getAccessToken?: () => Promise<string | null | undefined>;
  /** The Qlik tenant the tokens are for (`tenant.eu.qlikcloud.com` or an https origin). */
  host?: string;
  /** OAuth client id sent with Qlik's websocket-token exchange (a client that may exchange). */
  clientId?: string;
  /** Sent with the exchange when the client wants one. */
  redirectUri?: string;
  /** Default `include`, so the site's session cookie goes along. */
  credentials?: RequestCredentials;
  /** Extra request headers for `accessTokenUrl`, e.g. a CSRF header your framework wants. */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** Per request (and per `getAccessToken` call); default 15 000. */
  timeoutMs?: number;
  /** Fetch again this many seconds before expiry (at most half the token's life); default 30. */
  refreshSkewSeconds?: number;
  /** Clock seam (time and timers) for refresh ahead of expiry, backoff and `Retry-After`. */
  clock?: Clock;
}

/** Why the token went away: `backend` is a 401 (or `null`) from your backend. */
export type BackendSignOutReason = SignOutReason;

export interface BackendSignedInDetail {
  expiresAt: number | undefined;
}
export interface BackendSignedOutDetail {
  reason: BackendSignOutReason;
  error?: EmbedKitError;
}
export interface BackendStatusChangeDetail {
  status: AuthStatus;
  previous: AuthStatus;
}

/** Events a `BackendTokenSource` dispatches, all plain `CustomEvent`s, named as `AuthClient`'s. */
export interface BackendTokenSourceEventMap {
  'signed-in': CustomEvent<BackendSignedInDetail>;
  'token-refreshed': CustomEvent<BackendSignedInDetail>;
  'signed-out': CustomEvent<BackendSignedOutDetail>;
  error: CustomEvent<EmbedKitError>;
  'status-change': CustomEvent<BackendStatusChangeDetail>;
}


/**
 * An `AuthSource` whose tokens come from your backend. Status goes `signed-out` →
 * `exchanging` (first fetch) → `signed-in`; a 401 from the backend (or `null` from the
 * function) gives `signed-out`, any other failure `error` with a typed `BackendTokenError`,
 * `NetworkError` or `TimeoutError`.
 *
 * @fires signed-in - the first token arrived
 * @fires token-refreshed - a later fetch replaced it
 * @fires signed-out - the token is gone: `{ reason: 'backend' | 'user' | 'refresh_failed', error? }`
 * @fires error - a fetch failed; detail is the typed error
 * @fires status-change - `{ status, previous }`
 */
export class BackendTokenSource extends SignInState<BackendTokenSourceEventMap> implements SignInSource {
  readonly host: string | undefined;
  readonly clientId: string | undefined;
  readonly redirectUri: string | undefined;
  /** The resolved `accessTokenUrl`, when that is the mode. */
  readonly accessTokenUrl: string | undefined;

  readonly #options: BackendTokenSourceOptions;
  readonly #timeoutMs: number;
  /** The token, with the single-flight, skew, backoff and generation guard every sign-in shares. */
  readonly #store: TokenStore;
  /** Set by a forced `getAccessToken`: the next backend request asks for a new token, not the cached one. */
  #refreshFlag = false;

  /**
   * @throws {ConfigurationError} `missing_option` without either way to get a token,
   * `invalid_option` with both, `insecure_endpoint` for plain http to another host,
   * `client_secret_refused` for a secret in the options.
   */
  constructor(options: BackendTokenSourceOptions) {
    super();
    if (typeof options !== 'object' || options === null) throw new TypeError('BackendTokenSource needs an options object');
    refuseClientSecret(options);
    const url = options.accessTokenUrl?.trim();
    const fn = options.getAccessToken;
    if (fn !== undefined && typeof fn !== 'function') throw new TypeError('getAccessToken must be a function returning Promise<string>');
    if (url && fn) {
      throw new ConfigurationError('invalid_option', 'Both accessTokenUrl and getAccessToken were given.', {
        hint: 'Use one: access-token-url for a backend endpoint, or get-access-token for your own function.',
      });
    }
    if (!url && !fn) {
      throw new ConfigurationError('missing_option', 'Neither accessTokenUrl nor getAccessToken was given.', {
        hint: 'Set access-token-url to your backend endpoint that returns {access_token, expires_in}, or get-access-token to a function.',
      });
    }
    const skew = options.refreshSkewSeconds ?? 30;
    if (!Number.isFinite(skew) || skew < 0) throw new TypeError(`refreshSkewSeconds must be >= 0, got ${String(skew)}`);
    this.#options = { ...options };
    this.#store = new TokenStore({
      refresh: () => this.#fetchToken(),
      refreshWithoutToken: true,
      // Fetch ahead of expiry even when nobody asks, so that `status` stays true: a backend
      // session that ended shows up as signed out within one token lifetime.
      refreshAhead: true,
      refreshSkewSeconds: skew,
      clock: options.clock,
      signOutReason: (error) => (error.code === 'backend_signed_out' ? 'backend' : 'refresh_failed'),
    });
    this.#store.subscribe((change) => this.#onTokens(change));
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.accessTokenUrl = url ? BackendTokenSource.#resolveUrl(url) : undefined;
    this.host = options.host?.trim() ? normalizeHost(options.host) : undefined;
    this.clientId = options.clientId?.trim() || undefined;
    this.redirectUri = options.redirectUri?.trim() || undefined;
  }

  static #resolveUrl(value: string): string {
    const base = (globalThis.location as Location | undefined)?.href;
    let url: URL;
    try {
      url = new URL(value, base);
    } catch {
      throw new ConfigurationError('invalid_option', `The accessTokenUrl ${value} is not a URL.`, {
        hint: 'Use a path on your site (/access-token) or an absolute https URL.',
      });
    }
    // The page's own origin is as safe as the page; anywhere else must be https (or loopback).
    if (url.origin !== (globalThis.location as Location | undefined)?.origin) assertSecureUrl(url, 'accessTokenUrl');
    return url.href;
  }



  /** Epoch milliseconds when the token expires, when the backend said. */
  override get expiresAt(): number | undefined {
    return this.#store.expiresAt;
  }

  /**
   * A valid token: the one in memory until it is due (within the skew of expiry), else a new
   * one from the backend. However many callers ask at once, there is one request. With
   * `forceRefresh` (the Qlik layer sets it after a 401) the backend is always asked. With a
   * token function, the function is called every time (it owns caching, as in qlik-embed).
   * @throws {SignInRequiredError} `backend_signed_out` when the backend answers 401.
   */
  getAccessToken(options: { forceRefresh?: boolean } = {}): Promise<string> {
    if (!this.#store.hasToken) this.setStatus('exchanging');
    // A forced fetch (the engine refused the token) tells `embed-kit/server` to fetch anew (rate limited per user).
    if (options.forceRefresh && this.#store.hasToken) this.#refreshFlag = true;
    return this.#store.getAccessToken({ forceRefresh: options.forceRefresh, always: this.accessTokenUrl === undefined });
  }

  /**
   * Asks the backend for a token now: the way back after a 401, once the user has signed in to
   * the site. Rejects like `getAccessToken`; the outcome is also in `status` and the events.
   */
  async signIn(): Promise<void> {
    this.setError(undefined);
    await this.getAccessToken({ forceRefresh: true });
  }

  /**
   * Forgets the token (status `signed-out`, reason `user`). Your backend's session is yours to
   * end; until it ends, `signIn()` would get a token again.
   */
  async signOut(): Promise<void> {
    this.#store.clear('user');
    this.setError(undefined);
    this.setStatus('signed-out');
  }

  #onTokens(change: TokenStoreChange): void {
    switch (change.type) {
      case 'set':
        this.setError(undefined);
        this.setStatus('signed-in');
        this.dispatch('signed-in', { expiresAt: change.expiresAt });
        break;
      case 'refreshed':
        this.setError(undefined);
        this.notify();
        this.dispatch('token-refreshed', { expiresAt: change.expiresAt });
        break;
      case 'cleared':
        this.dispatch('signed-out', change.error && change.reason !== 'backend' ? { reason: change.reason, error: change.error } : { reason: change.reason });
        this.#settle(change.reason === 'backend' ? undefined : change.error);
        break;
      case 'failed':
        // A kept token still works; the store tries again later.
        if (!change.kept) this.#settle(change.error.code === 'backend_signed_out' ? undefined : change.error);
        break;
    }
  }

  /** After the token is gone or never came: signed out (a 401) or the error. */
  #settle(error: EmbedKitError | undefined): void {
    this.setError(error);
    this.setStatus(error ? 'error' : 'signed-out');
    if (error) this.dispatch('error', error);
  }

  async #fetchToken(): Promise<TokenResponse> {
    const { token, expiresIn } = this.accessTokenUrl === undefined ? await this.#callFunction() : await this.#post(this.accessTokenUrl);
    const response: TokenResponse = { access_token: token, token_type: 'Bearer' };
    if (expiresIn !== undefined) response.expires_in = expiresIn;
    return response;
  }

  async #post(url: string): Promise<{ token: string; expiresIn: number | undefined }> {
    const refresh = this.#refreshFlag;
    this.#refreshFlag = false;
    const { response, body } = await send(
      url,
      {
        method: 'POST',
        credentials: this.#options.credentials ?? 'include',
        headers: { accept: 'application/json', ...(refresh ? { 'x-embed-kit-refresh': '1' } : {}), ...this.#options.headers },
        cache: 'no-store',
      },
      { fetch: this.#options.fetch, timeoutMs: this.#timeoutMs },
    );
    if (response.status === 401) throw signedOutByBackend(url);
    if (!response.ok) throw backendError(url, response, body);
    const record = isRecord(body) ? body : {};
    const token = record.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new BackendTokenError('invalid_response', `${url} answered ${response.status} without an access_token.`, {
        status: response.status,
        cause: withoutTokens(body),
        hint: hintIn(OAUTH_ERRORS, 'invalid_response', { at: 'backend' }),
      });
    }
    const raw = typeof record.expires_in === 'string' ? Number(record.expires_in) : record.expires_in;
    const expiresIn = typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? raw : undefined;
    return { token, expiresIn };
  }

  async #callFunction(): Promise<{ token: string; expiresIn: undefined }> {
    const fn = this.#options.getAccessToken as () => Promise<string | null | undefined>;
    let value: unknown;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      value = await Promise.race([
        Promise.resolve().then(fn),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new TimeoutError('timeout', `getAccessToken did not settle within ${this.#timeoutMs} ms.`, {
                  hint: 'Make the function resolve or reject; check the backend it calls. Raise timeoutMs if it is known to be slow.',
                }),
              ),
            this.#timeoutMs,
          );
        }),
      ]);
    } catch (error) {
      if (error instanceof TimeoutError) throw error;
      if (statusOf(error) === 401 || error instanceof SignInRequiredError) throw signedOutByBackend(undefined);
      if (error instanceof EmbedKitError) throw error;
      throw new BackendTokenError('get_access_token_failed', `getAccessToken failed: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
        hint: hintIn(SERVER_ERRORS, 'get_access_token_failed'),
      });
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
    if (value === null || value === undefined || value === '') throw signedOutByBackend(undefined);
    if (typeof value !== 'string') {
      throw new BackendTokenError('invalid_response', `getAccessToken resolved with a ${typeof value}, not a token string.`, {
        cause: typeof value === 'object' ? withoutTokens(value) : value,
        hint: 'Resolve with the raw access token string (qlik-embed\'s contract), not the whole token response.',
      });
    }
    return { token: value, expiresIn: undefined };
  }




}

/**
 * The page's token function named by `get-access-token` (qlik-embed's `data-get-access-token`):
 * `getToken` or a dotted path such as `myApp.auth.getToken`, looked up on `globalThis` when a
 * token is needed, so the page may define it after the element upgrades.
 */
export function globalTokenFunction(name: string): () => Promise<string | null | undefined> {
  const path = name.trim().split('.');
  return () => {
    let owner: unknown = undefined;
    let value: unknown = globalThis;
    for (const key of path) {
      owner = value;
      value = isRecord(value) || typeof value === 'function' ? (value as Record<string, unknown>)[key] : undefined;
    }
    if (typeof value !== 'function') {
      throw new ConfigurationError('invalid_option', `get-access-token="${name}" names no global function.`, {
        hint: `Define window.${name} = () => Promise<string> (resolving with the raw access token), or set the getAccessTokenFn property.`,
      });
    }
    return (value as (this: unknown) => Promise<string | null | undefined>).call(owner);
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function statusOf(error: unknown): number | undefined {
  const status = isRecord(error) ? error.status : undefined;
  return typeof status === 'number' ? status : undefined;
}

function signedOutByBackend(url: string | undefined): SignInRequiredError {
  return new SignInRequiredError('backend_signed_out', url ? `${url} answered 401: not signed in to the site.` : 'getAccessToken says: not signed in.', {
    hint: hintIn(SERVER_ERRORS, 'backend_signed_out'),
  });
}

function backendError(url: string, response: Response, body: unknown): BackendTokenError {
  const { status } = response;
  const record = isRecord(body) ? body : {};
  const code = typeof record.error === 'string' && record.error ? record.error : `http_${status}`;
  const text =
    (typeof record.message === 'string' && record.message) ||
    (typeof record.error_description === 'string' && record.error_description) ||
    (typeof body === 'string' && body.length <= 200 ? body.trim() : '');
  return new BackendTokenError(code, `${url} answered ${status}${text ? `: ${text}` : ''}`, {
    status,
    cause: withoutTokens(body),
    hint: lookupHint([SERVER_ERRORS, OAUTH_ERRORS], code, { at: 'backend', status }),
    retryAfterMs: retryAfter(response.headers.get('retry-after')),
  });
}
