import type { AuthSnapshot } from './source.ts';

/**
 * Tells every subscriber about a change. One throwing listener must not keep the others
 * uninformed, so its error is reported and the loop goes on.
 */
export function notifyListeners(listeners: ReadonlySet<(snapshot: AuthSnapshot) => void>, snapshot: AuthSnapshot): void {
  for (const listener of [...listeners]) {
    try {
      listener(snapshot);
    } catch (error) {
      reportError(error);
    }
  }
}
