/**
 * Where tokens live: in memory, in private fields, and nowhere else. A reload means a new
 * sign-in, which is the price of keeping tokens out of reach of storage-reading scripts.
 *
 * Both ways to get tokens use it: `AuthClient` (refresh grant) and `BackendTokenSource` (your
 * backend, asked again), so single-flight, skew, backoff and the generation guard exist once.
 */
import { EmbedKitError, NetworkError, SignInRequiredError, TimeoutError, TokenEndpointError, toEmbedKitError } from './errors.ts';
import { hintIn } from './error-registry/area.ts';
import { TOKEN_ERRORS } from './error-registry/tokens.ts';
import { systemClock, type Clock } from './clock.ts';
import type { TokenResponse } from './token-endpoint.ts';

/**
 * Why tokens went away. `backend`: your backend said the site session ended; `other_tab`: the user
 * signed out in another tab of this sign-in.
 */
export type SignOutReason = 'user' | 'other_tab' | 'refresh_failed' | 'expired' | 'backend';

export type TokenStoreChange =
  | { type: 'set'; expiresAt: number | undefined }
  | { type: 'refreshed'; expiresAt: number | undefined }
  | { type: 'cleared'; reason: SignOutReason; error?: EmbedKitError }
  /** A refresh failed and nothing was cleared: a kept token (`kept`), or there was none to clear. */
  | { type: 'failed'; error: EmbedKitError; kept: boolean };

/** Revokes one token (RFC 7009); the store hands it the tokens it is dropping. */
export type TokenRevoker = (token: string, tokenTypeHint: 'access_token' | 'refresh_token') => Promise<void>;

/** Runs `work` while holding a lock, e.g. a Web Lock shared by the tabs of one origin. */
export type LockRunner = <T>(work: () => Promise<T>) => Promise<T>;

export interface TokenStoreOptions {
  /**
   * Gets new tokens: the refresh grant, or your backend asked again. It gets the refresh token
   * (`''` when none is held). Without it the store cannot refresh.
   */
  refresh?: (refreshToken: string) => Promise<TokenResponse>;
  /** `refresh` needs no refresh token (a backend): it may also fetch the first token. */
  refreshWithoutToken?: boolean;
  /** Refresh ahead of expiry on a timer even when nobody asks, so `status` stays true. */
  refreshAhead?: boolean;
  /** Refresh this many seconds before expiry (at most half the token's life). Default 30. */
  refreshSkewSeconds?: number;
  /** Why a failed refresh ends the session; default `refresh_failed`. */
  signOutReason?: (error: EmbedKitError) => SignOutReason;
  /** Wraps every refresh, e.g. in a lock shared by tabs. The store re-checks its tokens inside. */
  lock?: LockRunner;
  /** Clock seam (time and timers). */
  clock?: Clock;
  /** Time seam only; `clock` wins. */
  now?: () => number;
}

/** `setTimeout` clamps larger delays to 1 ms, which would expire a long-lived token at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Backoff after failed refreshes that kept the token: 1 s, 2 s, 4 s… up to 30 s. */
const BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;

/**
 * A failure that says nothing about the session: the network, a timeout, a 5xx, a 429, or the
 * RFC 6749 `server_error` / `temporarily_unavailable`. Only a definitive refusal ends a session.
 */
function isTransient(error: EmbedKitError): boolean {
  if (error instanceof NetworkError || error instanceof TimeoutError) return true;
  if (error.code === 'server_error' || error.code === 'temporarily_unavailable') return true;
  return error instanceof TokenEndpointError && (error.status === 429 || (error.status >= 500 && error.status !== 501));
}

/**
 * Access token, refresh token and expiry, with single-flight refresh: however many callers ask
 * while a refresh is under way, there is one refresh request and they all get its result.
 */
