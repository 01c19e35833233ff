/**
 * The options and events of `AuthClient`, and the option checks that must fail at once, apart
 * from the class so that both stay readable.
 */
import type { Clock } from './clock.ts';
import { ConfigurationError, type EmbedKitError, type UserInfoError } from './errors.ts';
import { assertSecureUrl, providerHost, refuseClientSecret, type ProviderOptions } from './provider-options.ts';
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
   * host, issuer (else token endpoint) and client id, in memory only (tab-sync.ts):
   * `signInFromOtherTabs()` asks them, they answer, sign-out signs them all out, and refresh runs
   * under their common Web Lock (in place of `lock`). `none`: this client keeps to itself.
   */
  share?: 'tabs' | 'none';
  /** How long a signed-out start waits for the other tabs' answer. Default 150 ms; it ends early once every live tab answered. */
  shareWaitMs?: number;
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

/** The page's location; a typed error where there is none (a worker, Node). */
export function pageLocation(): Location {
  const location = globalThis.location as Location | undefined;
  if (!location) {
    throw new ConfigurationError('missing_option', 'There is no page location to default the redirect URI from.', {
      hint: 'Pass redirectUri.',
    });
  }
  return location;
}

/**
 * Checks the options without the network, so that a bad one fails at once, and works out the
 * client's host, id and redirect URI.
 * @throws {ConfigurationError} for a client secret (`client_secret_refused`), plain http off
 * loopback (`insecure_endpoint`), a missing client id, host, region or issuer (`missing_option`),
 * or a redirect URI with a fragment (`invalid_option`).
 */
export function checkClientOptions(options: AuthClientOptions): { host: string | undefined; clientId: string; redirectUri: string } {
  if (typeof options !== 'object' || options === null) throw new TypeError('AuthClient needs an options object');
  refuseClientSecret(options);
  const clientId = typeof options.clientId === 'string' ? options.clientId.trim() : '';
  if (!clientId) {
    throw new ConfigurationError('missing_option', 'The clientId option is required.', {
      hint: 'Set client-id to the id of the OAuth client registered for this page.',
    });
  }
  // Checks every provider option (and works out the host) without the network.
  const host = providerHost(options);
  const uri = options.redirectUri?.trim() || `${pageLocation().origin}${pageLocation().pathname}`;
  // RFC 6749 §3.1.2: the redirection endpoint URI must not include a fragment.
  if (assertSecureUrl(uri, 'redirectUri').hash) {
    throw new ConfigurationError('invalid_option', `The redirectUri ${uri} has a fragment.`, {
      hint: 'Remove the #fragment from redirect-uri (and from the registered URI).',
    });
  }
  // The token store checks this too, but it loads later; a bad value should fail now.
  const skew = options.refreshSkewSeconds ?? 30;
  if (!Number.isFinite(skew) || skew < 0) throw new TypeError(`refreshSkewSeconds must be >= 0, got ${String(skew)}`);
  // The redirect URI is kept as written, since servers compare it with the registered string.
  return { host, clientId, redirectUri: uri };
}
