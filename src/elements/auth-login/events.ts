import type { EmbedKitError } from '../../auth/errors.ts';
import type { AuthUser } from '../../auth/user.ts';

const init = { bubbles: true, composed: true } as const;

/** Fired before `<auth-login>` navigates to the authorization server. Cancel it to stay on the page. */
export class AuthBeforeRedirectEvent extends Event {
  static readonly type = 'auth-before-redirect';
  constructor(readonly url: URL) {
    super(AuthBeforeRedirectEvent.type, { ...init, cancelable: true });
  }
}

/** Fired once tokens are held in memory after a sign-in. */
export class AuthSignedInEvent extends Event {
  static readonly type = 'auth-signed-in';
  constructor(readonly expiresAt: number | undefined) {
    super(AuthSignedInEvent.type, init);
  }
}

/** Fired after a refresh_token grant replaced the access token. */
export class AuthTokenRefreshedEvent extends Event {
  static readonly type = 'auth-token-refreshed';
  constructor(readonly expiresAt: number | undefined) {
    super(AuthTokenRefreshedEvent.type, init);
  }
}

/**
 * `user`: signed out here; `other_tab`: signed out in another tab of this sign-in; `refresh_failed`,
 * `expired`: the tokens could no longer be refreshed; `backend`: your backend answered 401.
 */
export type SignOutReason = 'user' | 'other_tab' | 'refresh_failed' | 'expired' | 'backend';

/**
 * Fired when tokens were dropped: by the user, here or in another tab (`reason` `other_tab`), or
 * because they could no longer be refreshed.
 */
export class AuthSignedOutEvent extends Event {
  static readonly type = 'auth-signed-out';
  constructor(
    readonly reason: SignOutReason,
    readonly error?: EmbedKitError,
  ) {
    super(AuthSignedOutEvent.type, init);
  }
}

/** Fired with the typed error whenever sign-in, refresh or configuration fails. */
export class AuthErrorEvent extends Event {
  static readonly type = 'auth-error';
  constructor(readonly error: EmbedKitError) {
    super(AuthErrorEvent.type, init);
  }
}

/** Fired when `user` changes: known after sign-in, `undefined` after sign-out. */
export class AuthUserChangedEvent extends Event {
  static readonly type = 'auth-user-changed';
  constructor(readonly user: AuthUser | undefined) {
    super(AuthUserChangedEvent.type, init);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'auth-before-redirect': AuthBeforeRedirectEvent;
    'auth-signed-in': AuthSignedInEvent;
    'auth-token-refreshed': AuthTokenRefreshedEvent;
    'auth-signed-out': AuthSignedOutEvent;
    'auth-error': AuthErrorEvent;
    'auth-user-changed': AuthUserChangedEvent;
  }
}
