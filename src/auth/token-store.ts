/**
 * Where tokens live: in memory, in private fields, and nowhere else. A reload means a new
 * sign-in, which is the price of keeping tokens out of reach of storage-reading scripts.
 */
import { EmbedKitError, NetworkError, SignInRequiredError, TimeoutError } from './errors.ts';
import { hintFor } from './error-response.ts';
import type { TokenResponse } from './token-endpoint.ts';
import type { SharedTokens } from './tab-sync.ts';

/** Why tokens went away; `other_tab`: the user signed out in another tab of this sign-in. */
export type SignOutReason = 'user' | 'refresh_failed' | 'expired' | 'other_tab';

export type TokenStoreChange =
  | { type: 'set'; expiresAt: number | undefined }
  | { type: 'refreshed'; expiresAt: number | undefined }
  | { type: 'cleared'; reason: SignOutReason; error?: EmbedKitError };

/** Revokes one token (RFC 7009); the store hands it the tokens it is dropping. */
export type TokenRevoker = (token: string, tokenTypeHint: 'access_token' | 'refresh_token') => Promise<void>;

export interface TokenStoreOptions {
  /** Performs the refresh_token grant. Without it the store cannot refresh. */
  refresh?: (refreshToken: string) => Promise<TokenResponse>;
  /** Refresh this many seconds before expiry. Default 30. */
  refreshSkewSeconds?: number;
  /** Clock seam; defaults to `Date.now`. */
  now?: () => number;
  /** Told what the store holds after every change (`undefined`: nothing), for sharing with other tabs. */
  onHeld?: (tokens: SharedTokens | undefined) => void;
}

/** `setTimeout` clamps larger delays to 1 ms, which would expire a long-lived token at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Access token, refresh token and expiry, with single-flight refresh: however many callers ask
 * while a refresh is under way, there is one refresh request and they all get its result.
 */
export class TokenStore {
  #accessToken: string | undefined;
  #refreshToken: string | undefined;
  #expiresAt: number | undefined;
  #refreshing: Promise<string> | undefined;
  /** Bumped on every set/clear, so a refresh that lands after a sign-out cannot revive tokens. */
  #generation = 0;
  #expiryTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #listeners = new Set<(change: TokenStoreChange) => void>();
  readonly #refresh: ((refreshToken: string) => Promise<TokenResponse>) | undefined;
  readonly #skewMs: number;
  readonly #now: () => number;
  readonly #onHeld: ((tokens: SharedTokens | undefined) => void) | undefined;

  constructor(options: TokenStoreOptions = {}) {
    const skew = options.refreshSkewSeconds ?? 30;
    if (!Number.isFinite(skew) || skew < 0) throw new TypeError(`refreshSkewSeconds must be >= 0, got ${String(skew)}`);
    this.#refresh = options.refresh;
    this.#skewMs = skew * 1000;
    this.#now = options.now ?? Date.now;
    this.#onHeld = options.onHeld;
  }

  /** Whether an access token is held (it may be due for refresh). */
  get hasToken(): boolean {
    return this.#accessToken !== undefined;
  }

  /** Epoch milliseconds when the access token expires, when the server said. */
  get expiresAt(): number | undefined {
    return this.#expiresAt;
  }

  /** Whether a refresh token is held, without revealing it. */
  get canRefresh(): boolean {
    return this.#refreshToken !== undefined && this.#refresh !== undefined;
  }

