/** `import 'embed-kit/define/auth-login'`: registers `<auth-login>` only (the smallest sign-in page). */
import { AuthLogin } from '../elements/auth-login/auth-login.ts';
import { defineTag } from './tag.ts';

// Re-exported so that this entry's type declarations carry the events' `GlobalEventHandlersEventMap`.
export type { AuthBeforeRedirectEvent, AuthErrorEvent, AuthSignedInEvent, AuthSignedOutEvent, AuthTokenRefreshedEvent, AuthUserChangedEvent } from '../elements/auth-login/events.ts';
export { AuthLogin };

defineTag('auth-login', AuthLogin);

declare global {
  interface HTMLElementTagNameMap {
    'auth-login': AuthLogin;
  }
}