export class TokenStore {
  #accessToken: string | undefined;
  #refreshToken: string | undefined;
  #expiresAt: number | undefined;
  /** Refresh once past this (epoch ms): expiry minus the skew, or half the lifetime when shorter. */
  #refreshAt: number | undefined;
  #refreshing: Promise<string> | undefined;
  /** Some caller of the refresh in flight forced it: then a failure may not fall back to the old token. */
  #forcedFlight = false;
  /** Bumped on every set/clear, so a refresh that lands after a sign-out cannot revive tokens. */
  #generation = 0;
  #timer: unknown;
  /** After a failed refresh that kept the token: no new attempt before this, and how many failed. */
  #retryAt = 0;
  #failures = 0;
  /** The server asked us to wait until then (`Retry-After`): no request before it, forced or not. */
  #notBefore = 0;
  readonly #listeners = new Set<(change: TokenStoreChange) => void>();
  readonly #options: TokenStoreOptions;
  readonly #skewMs: number;
  readonly #clock: Clock;

  constructor(options: TokenStoreOptions = {}) {
    const skew = options.refreshSkewSeconds ?? 30;
    if (!Number.isFinite(skew) || skew < 0) throw new TypeError(`refreshSkewSeconds must be >= 0, got ${String(skew)}`);
    this.#options = options;
    this.#skewMs = skew * 1000;
    this.#clock = options.clock ?? (options.now ? { ...systemClock, now: options.now } : systemClock);
  }

  /** Whether an access token is held (it may be due for refresh). */
  get hasToken(): boolean {
    return this.#accessToken !== undefined;
  }

  /** Epoch milliseconds when the access token expires, when the server said. */
  get expiresAt(): number | undefined {
    return this.#expiresAt;
  }

  /** Whether the store can get a new token without a sign-in. */
  get canRefresh(): boolean {
    return this.#options.refresh !== undefined && (this.#refreshToken !== undefined || this.#options.refreshWithoutToken === true);
  }

