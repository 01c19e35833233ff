import type { QixDoc, QixGenericObject, SelectionObject } from './qix-types.ts';
import { watchFreshAnswers } from './selection-traffic.ts';

export type QlikSelectionAction = 'select' | 'search' | 'clear' | 'clear-field' | 'clear-all';

/** A selection the user made through an element (`qlik-selection-changed` carries it). */
export interface QlikSelectionDetail {
  action: QlikSelectionAction;
  /** The object the user acted on, when there was one. */
  objectId?: string;
  /** Field or dimension label, when known. */
  field?: string;
  /** The values' texts (`qText`), for `select`. */
  values?: string[];
}

export interface SelectionsWatch {
  /** The current selections, once known. */
  readonly current: SelectionObject | undefined;
  /** Reads them again now. */
  refresh(): Promise<SelectionObject>;
  stop(): void;
}

/**
 * Follows the app's current selections. Qlik engines give them through a `CurrentSelections`
 * session object (`qSelectionObjectDef`), which changes with every selection; engines that
 * put `qSelectionObject` on the app layout instead (as the dev tenant may) are followed
 * through the doc's `changed`. `onChange` gets each new state.
 */
export async function watchSelections(app: QixDoc, onChange: (selections: SelectionObject) => void): Promise<SelectionsWatch> {
  let current: SelectionObject | undefined;
  let stopped = false;
  let source: { read: () => Promise<SelectionObject>; emitter: QixDoc | QixGenericObject; cleanup: () => void };

  let sessionObject: QixGenericObject | undefined;
  try {
    sessionObject = await app.createSessionObject({ qInfo: { qType: 'CurrentSelections' }, qSelectionObjectDef: {} });
  } catch (error) {
    // An engine without CurrentSelections is followed through the app layout; one that did not
    // answer in time may well have it, so that start failed (and is tried again, see subscribeSelections).
    if ((error as { code?: unknown } | undefined)?.code === 'request_timeout') throw error;
    sessionObject = undefined;
  }
  let fromObject: SelectionObject | undefined;
  try {
    fromObject = sessionObject ? (await sessionObject.getLayout()).qSelectionObject : undefined;
  } catch (error) {
    if (sessionObject) void app.destroySessionObject(sessionObject.id).catch(() => undefined);
    throw error;
  }
  if (sessionObject && fromObject) {
    const model = sessionObject;
    source = {
      read: async () => (await model.getLayout()).qSelectionObject ?? { qSelections: [] },
      emitter: model,
      cleanup: () => void app.destroySessionObject(model.id).catch(() => undefined),
    };
    current = fromObject;
  } else {
    if (sessionObject) void app.destroySessionObject(sessionObject.id).catch(() => undefined);
    source = {
      read: async () => (await app.getAppLayout()).qSelectionObject ?? { qSelections: [] },
      emitter: app,
      cleanup: () => undefined,
    };
    current = await source.read();
  }

  // One read at a time; a change during a read causes one more read, so the last state wins.
  let running: Promise<SelectionObject> | undefined;
  let dirty = false;
  const refresh = (): Promise<SelectionObject> => {
    if (running) {
      dirty = true;
      return running;
    }
    running = (async () => {
      try {
        let next: SelectionObject;
        do {
          dirty = false;
          next = await source.read();
        } while (dirty);
        current = next;
        if (!stopped) onChange(next);
        return next;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const onChanged = () => void refresh().catch(() => undefined);
  source.emitter.on('changed', onChanged);
  onChange(current);

  return {
    get current() {
      return current;
    },
    refresh,
    stop() {
      if (stopped) return;
      stopped = true;
      source.emitter.removeListener('changed', onChanged);
      source.cleanup();
    },
  };
}

interface SharedWatch {
  watch: Promise<SelectionsWatch | undefined>;
  listeners: Set<(selections: SelectionObject) => void>;
  current: SelectionObject | undefined;
  /** Starts that failed in a row. */
  failures: number;
  /** While waiting to start again after a failed start: stops waiting. */
  stopWaiting: (() => void) | undefined;
}

const shared = new WeakMap<QixDoc, SharedWatch>();

/** A watch whose start failed this many times in a row stops trying; a later subscriber starts afresh. */
const MAX_FAILED_STARTS = 4;

/**
 * Like `watchSelections`, but every subscriber of one app shares a single watch (one
 * `CurrentSelections` session object per app, however many elements follow it). The listener
 * gets the current state as soon as it is known; the returned function unsubscribes, and the
 * last one out stops the watch.
 *
 * A start that fails (the engine did not answer in time: `request_timeout`) is tried again on
 * the next sign that the engine works: a change of the app, or an answer to a request sent after
 * the failure (a Retry, the page's next selection). Never on a timer, one start at a time, and at
 * most `MAX_FAILED_STARTS` in a row: a quiet engine costs no requests.
 */
export function subscribeSelections(app: QixDoc, listener: (selections: SelectionObject) => void): () => void {
  let entry = shared.get(app);
  if (!entry) {
    entry = { listeners: new Set(), current: undefined, watch: Promise.resolve(undefined), failures: 0, stopWaiting: undefined };
    shared.set(app, entry);
    startShared(app, entry);
  }
  const active = entry;
  active.listeners.add(listener);
  if (active.current) listener(active.current);
  let subscribed = true;
  return () => {
    if (!subscribed) return;
    subscribed = false;
    active.listeners.delete(listener);
    if (active.listeners.size > 0) return;
    if (shared.get(app) === active) shared.delete(app);
    active.stopWaiting?.();
    void active.watch.then((watch) => watch?.stop());
  };
}

function startShared(app: QixDoc, entry: SharedWatch): void {
  const live = () => shared.get(app) === entry;
  entry.watch = watchSelections(app, (selections) => {
    entry.current = selections;
    for (const each of [...entry.listeners]) each(selections);
  }).then(
    (watch) => {
      entry.failures = 0;
      return watch;
    },
    () => {
      entry.failures += 1;
      if (live() && entry.failures >= MAX_FAILED_STARTS) shared.delete(app);
      if (!live()) return undefined;
      entry.stopWaiting = onSignOfLife(app, () => {
        entry.stopWaiting = undefined;
        if (live()) startShared(app, entry);
      });
      return undefined;
    },
  );
}

/** Calls `fire` once, at the first change of the app or the first answer to a request sent from now on. */
function onSignOfLife(app: QixDoc, fire: () => void): () => void {
  const onChanged = () => {
    stop();
    fire();
  };
  const stopAnswers = watchFreshAnswers(app.session, onChanged);
  app.on('changed', onChanged);
  const stop = () => {
    stopAnswers();
    app.removeListener('changed', onChanged);
  };
  return stop;
}
