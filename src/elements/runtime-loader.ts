import { loadFailed } from '../auth/errors.ts';

/** The session runtime's module (qlik-runtime.ts). */
export type QlikRuntime = typeof import('./qlik-runtime.ts');

let loading: Promise<QlikRuntime> | undefined;
let loaded: QlikRuntime | undefined;

/**
 * Loads the session runtime once per copy of the kit; a failed load (offline, a deploy replaced
 * the files) rejects with `load_failed` and is tried again on the next call.
 */
export function loadQlikRuntime(): Promise<QlikRuntime> {
  loading ??= import('./qlik-runtime.ts').then(
    (module) => (loaded = module),
    (error: unknown) => {
      loading = undefined;
      throw loadFailed(error, 'Qlik session');
    },
  );
  return loading;
}

/** The session runtime if it has loaded already, for the synchronous paths that need it only once a session exists. */
export function loadedQlikRuntime(): QlikRuntime | undefined {
  return loaded;
}

/**
 * Runs `use` with the session runtime, now when it has loaded, else once it has; returns a
 * stop function that undoes `use`, or keeps it from running if it has not run yet. A failed load
 * is left to whoever opens the session to report.
 */
export function withQlikRuntime(use: (runtime: QlikRuntime) => () => void): () => void {
  const runtime = loaded;
  if (runtime) return use(runtime);
  let stopped = false;
  let stop: (() => void) | undefined;
  loadQlikRuntime().then(
    (module) => {
      if (!stopped) stop = use(module);
    },
    () => undefined,
  );
  return () => {
    stopped = true;
    stop?.();
  };
}