  /** Listens for set, refreshed, cleared and failed. Returns the unsubscribe function. */
  subscribe(listener: (change: TokenStoreChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Takes the tokens from a token response (a code exchange, or tokens another tab shared, which
   * are news as `refreshed` when this tab was signed in already). `expires_at` (epoch ms) wins
   * over `expires_in`, so shared tokens keep their real lifetime.
   */
  set(response: TokenResponse & { expires_at?: number }, change: 'set' | 'refreshed' = 'set'): void {
    this.#generation += 1;
    this.#refreshing = undefined;
    this.#apply(response);
    this.#emit({ type: change, expiresAt: this.#expiresAt });
  }

  /** The tokens held, for sharing with other tabs of this origin; never put them in storage. */
  tokens(): (TokenResponse & { expires_at?: number }) | undefined {
    if (this.#accessToken === undefined) return undefined;
    const tokens: TokenResponse & { expires_at?: number } = { access_token: this.#accessToken, token_type: 'Bearer' };
    if (this.#refreshToken !== undefined) tokens.refresh_token = this.#refreshToken;
    if (this.#expiresAt !== undefined) tokens.expires_at = this.#expiresAt;
    return tokens;
  }

  /**
   * A valid access token. Refreshes first when it is due (or when `forceRefresh`, e.g. after a
   * 401; `always` asks every time, for a token function that owns its own caching).
   * @throws {SignInRequiredError} `not_signed_in`, or `token_expired` with no way to refresh.
   * @throws the refresh error when the refresh fails.
   */
  getAccessToken(options: { forceRefresh?: boolean; always?: boolean } = {}): Promise<string> {
    const token = this.#accessToken;
    const now = this.#clock.now();
    if (token === undefined && !this.#options.refreshWithoutToken) {
      return Promise.reject(new SignInRequiredError('not_signed_in', 'Not signed in.', { hint: hintIn(TOKEN_ERRORS, 'not_signed_in') }));
    }
    const expired = this.#expiresAt !== undefined && now >= this.#expiresAt;
    const due = this.#refreshAt !== undefined && now >= this.#refreshAt;
    if (token !== undefined && !options.forceRefresh && !options.always) {
      // Not due, or backing off after a failure while the token still works.
      if (!due || (!expired && now < this.#retryAt)) return Promise.resolve(token);
    }
    if (this.#refreshing) {
      if (options.forceRefresh) this.#forcedFlight = true;
      return this.#refreshing;
    }
    if (!this.canRefresh) {
      // Inside the skew the token still works, so it is better than nothing.
      if (token !== undefined && !options.forceRefresh && !expired) return Promise.resolve(token);
      const error = new SignInRequiredError('token_expired', 'The access token expired and cannot be refreshed.', {
        hint: hintIn(TOKEN_ERRORS, 'token_expired'),
      });
      this.clear('expired', error);
      return Promise.reject(error);
    }
    this.#forcedFlight = Boolean(options.forceRefresh);
    const flight: Promise<string> = this.#runRefresh().finally(() => {
      if (this.#refreshing === flight) this.#refreshing = undefined;
    });
    this.#refreshing = flight;
    return flight;
  }

  /** Drops every token now and notifies with `reason`. */
  clear(reason: SignOutReason = 'user', error?: EmbedKitError): void {
    const hadToken = this.#accessToken !== undefined;
    this.#forget();
    if (hadToken) this.#emit(error ? { type: 'cleared', reason, error } : { type: 'cleared', reason });
  }

  /**
   * Drops every token now, then revokes them with `revoke` (refresh token first, as revoking it
   * usually revokes its access tokens too). Revocation failures are swallowed: the tokens are
   * already gone from this page, and a server that cannot revoke will let them expire.
   */
  async signOut(revoke?: TokenRevoker): Promise<void> {
    const refreshToken = this.#refreshToken;
    const accessToken = this.#accessToken;
    this.clear('user');
    if (!revoke) return;
    const attempts: Promise<void>[] = [];
    if (refreshToken !== undefined) attempts.push(revoke(refreshToken, 'refresh_token'));
    if (accessToken !== undefined) attempts.push(revoke(accessToken, 'access_token'));
    await Promise.allSettled(attempts);
  }

  async #runRefresh(): Promise<string> {
    const generation = this.#generation;
    const refresh = this.#options.refresh as (refreshToken: string) => Promise<TokenResponse>;
    try {
      // The server asked us to wait (Retry-After): wait as told rather than ask again at once.
      const wait = this.#notBefore - this.#clock.now();
      if (wait > 0) await new Promise<void>((resolve) => this.#clock.setTimeout(resolve, Math.min(wait, MAX_TIMER_MS)));
      if (generation !== this.#generation) return await this.#afterChange();
      // Inside a lock another tab may have refreshed meanwhile and shared its tokens (a new
      // generation); then those are the answer, and the old refresh token is spent.
      const work = async (): Promise<TokenResponse | undefined> => (generation === this.#generation ? refresh(this.#refreshToken ?? '') : undefined);
      const response = await (this.#options.lock ? this.#options.lock(work) : work());
      if (response === undefined || generation !== this.#generation) return await this.#afterChange();
      const previous = this.#accessToken;
      this.#apply({ ...response, refresh_token: response.refresh_token ?? this.#refreshToken });
      // The same token again (a backend serving its cache) is no news.
      if (response.access_token !== previous) this.#emit({ type: previous === undefined ? 'set' : 'refreshed', expiresAt: this.#expiresAt });
      return response.access_token;
    } catch (cause) {
      if (generation !== this.#generation) throw cause;
      const error = toEmbedKitError(cause);
      const forced = this.#forcedFlight;
      const now = this.#clock.now();
      const token = this.#accessToken;
      const stillValid = token !== undefined && (this.#expiresAt === undefined || now < this.#expiresAt);
      // A forced refresh means the token was just refused (a 401), so it is not worth keeping.
      if (isTransient(error) && ((stillValid && !forced) || token === undefined)) {
        // Keep a token that still works, and try again later with backoff, never sooner than
        // the server asked; the session ends only at expiry (or on a definitive refusal).
        const backoff = Math.min(MAX_BACKOFF_MS, BACKOFF_MS * 2 ** this.#failures);
        this.#failures += 1;
        const retryAfter = error instanceof TokenEndpointError ? (error.retryAfterMs ?? 0) : 0;
        this.#retryAt = now + Math.max(backoff, retryAfter);
        this.#notBefore = now + retryAfter;
        if (token !== undefined) this.#arm(Math.min(this.#retryAt, this.#expiresAt ?? Infinity) - now);
        this.#emit({ type: 'failed', error, kept: token !== undefined });
        if (token !== undefined) return token;
        throw error;
      }
      if (token === undefined) {
        this.#emit({ type: 'failed', error, kept: false });
        throw error;
      }
      this.clear(this.#options.signOutReason?.(error) ?? 'refresh_failed', error);
      throw error;
    }
  }

  /** The tokens changed while a refresh was under way: a sign-out (which it must not undo), or newer tokens. */
  #afterChange(): Promise<string> {
    if (this.#accessToken === undefined) {
      return Promise.reject(new SignInRequiredError('not_signed_in', 'Signed out while the token was being fetched.', { hint: hintIn(TOKEN_ERRORS, 'not_signed_in') }));
    }
    return this.getAccessToken();
  }

  #apply(response: TokenResponse & { expires_at?: number }): void {
    const now = this.#clock.now();
    this.#accessToken = response.access_token;
    this.#refreshToken = response.refresh_token || undefined;
    this.#expiresAt = response.expires_at ?? (response.expires_in === undefined ? undefined : now + response.expires_in * 1000);
    // Refreshing ahead on a timer, at most halfway through the token's life, so that a short-lived
    // token is not fetched again and again; on demand, the full skew.
    const lead = this.#options.refreshAhead ? Math.min(this.#skewMs, ((this.#expiresAt ?? now) - now) / 2) : this.#skewMs;
    this.#refreshAt = this.#expiresAt === undefined ? undefined : this.#expiresAt - lead;
    this.#retryAt = 0;
    this.#notBefore = 0;
    this.#failures = 0;
    if (this.#expiresAt === undefined) this.#arm(undefined);
    else if (this.#options.refreshAhead && this.canRefresh) this.#arm(Math.max(1000, (this.#refreshAt ?? now) - now));
    // Without a way to refresh nothing would notice the token lapsing, and the page would claim
    // to be signed in with a dead token; the timer signs out when it expires.
    else if (!this.canRefresh) this.#arm(this.#expiresAt - now);
    else this.#arm(undefined);
  }

  #forget(): void {
    this.#generation += 1;
    this.#accessToken = undefined;
    this.#refreshToken = undefined;
    this.#expiresAt = undefined;
    this.#refreshAt = undefined;
    this.#refreshing = undefined;
    this.#retryAt = 0;
    this.#notBefore = 0;
    this.#failures = 0;
    this.#arm(undefined);
  }

  /** One timer: refresh ahead, retry after backoff, or sign out at expiry when nothing can refresh. */
  #arm(delay: number | undefined): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (delay === undefined || delay > MAX_TIMER_MS) return;
    const generation = this.#generation;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      if (generation !== this.#generation || this.#accessToken === undefined) return;
      if (!this.canRefresh) {
        this.clear('expired', new SignInRequiredError('token_expired', 'The access token expired.', { hint: hintIn(TOKEN_ERRORS, 'token_expired') }));
        return;
      }
      // Failures are reported through the change listeners.
      this.getAccessToken({ always: true }).catch(() => undefined);
    }, Math.max(0, delay));
  }

  #emit(change: TokenStoreChange): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (error) {
        // One broken listener must not stop the others or the store's own bookkeeping.
        reportError(error);
      }
    }
  }
}
