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
import { notifyListeners } from './listeners.ts';
import type { AuthSnapshot, AuthStatus, SignInSource } from './source.ts';
import { BackendTokenError, ConfigurationError, EmbedKitError, NetworkError, SignInRequiredError, TimeoutError } from './errors.ts';
import { DEFAULT_TIMEOUT_MS, send } from './http.ts';
import { assertSecureUrl, normalizeHost, refuseClientSecret } from './provider-options.ts';

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
}

/** Why the token went away: `backend` is a 401 (or `null`) from your backend. */
export type BackendSignOutReason = 'user' | 'backend' | 'refresh_failed';

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

/** `setTimeout` clamps larger delays to 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** A backend that keeps answering `expires_in: 0` is asked at most this often by the timer. */
const MIN_REFRESH_DELAY_MS = 1000;

/** Thrown inside a fetch to say "the backend says: no session". */
class SignedOutSignal extends Error {}

interface Fetched {
  token: string;
  /** Seconds, when the backend said. */
  expiresIn: number | undefined;
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
export class BackendTokenSource extends EventTarget implements SignInSource {
  readonly host: string | undefined;
  readonly clientId: string | undefined;
  readonly redirectUri: string | undefined;
  /** The resolved `accessTokenUrl`, when that is the mode. */
  readonly accessTokenUrl: string | undefined;

  readonly #options: BackendTokenSourceOptions;
  readonly #skewMs: number;
  readonly #timeoutMs: number;
  readonly #listeners = new Set<(snapshot: AuthSnapshot) => void>();
  #status: AuthStatus = 'signed-out';
  #error: EmbedKitError | undefined;
  #token: string | undefined;
  #expiresAt: number | undefined;
  /** Fetch again once past this (epoch ms); undefined with an unknown expiry. */
  #refreshAt: number | undefined;
  #flight: Promise<string> | undefined;
  /** Whether some caller of the flight forced it: then a failure may not fall back to the old token. */
  #flightForced = { value: false };
  /** Bumped by sign-out, so a fetch that lands afterwards cannot sign back in. */
  #generation = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

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
    this.#skewMs = skew * 1000;
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

  /** `signed-out`, `exchanging` (first fetch), `signed-in` or `error`. */
  get status(): AuthStatus {
    return this.#status;
  }

  /** The last failure; cleared by a successful fetch or a sign-out. */
  get error(): EmbedKitError | undefined {
    return this.#error;
  }

  /** Epoch milliseconds when the token expires, when the backend said. */
  get expiresAt(): number | undefined {
    return this.#expiresAt;
  }