  /** Listens for set, refreshed and cleared. Returns the unsubscribe function. */
  subscribe(listener: (change: TokenStoreChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Takes the tokens from a token response (after a code exchange). */
  set(response: TokenResponse): void {
    this.#generation += 1;
    this.#refreshing = undefined;
    this.#apply(response);
    this.#emit({ type: 'set', expiresAt: this.#expiresAt });
  }

  /**
   * Takes tokens another tab holds: `set` when this store held none (signed in from another
   * tab), else `refreshed` (another tab refreshed for this one).
   */
  adopt(tokens: SharedTokens): void {
    const held = this.hasToken;
    this.#generation += 1;
    this.#refreshing = undefined;
    this.#apply(sharedToResponse(tokens, this.#now()));
    this.#emit({ type: held ? 'refreshed' : 'set', expiresAt: this.#expiresAt });
  }

  /**
   * A valid access token. Refreshes first when it expires within the skew (or when
   * `forceRefresh`, e.g. after a 401).
   * @throws {SignInRequiredError} `not_signed_in`, or `token_expired` with no refresh token.
   * @throws the refresh error (after signing out) when the refresh grant fails.
   */
  getAccessToken(options: { forceRefresh?: boolean } = {}): Promise<string> {
    const token = this.#accessToken;
    if (token === undefined) {
      return Promise.reject(
        new SignInRequiredError('not_signed_in', 'Not signed in.', { hint: hintFor('not_signed_in') }),
      );
    }
    const now = this.#now();
    const dueForRefresh = this.#expiresAt !== undefined && now >= this.#expiresAt - this.#skewMs;
    if (!options.forceRefresh && !dueForRefresh) return Promise.resolve(token);
    if (this.#refreshing) return this.#refreshing;
    if (!this.canRefresh) {
      const expired = this.#expiresAt !== undefined && now >= this.#expiresAt;
      // Inside the skew the token still works, so it is better than nothing.
      if (!options.forceRefresh && !expired) return Promise.resolve(token);
      const error = new SignInRequiredError('token_expired', 'The access token expired and cannot be refreshed.', {
        hint: hintFor('token_expired'),
      });
      this.clear('expired', error);
      return Promise.reject(error);
    }
    const flight: Promise<string> = this.#runRefresh(Boolean(options.forceRefresh)).finally(() => {
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

  async #runRefresh(forced: boolean): Promise<string> {
    const generation = this.#generation;
    const refreshToken = this.#refreshToken;
    const refresh = this.#refresh;
    try {
      if (refreshToken === undefined || refresh === undefined) throw new Error('unreachable: no refresh token');
      const response = await refresh(refreshToken);
      // Replaced meanwhile (another tab's refresh, a new sign-in): those tokens are the freshest there are.
      if (generation !== this.#generation) return this.#accessToken ?? (await this.getAccessToken());
      this.#apply({ ...response, refresh_token: response.refresh_token ?? refreshToken });
      this.#emit({ type: 'refreshed', expiresAt: this.#expiresAt });
      return response.access_token;
    } catch (cause) {
      if (generation !== this.#generation) throw cause;
      const error = toEmbedKitError(cause);
      const stillValid =
        this.#accessToken !== undefined && (this.#expiresAt === undefined || this.#now() < this.#expiresAt);
      // A network blip must not sign the user out while the current token still works; the
      // next call tries again. A server that said no (invalid_grant…) ends the session.
      if (!forced && stillValid && (error instanceof NetworkError || error instanceof TimeoutError)) {
        return this.#accessToken as string;
      }
      this.clear('refresh_failed', error);
      throw error;
    }
  }

  #apply(response: TokenResponse): void {
    this.#accessToken = response.access_token;
    this.#refreshToken = response.refresh_token || undefined;
    this.#expiresAt = response.expires_in === undefined ? undefined : this.#now() + response.expires_in * 1000;
    this.#armExpiryTimer();
    const held: SharedTokens = { accessToken: response.access_token };
    if (this.#expiresAt !== undefined) held.expiresAt = this.#expiresAt;
    if (this.#refreshToken !== undefined) held.refreshToken = this.#refreshToken;
    this.#onHeld?.(held);
  }

  #forget(): void {
    this.#generation += 1;
    this.#accessToken = undefined;
    this.#refreshToken = undefined;
    this.#expiresAt = undefined;
    this.#refreshing = undefined;
    if (this.#expiryTimer !== undefined) clearTimeout(this.#expiryTimer);
    this.#expiryTimer = undefined;
    this.#onHeld?.(undefined);
  }

  /**
   * Without a refresh token nothing would notice the token lapsing, and the page would claim
   * to be signed in with a dead token; the timer signs out when it expires.
   */
  #armExpiryTimer(): void {
    if (this.#expiryTimer !== undefined) clearTimeout(this.#expiryTimer);
    this.#expiryTimer = undefined;
    if (this.#expiresAt === undefined || this.canRefresh) return;
    const delay = Math.max(0, this.#expiresAt - this.#now());
    if (delay > MAX_TIMER_MS) return;
    this.#expiryTimer = setTimeout(() => {
      this.#expiryTimer = undefined;
      this.clear(
        'expired',
        new SignInRequiredError('token_expired', 'The access token expired.', { hint: hintFor('token_expired') }),
      );
    }, delay);
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

/** Tokens from another tab (absolute expiry) as a token response (relative expiry). */
export function sharedToResponse(tokens: SharedTokens, now: number): TokenResponse {
  const response: TokenResponse = { access_token: tokens.accessToken, token_type: 'Bearer' };
  if (tokens.expiresAt !== undefined) response.expires_in = (tokens.expiresAt - now) / 1000;
  if (tokens.refreshToken !== undefined) response.refresh_token = tokens.refreshToken;
  return response;
}

function toEmbedKitError(error: unknown): EmbedKitError {
  if (error instanceof EmbedKitError) return error;
  return new EmbedKitError('refresh_failed', `Refreshing the token failed: ${String(error)}`, {
    hint: 'Sign in again.',
    cause: error,
  });
}
