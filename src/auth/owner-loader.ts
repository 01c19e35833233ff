/**
 * The owners of sign-in state load on demand, so that `<auth-login>` itself stays small: the
 * PKCE client when the element has a client id, the backend source when it takes tokens from a
 * backend. Once per page, shared by every element; a failed load is tried again next time.
 */
import { isCallbackUrl, takePageCallback } from './callback-url.ts';
import { loadFailed } from './errors.ts';

export type ClientModule = typeof import('./client.ts');
export type BackendModule = typeof import('./backend-token-source.ts');
export interface OwnerModules {
  client?: ClientModule;
  backend?: BackendModule;
}

// This tab's authorization response leaves the address bar as soon as the element's code loads:
// before a router that reads the address when it starts (Angular's) can, and before the sign-in
// code below has loaded. It waits in memory for the client.
takePageCallback();

/** The modules loaded so far. */
export const ownerModules: OwnerModules = {};
const loading: { [K in keyof OwnerModules]?: Promise<unknown> } = {};

export function loadOwner(kind: keyof OwnerModules): Promise<unknown> {
  // On a callback the protocol is needed at once: fetch it alongside the client, not after it.
  if (kind === 'client' && !loading.client && isCallbackUrl()) void import('./protocol.ts').catch(() => undefined);
  loading[kind] ??= (kind === 'client' ? import('./client.ts') : import('./backend-token-source.ts')).then(
    (module) => {
      Object.assign(ownerModules, { [kind]: module });
      if (kind !== 'client') return;
      // The protocol follows when the page is idle, so that a click on Sign in does not wait for it.
      const preload = (): void => void (module as ClientModule).loadAuthProtocol().catch(() => undefined);
      if (typeof requestIdleCallback === 'function') requestIdleCallback(preload, { timeout: 2000 });
      else setTimeout(preload, 100);
    },
    (cause: unknown) => {
      loading[kind] = undefined;
      throw loadFailed(cause);
    },
  );
  return loading[kind];
}
