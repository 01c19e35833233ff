/**
 * The options and events of `AuthClient`, apart from the class so that both stay readable.
 */
import type { Clock } from './clock.ts';
import type { EmbedKitError, UserInfoError } from './errors.ts';
import type { ProviderOptions } from './provider-options.ts';
import type { AuthStatus } from './source.ts';
import type { SignOutReason } from './token-store.ts';
import type { TokenResponse } from './token-endpoint.ts';
import type { AuthUser } from './user.ts';

/** Tokens as one tab shares them with another of the same origin: `expires_at` is epoch ms. */
export type SharedTokens = TokenResponse & { expires_at?: number };

/** The provider options (`provider`, `host`, `region`, `issuer`, endpoints, `scope`…) and the client's own. */
export interface AuthClientOptions extends ProviderOptions {
  clientId: string;
  /** Default: `location.origin + location.pathname`. Must be registered exactly so. */
  redirectUri?: string;
  fetch?: typeof fetch;
  /** Per request; default 15 000. */
  timeoutMs?: number;
  /** Refresh this many seconds before expiry; default 30. */
  refreshSkewSeconds?: number;
  /** Defaults to the tab's session storage (see transaction.ts); only ever holds the login transaction. */
  storage?: Storage;
  /** Clock seam (time and timers) for refresh and backoff. */
  clock?: Clock;
  /**
   * Runs each refresh under a lock, e.g. `(name, work) => navigator.locks.request(name, work)`,
   * so tabs sharing tokens refresh one at a time. Inside it the client re-checks its tokens:
   * when another tab's refresh arrived meanwhile (`adoptTokens`), it uses those.
   */
  lock?: <T>(name: string, work: () => Promise<T>) => Promise<T>;
  /**
   * Hears every change of the tokens: the new tokens after a sign-in or refresh, `undefined` after
   * a sign-out, so that another tab can `adoptTokens` them. Keep them in memory or post them to
   * same-origin tabs only; never store them.
   */
  onTokens?: (tokens: SharedTokens | undefined) => void;
  /**
   * `tabs` (default): share the sign-in with this origin's other open tabs of the same provider,
   * host and client id, in memory only (tab-sync.ts): `signInFromOtherTabs()` asks them, they
   * answer, sign-out signs them all out, and refresh runs under their common Web Lock (in place of
   * `lock`). `none`: this client keeps to itself.
   */
  share?: 'tabs' | 'none';
}

export interface SignedInDetail {
  expiresAt: number | undefined;
}
export type TokenRefreshedDetail = SignedInDetail;
export interface SignedOutDetail {
  reason: SignOutReason;
  error?: EmbedKitError;
}
export interface StatusChangeDetail {
  status: AuthStatus;
  previous: AuthStatus;
}

/** Events an `AuthClient` dispatches, all plain `CustomEvent`s. */
export interface AuthClientEventMap {
  'signed-in': CustomEvent<SignedInDetail>;
  'token-refreshed': CustomEvent<TokenRefreshedDetail>;
  'signed-out': CustomEvent<SignedOutDetail>;
  error: CustomEvent<EmbedKitError>;
  'status-change': CustomEvent<StatusChangeDetail>;
  /** Detail: the new user, or `null` when there is none (signed out). */
  'user-change': CustomEvent<AuthUser | null>;
  'user-error': CustomEvent<UserInfoError>;
}