  subscribe(listener: (snapshot: AuthSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * A valid token: the one in memory until it is due (within the skew of expiry), else a new
   * one from the backend. However many callers ask at once, there is one request. With
   * `forceRefresh` (the Qlik layer sets it after a 401) the backend is always asked. With a
   * token function, the function is called every time (it owns caching, as in qlik-embed).
   * @throws {SignInRequiredError} `backend_signed_out` when the backend answers 401.
   */
  getAccessToken(options: { forceRefresh?: boolean } = {}): Promise<string> {
    const token = this.#token;
    const usesFunction = this.accessTokenUrl === undefined;
    const due = this.#refreshAt !== undefined && Date.now() >= this.#refreshAt;
    if (token !== undefined && !options.forceRefresh && !due && !usesFunction) return Promise.resolve(token);
    if (this.#flight) {
      if (options.forceRefresh) this.#flightForced.value = true;
      return this.#flight;
    }
    const forced = { value: Boolean(options.forceRefresh) };
    const flight = this.#fetch(forced).finally(() => {
      if (this.#flight === flight) this.#flight = undefined;
    });
    this.#flight = flight;
    this.#flightForced = forced;
    return flight;
  }

  /**
   * Asks the backend for a token now: the way back after a 401, once the user has signed in to
   * the site. Rejects like `getAccessToken`; the outcome is also in `status` and the events.
   */
  async signIn(): Promise<void> {
    this.#error = undefined;
    await this.getAccessToken({ forceRefresh: true });
  }

  /**
   * Forgets the token (status `signed-out`, reason `user`). Your backend's session is yours to
   * end; until it ends, `signIn()` would get a token again.
   */
  async signOut(): Promise<void> {
    this.#clear('user');
    this.#error = undefined;
    this.#setStatus('signed-out');
  }

  async #fetch(forced: { readonly value: boolean }): Promise<string> {
    const generation = this.#generation;
    const startedAt = Date.now();
    if (this.#token === undefined) this.#setStatus('exchanging');
    try {
      const { token, expiresIn } = this.accessTokenUrl === undefined ? await this.#callFunction() : await this.#post(this.accessTokenUrl, forced.value);
      if (generation !== this.#generation) throw signedOutByUser();
      const previous = this.#token;
      this.#apply(token, expiresIn, startedAt);
      this.#error = undefined;
      if (previous !== undefined && this.#status === 'signed-in') {
        this.#notify();
        // The same token again (a function or backend serving its cache) is no news.
        if (token !== previous) this.#dispatch('token-refreshed', { expiresAt: this.#expiresAt });
      } else {
        this.#setStatus('signed-in');
        this.#dispatch('signed-in', { expiresAt: this.#expiresAt });
      }
      return token;
    } catch (cause) {
      if (generation !== this.#generation) throw cause instanceof SignedOutSignal ? signedOutByBackend(this.accessTokenUrl) : cause;
      if (cause instanceof SignedOutSignal) {
        const error = signedOutByBackend(this.accessTokenUrl);
        this.#clear('backend');
        this.#error = undefined;
        this.#setStatus('signed-out');
        throw error;
      }
      const error = toEmbedKitError(cause);
      const stillValid = this.#token !== undefined && (this.#expiresAt === undefined || Date.now() < this.#expiresAt);
      // A blip while the current token still works must not end the session: keep it, try later.
      if (!forced.value && stillValid && isTransient(error)) {
        this.#schedule(Math.min(30_000, Math.max(MIN_REFRESH_DELAY_MS, ((this.#expiresAt ?? Date.now()) - Date.now()) / 2)));
        return this.#token as string;
      }
      this.#clear('refresh_failed', error);
      this.#error = error;
      this.#setStatus('error');
      this.#dispatch('error', error);
      throw error;
    }
  }

  /** `refresh`: a forced fetch (the engine refused the token) says so, and `embed-kit/server` fetches anew, rate limited per user. */
  async #post(url: string, refresh: boolean): Promise<Fetched> {
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
    if (response.status === 401) throw new SignedOutSignal();
    if (!response.ok) throw backendError(url, response.status, body);
    const record = isRecord(body) ? body : {};
    const token = record.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new BackendTokenError('invalid_response', `${url} answered ${response.status} without an access_token.`, {
        status: response.status,
        cause: body,
        hint:
          'The endpoint must answer {"access_token": "…", "expires_in": seconds} as JSON. If it redirects to a ' +
          'login page when there is no session, make it answer 401 instead.',
      });
    }
    const raw = typeof record.expires_in === 'string' ? Number(record.expires_in) : record.expires_in;
    const expiresIn = typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? raw : undefined;
    return { token, expiresIn };
  }

  async #callFunction(): Promise<Fetched> {
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
      if (statusOf(error) === 401 || error instanceof SignInRequiredError) throw new SignedOutSignal();
      if (error instanceof EmbedKitError) throw error;
      throw new BackendTokenError('get_access_token_failed', `getAccessToken failed: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
        hint: 'Your getAccessToken function rejected; see the cause. Reject with an error whose status is 401 (or resolve null) to mean "signed out".',
      });
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
    if (value === null || value === undefined || value === '') throw new SignedOutSignal();
    if (typeof value !== 'string') {
      throw new BackendTokenError('invalid_response', `getAccessToken resolved with a ${typeof value}, not a token string.`, {
        cause: value,
        hint: 'Resolve with the raw access token string (qlik-embed\'s contract), not the whole token response.',
      });
    }
    return { token: value, expiresIn: undefined };
  }

  #apply(token: string, expiresIn: number | undefined, startedAt: number): void {
    this.#token = token;
    if (expiresIn === undefined) {
      this.#expiresAt = undefined;
      this.#refreshAt = undefined;
      this.#schedule(undefined);
      return;
    }
    const lifetimeMs = expiresIn * 1000;
    this.#expiresAt = startedAt + lifetimeMs;
    this.#refreshAt = this.#expiresAt - Math.min(this.#skewMs, lifetimeMs / 2);
    // Fetch ahead of expiry even when nobody asks, so that `status` stays true: a backend
    // session that ended shows up as signed out within one token lifetime.
    this.#schedule(Math.max(MIN_REFRESH_DELAY_MS, this.#refreshAt - Date.now()));
  }

  #schedule(delay: number | undefined): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (delay === undefined || delay > MAX_TIMER_MS) return;
    const generation = this.#generation;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (generation !== this.#generation || this.#token === undefined) return;
      // Failures are reported through status and events.
      this.getAccessToken().catch(() => undefined);
    }, delay);
  }

  #clear(reason: BackendSignOutReason, error?: EmbedKitError): void {
    const had = this.#token !== undefined;
    this.#generation += 1;
    this.#token = undefined;
    this.#expiresAt = undefined;
    this.#refreshAt = undefined;
    this.#flight = undefined;
    this.#schedule(undefined);
    if (had) this.#dispatch('signed-out', error ? { reason, error } : { reason });
  }

  override addEventListener<K extends keyof BackendTokenSourceEventMap>(
    type: K,
    listener: ((event: BackendTokenSourceEventMap[K]) => void) | { handleEvent(event: BackendTokenSourceEventMap[K]): void } | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
    super.addEventListener(type, listener, options);
  }

  override removeEventListener<K extends keyof BackendTokenSourceEventMap>(
    type: K,
    listener: ((event: BackendTokenSourceEventMap[K]) => void) | { handleEvent(event: BackendTokenSourceEventMap[K]): void } | null,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void {
    super.removeEventListener(type, listener, options);
  }

  #setStatus(status: AuthStatus): void {
    const previous = this.#status;
    if (previous === status) return;
    this.#status = status;
    this.#notify();
    this.#dispatch('status-change', { status, previous });
  }

  #notify(): void {
    const snapshot: AuthSnapshot = { status: this.#status };
    if (this.#expiresAt !== undefined) snapshot.expiresAt = this.#expiresAt;
    notifyListeners(this.#listeners, snapshot);
  }

  #dispatch<K extends keyof BackendTokenSourceEventMap>(type: K, detail: BackendTokenSourceEventMap[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
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

function isTransient(error: EmbedKitError): boolean {
  return error instanceof NetworkError || error instanceof TimeoutError || (error instanceof BackendTokenError && error.status >= 500 && error.status !== 501);
}

function signedOutByBackend(url: string | undefined): SignInRequiredError {
  return new SignInRequiredError('backend_signed_out', url ? `${url} answered 401: not signed in to the site.` : 'getAccessToken says: not signed in.', {
    hint: 'Sign in to the site (its own sign-in), then call signIn() to fetch a token again.',
  });
}

function signedOutByUser(): SignInRequiredError {
  return new SignInRequiredError('not_signed_in', 'Signed out while the token was being fetched.', { hint: 'Call signIn() to fetch a token again.' });
}

function toEmbedKitError(error: unknown): EmbedKitError {
  if (error instanceof EmbedKitError) return error;
  return new BackendTokenError('unexpected', error instanceof Error ? error.message : String(error), { cause: error, hint: 'See the error cause.' });
}

/** Hints for the codes `createImpersonationTokenHandler` answers with, and for bare statuses. */
const HINTS: Readonly<Record<string, string>> = {
  origin_not_allowed:
    'The backend refuses requests from this page\'s origin. Serve the page from the backend\'s origin, or add the origin to the handler\'s allowedOrigins.',
  user_not_found: 'The signed-in user has no user in the Qlik tenant that the backend could impersonate. Check the user lookup (subject or userId) the backend sends.',
  client_not_authorized:
    'The backend\'s OAuth client was refused by the tenant: check its client id and secret, and that the client may use user impersonation.',
  client_misconfigured: 'The backend\'s OAuth client settings were refused by the tenant (scope, grant or redirect). Check the backend configuration.',
  method_not_allowed: 'The endpoint wants another method; access-token-url endpoints are called with POST.',
  upstream_unreachable: 'The backend could not reach the Qlik tenant. Try again; check the backend\'s network and host setting.',
  upstream_timeout: 'The Qlik tenant did not answer the backend in time. Try again in a moment.',
};

function backendError(url: string, status: number, body: unknown): BackendTokenError {
  const record = isRecord(body) ? body : {};
  const code = typeof record.error === 'string' && record.error ? record.error : `http_${status}`;
  const text =
    (typeof record.message === 'string' && record.message) ||
    (typeof record.error_description === 'string' && record.error_description) ||
    (typeof body === 'string' && body.length <= 200 ? body.trim() : '');
  const hint =
    HINTS[code] ??
    (status === 404
      ? 'Check access-token-url: the backend has no such endpoint.'
      : status === 403
        ? 'The backend refused this request. Check its origin and session checks.'
        : status >= 500
          ? 'The backend failed. Try again in a moment; see its logs.'
          : 'See the error cause for what the backend sent.');
  return new BackendTokenError(code, `${url} answered ${status}${text ? `: ${text}` : ''}`, { status, cause: body, hint });
}
