/**
 * What other elements (and the qlik session layer) need from a sign-in: its status and a way
 * to get a valid access token. An interface, not a raw token, so that refresh stays in one place.
 */
import type { EmbedKitError } from './errors.ts';

export type AuthStatus = 'signed-out' | 'redirecting' | 'exchanging' | 'signed-in' | 'error';

export interface AuthSnapshot {
  status: AuthStatus;
  /** Epoch milliseconds when the current access token expires, when known. */
  expiresAt?: number;
}

export interface AuthSource {
  readonly status: AuthStatus;
  /** Origin of the tenant the tokens are for, e.g. `https://tenant.eu.qlikcloud.com`. */
  readonly host?: string;
  /** OAuth client id, sent along on Qlik's websocket-token exchange. */
  readonly clientId?: string;
  /** The redirect_uri registered for the client, also sent on Qlik's exchange. */
  readonly redirectUri?: string;
  /**
   * Resolves with a valid access token, refreshing first when it is about to expire.
   * `forceRefresh` is for callers that just got a 401 with the current token.
   * Rejects with an `EmbedKitError` when not signed in or when refresh fails.
   */
  getAccessToken(options?: { forceRefresh?: boolean }): Promise<string>;
  /** Called on every status or token change. Returns the unsubscribe function. */
  subscribe(listener: (snapshot: AuthSnapshot) => void): () => void;
}

/**
 * A sign-in that an element can drive: an `AuthSource` that also starts and ends, reports its
 * last error and token expiry, and dispatches `signed-in`, `token-refreshed`, `signed-out`
 * (`{ reason, error? }`), `error` and `status-change` events. `AuthClient` (PKCE redirect) and
 * `BackendTokenSource` (tokens from your backend) both are one, so `<auth-login>` holds either.
 */
export interface SignInSource extends AuthSource, EventTarget {
  /** The last failure; cleared by a new sign-in or a sign-out. */
  readonly error: EmbedKitError | undefined;
  /** Epoch milliseconds when the access token expires, when known. */
  readonly expiresAt: number | undefined;
  /** Starts a sign-in: a redirect for PKCE (`navigate` replaces `location.assign`), a fetch for a backend. */
  signIn(options?: { returnPath?: string; navigate?: (url: URL) => unknown }): Promise<void>;
  signOut(): Promise<void>;
}
