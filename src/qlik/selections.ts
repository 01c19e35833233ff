import type { QixDoc, QixGenericObject, SelectionObject } from './qix-types.ts';

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
  } catch {
    sessionObject = undefined;
  }
  const fromObject = sessionObject ? (await sessionObject.getLayout()).qSelectionObject : undefined;
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
}

const shared = new WeakMap<QixDoc, SharedWatch>();

/**
 * Like `watchSelections`, but every subscriber of one app shares a single watch (one
 * `CurrentSelections` session object per app, however many elements follow it). The listener
 * gets the current state as soon as it is known; the returned function unsubscribes, and the
 * last one out stops the watch.
 */
export function subscribeSelections(app: QixDoc, listener: (selections: SelectionObject) => void): () => void {
  let entry = shared.get(app);
  if (!entry) {
    const created: SharedWatch = { listeners: new Set(), current: undefined, watch: Promise.resolve(undefined) };
    created.watch = watchSelections(app, (selections) => {
      created.current = selections;
      for (const each of [...created.listeners]) each(selections);
    }).catch(() => {
      // The session went away while starting; a later subscriber starts afresh.
      if (shared.get(app) === created) shared.delete(app);
      return undefined;
    });
    shared.set(app, created);
    entry = created;
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
    void active.watch.then((watch) => watch?.stop());
  };
}
