import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { QlikApiError } from '../qlik/errors.ts';
import type { AppliedState, InitialState } from '../qlik/initial-state.ts';
import type { QixDoc } from '../qlik/qix-types.ts';
import { loadQlikRuntime, type QlikRuntime } from './runtime-loader.ts';

export interface MarkupStateHost extends ReactiveControllerHost, HTMLElement {
  bookmark?: string;
}

export interface MarkupStateListener {
  /** What was applied (for `qlik-bookmark-applied` and `qlik-variable-changed`). */
  applied(applied: AppliedState): void;
  /** A declaration could not be applied (fired as `qlik-error`; the element still renders). */
  failed(error: unknown, what: string): void;
}

const NO_STATE: InitialState = { selections: [], variables: [] };

/** Resolves once the parser has passed the element's children (a classic script can upgrade it earlier). */
function parsed(): Promise<void> {
  if (document.readyState !== 'loading') return Promise.resolve();
  return new Promise((resolve) => document.addEventListener('DOMContentLoaded', () => resolve(), { once: true }));
}

/**
 * The state a page declares in markup: `<qlik-selection>` and `<qlik-variable>` children and the
 * `bookmark` attribute. `ready(app)` applies it once per app, and the element renders only after
 * that, so the first render already shows the filtered data. Later changes to the children or
 * the attribute are applied as they happen; a removed `<qlik-selection>` clears its field.
 */
export class MarkupStateController implements ReactiveController {
  readonly #host: MarkupStateHost;
  readonly #listener: MarkupStateListener;
  #current: { app: QixDoc; state: InitialState; ready: Promise<void> } | undefined;
  #observer: MutationObserver | undefined;
  /** Changes are applied one after another, in the order they were made. */
  #queue: Promise<void> = Promise.resolve();

  constructor(host: MarkupStateHost, listener: MarkupStateListener) {
    this.#host = host;
    this.#listener = listener;
    host.addController(this);
  }

  hostConnected(): void {
    this.#observer ??= new MutationObserver(() => this.#changed());
    this.#observer.observe(this.#host, { childList: true, subtree: true, attributes: true, attributeFilter: ['field', 'values', 'match', 'state', 'name', 'value', 'bookmark'] });
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
  }

  /** The declaration as it stands in the DOM now, read with the session runtime's parsers. */
  read(runtime: QlikRuntime): InitialState {
    const { parseValues, parseVariableValue } = runtime;
    const host = this.#host;
    const children = [...host.children];
    const selections = children
      .filter((child) => child.localName === 'qlik-selection')
      .map((child) => ({
        field: child.getAttribute('field') ?? '',
        values: parseValues(child.getAttribute('values')),
        ...(child.getAttribute('match') ? { match: child.getAttribute('match') as string } : {}),
        ...(child.getAttribute('state') ? { state: child.getAttribute('state') as string } : {}),
      }));
    const variables = children
      .filter((child) => child.localName === 'qlik-variable')
      .map((child) => ({ name: child.getAttribute('name') ?? '', value: parseVariableValue(child.getAttribute('value') ?? '') }));
    const bookmark = host.getAttribute('bookmark') || host.bookmark || undefined;
    return { ...(bookmark ? { bookmark } : {}), selections, variables };
  }

  /** Resolves once the declared state is applied to `app`; never rejects (failures are reported). */
  ready(app: QixDoc): Promise<void> {
    if (this.#current?.app === app) return this.#current.ready;
    const entry = { app, state: NO_STATE, ready: Promise.resolve() };
    entry.ready = (async () => {
      await parsed();
      try {
        const runtime = await loadQlikRuntime();
        const state = this.#checked(this.read(runtime));
        entry.state = state;
        if (!state.bookmark && state.selections.length === 0 && state.variables.length === 0) return;
        this.#listener.applied(await runtime.applyInitialState(app, state));
      } catch (error) {
        this.#listener.failed(error, 'Applying the selections in markup');
      }
    })();
    this.#current = entry;
    return entry.ready;
  }

  #changed(): void {
    const entry = this.#current;
    if (!entry) return;
    this.#queue = this.#queue.then(async () => {
      await entry.ready;
      if (this.#current !== entry) return;
      const before = entry.state;
      let runtime: QlikRuntime;
      let next: InitialState;
      try {
        runtime = await loadQlikRuntime();
        next = this.#checked(this.read(runtime));
      } catch (error) {
        this.#listener.failed(error, 'Reading the selections in markup');
        return;
      }
      entry.state = next;
      try {
        this.#listener.applied(await runtime.applyStateChange(entry.app, before, next));
      } catch (error) {
        this.#listener.failed(error, 'Applying the changed selections in markup');
      }
    });
  }

  /** Declarations without a field or name are mistakes the page should hear about. */
  #checked(state: InitialState): InitialState {
    if (state.selections.some((s) => !s.field.trim()) || state.variables.some((v) => !v.name.trim())) {
      throw new QlikApiError('invalid_markup', 'A <qlik-selection> has no field, or a <qlik-variable> no name.', {
        hint: 'Give every <qlik-selection> a field="…" and every <qlik-variable> a name="…".',
      });
    }
    return state;
  }
}
