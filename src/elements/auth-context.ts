import { createContext } from '@lit/context';
import type { AuthSource } from '../auth/source.ts';

/**
 * The sign-in shared with nested elements. A `Symbol.for` key, so two copies of the bundle
 * on one page (common on CMS pages) still find each other.
 */
export const authContext = createContext<AuthSource | undefined>(Symbol.for('embed-kit/auth'));

/** True for anything that implements `AuthSource`: an upgraded `<auth-login>` or a page's own object. */
export function isAuthSource(value: unknown): value is AuthSource {
  const candidate = value as Partial<AuthSource> | null | undefined;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.getAccessToken === 'function' &&
    typeof candidate.subscribe === 'function' &&
    'status' in candidate
  );
}

/**
 * Finds the sign-in for an element that is not nested in one (a sibling on a CMS page):
 * with `authId`, the element with that id in the host's own tree (shadow root or document),
 * then in the document; without, the single `<auth-login>` in the document. Undefined when
 * there is none, when there are several, or when the tag is not upgraded yet.
 */
export function findAuthSource(host: HTMLElement, authId?: string): AuthSource | undefined {
  if (authId) {
    const root = host.getRootNode();
    const local = root instanceof ShadowRoot || root instanceof Document ? root.getElementById(authId) : null;
    const found = local ?? host.ownerDocument.getElementById(authId);
    return isAuthSource(found) ? found : undefined;
  }
  const logins = host.ownerDocument.querySelectorAll('auth-login');
  if (logins.length !== 1) return undefined;
  const only = logins[0];
  return isAuthSource(only) ? only : undefined;
}

const waiters = new Set<() => void>();
let observer: MutationObserver | undefined;
let scheduled = false;

function notifyWaiters(): void {
  if (scheduled) return;
  scheduled = true;
  queueMicrotask(() => {
    scheduled = false;
    for (const waiter of [...waiters]) waiter();
  });
}

/**
 * Calls `check` whenever a sign-in may have appeared: nodes added or removed, ids changed,
 * `<auth-login>` defined, or a sign-in event at document level. One observer and one set of
 * listeners serve every waiting element, and they exist only while someone waits.
 * Returns the function that stops watching.
 */
export function watchForAuthSource(check: () => void): () => void {
  waiters.add(check);
  if (!observer) {
    observer = new MutationObserver(notifyWaiters);
    observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['id'] });
    document.addEventListener('auth-signed-in', notifyWaiters);
    void customElements.whenDefined('auth-login').then(notifyWaiters);
  }
  return () => {
    waiters.delete(check);
    if (waiters.size === 0 && observer) {
      observer.disconnect();
      observer = undefined;
      document.removeEventListener('auth-signed-in', notifyWaiters);
    }
  };
}
