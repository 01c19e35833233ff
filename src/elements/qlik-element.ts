import { LitElement, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { AuthSource } from '../auth/source.ts';
import { EmbedKitError } from '../auth/errors.ts';
import type { FieldSelection, FieldValue, SelectOptions, StateOptions, VariableValue } from '../qlik/app-actions.ts';
import { toEngineRequestError } from '../qlik/errors.ts';
import type { AppliedState } from '../qlik/initial-state.ts';
import type { EnigmaSession, QixDoc, SelectionObject } from '../qlik/qix-types.ts';
import type { SessionPool } from '../qlik/session-pool.ts';
import { InViewController } from './in-view-controller.ts';
import { LangController } from './lang-controller.ts';
import { MarkupStateController } from './markup-state.ts';
import { QlikBookmarkAppliedEvent, QlikErrorEvent, QlikRenderedEvent, QlikVariableChangedEvent, type QlikRenderedDetail } from './qlik-events.ts';
import { loadedQlikRuntime, loadQlikRuntime, withQlikRuntime, type QlikRuntime } from './runtime-loader.ts';
import { QlikSessionController, type QlikElementStatus } from './session-controller.ts';

type AppActions = QlikRuntime['actions'];

/** `native`, `auto`, or the name of a renderer plugin the page imported (`embed-kit/renderers/<name>`). */
export type QlikRendererName = 'native' | 'auto' | 'qlik-embed' | 'nebula' | (string & {});
/** `select`: tooltips and selections; `passive`: tooltips only; `none`: a static picture. */
export type QlikInteractions = 'none' | 'passive' | 'select';
export type QlikLoading = 'eager' | 'lazy';

/**
 * What `<qlik-object>` and `<qlik-dashboard>` share: the session, the app API (selections,
 * bookmarks, variables), state declared in markup, the UI language, lazy loading, and the
 * `qlik-rendered` event. The engine work itself lives in `src/qlik`; this wires it to the element.
 */
export abstract class QlikElement extends LitElement {
  static override properties: PropertyDeclarations = {
    appId: { type: String, attribute: 'app-id' },
    identity: { type: String },
    auth: { type: String },
    renderer: { type: String },
    interactions: { type: String, reflect: true },
    loading: { type: String, reflect: true },
    bookmark: { type: String, reflect: true },
    authSource: { attribute: false },
    pool: { attribute: false },
  };

  /** The app's id. */
  declare appId: string;
  /** Optional engine session identity: its own selections, apart from other identities. */
  declare identity: string | undefined;
  /** Id of the `<auth-login>` to use when it is not an ancestor and not the only one on the page. */
  declare auth: string | undefined;
  /**
   * `native` (default); `auto` (native for the types it draws well, nebula.js for the rest when
   * its plugin is imported); or a renderer plugin the page imported: `nebula` (after
   * `import 'embed-kit/renderers/nebula'`; Qlik's nebula.js charts on the same session) or
   * `qlik-embed` (after `import 'embed-kit/renderers/qlik-embed'`). A plugin that was not
   * imported shows a `renderer_not_registered` error.
   */
  declare renderer: QlikRendererName;
  /** `select` (default): tooltips and selections; `passive`: tooltips, no selections; `none`: static, no tooltips. */
  declare interactions: QlikInteractions;
  /**
   * `lazy`: open the object only when it nears the viewport. Until one element that needs the
   * session nears it, nothing is loaded or opened (no session code, no websocket). Calling a
   * method (`select()`, `exportData()`…) opens it at once and waits for the open. Default `eager`.
   */
  declare loading: QlikLoading;
  /** A bookmark id to apply before the first render (and whenever it changes). */
  declare bookmark: string | undefined;
  /** A sign-in object to use directly (property only); wins over `auth` and lookups. */
  declare authSource: AuthSource | undefined;
  /** The session pool (property only); default the page's shared pool. */
  declare pool: SessionPool | undefined;

  // A lazy element asks for no session (no runtime, no socket) until it nears the viewport.
  protected readonly sessionControl = new QlikSessionController(this, { near: () => this.inView.near });
  protected readonly markup = new MarkupStateController(this, {
    applied: (applied) => this.#announceApplied(applied),
    failed: (error, what) => this.dispatchEvent(new QlikErrorEvent(error instanceof EmbedKitError ? error : toEngineRequestError(error, what))),
  });
  protected readonly language = new LangController(this);
  protected readonly inView = new InViewController(this, () => this.sessionControl.nearViewport());
  #selections: SelectionObject | undefined;
  #unsubscribe: (() => void) | undefined;
  #subscribedApp: QixDoc | undefined;
  #lastSessionError: EmbedKitError | undefined;
  #connectStart = performance.now();
  #status: QlikElementStatus = 'idle';

  constructor() {
    super();
    this.appId = '';
    this.renderer = 'native';
    this.interactions = 'select';
    this.loading = 'eager';
  }

  /**
   * `idle` (not signed in yet, or `loading="lazy"` and not near the viewport yet), `connecting`,
   * `open`, `suspended`, `error` or `closed`; reflected as the `status` attribute for styling.
   */
  get status(): QlikElementStatus {
    return this.#status;
  }

  /** The opened app (enigma Doc) while the session is open, for your own calls. */
  get app(): QixDoc | undefined {
    return this.sessionControl.app;
  }

  /** The shared enigma.js session, for your own calls (`suspend()`, `on('traffic:*')`…). */
  get session(): EnigmaSession | undefined {
    return this.sessionControl.session;
  }

  /** The engine's selection object as last read (for the selections bar). */
  protected get currentSelections(): SelectionObject | undefined {
    return this.#selections;
  }

  /** The app's current selections (default state), kept up to date while the session is open. */
  get selections(): FieldSelection[] {
    // Selections are read only once the session runtime is there.
    return loadedQlikRuntime()?.actions.fieldSelections(this.#selections) ?? [];
  }

  /** Selects values in a field; `toggle` adds or removes them, `state` picks an alternate state. */
  select(field: string, values: FieldValue[], options: SelectOptions = {}): Promise<void> {
    return this.#withApp((app, actions) => actions.selectValues(app, field, values, options));
  }

  /** Selects the values of a field matching a Qlik search string (`Eur*`, `>1000`); resolves whether any matched. */
  search(field: string, text: string, options: StateOptions = {}): Promise<boolean> {
    return this.#withApp((app, actions) => actions.searchField(app, field, text, options));
  }

  /** Clears one field's selection. */
  clearField(field: string, options: StateOptions = {}): Promise<void> {
    return this.#withApp((app, actions) => actions.clearField(app, field, options));
  }

  /** Clears every selection (locked fields stay). */
  clearAll(options: StateOptions = {}): Promise<void> {
    return this.#withApp((app, actions) => actions.clearAll(app, options));
  }

  /** Steps back in the selection history. */
  back(): Promise<void> {
    return this.#withApp((app, actions) => actions.back(app));
  }

  /** Steps forward again after `back()`. */
  forward(): Promise<void> {
    return this.#withApp((app, actions) => actions.forward(app));
  }

  /** Locks a field's selection: other selections and clears leave it alone. */
  lockField(field: string, options: StateOptions = {}): Promise<void> {
    return this.#withApp((app, actions) => actions.lockField(app, field, options));
  }

  /** Unlocks a field locked with `lockField`. */
  unlockField(field: string, options: StateOptions = {}): Promise<void> {
    return this.#withApp((app, actions) => actions.unlockField(app, field, options));
  }

  /** Applies a bookmark by id; fires `qlik-bookmark-applied`. */
  async applyBookmark(id: string): Promise<void> {
    await this.#withApp((app, actions) => actions.applyBookmark(app, id));
    this.#announceApplied({ bookmark: id, variables: [] });
  }

  /** Stores the current selections as a bookmark; resolves its id. */
  createBookmark(title: string, options: { description?: string } = {}): Promise<string> {
    return this.#withApp((app, actions) => actions.createBookmark(app, title, options));
  }

  /** Sets a variable (a number as a number); fires `qlik-variable-changed`; resolves its new value. */
  async setVariable(name: string, value: string | number): Promise<VariableValue> {
    const changed = await this.#withApp((app, actions) => actions.setVariable(app, name, value));
    this.#announceApplied({ variables: [changed] });
    return changed;
  }

  /** Reads a variable's value (`text`, and `number` or NaN). */
  getVariable(name: string): Promise<VariableValue> {
    return this.#withApp((app, actions) => actions.getVariable(app, name));
  }

  /** The last error shown, typed. */
  abstract get error(): EmbedKitError | undefined;

  /** Reconnects after an error, or loads again. */
  abstract retry(): void;

  /** The element's own failure (an object not found), apart from the session's. */
  protected abstract hostError(): EmbedKitError | undefined;

  /** What `qlik-rendered` names when the session failed before anything rendered. */
  protected abstract renderedId(): string;

  /** Fires `qlik-rendered` once the DOM shows the current state, measured from `start`. */
  protected async announceRendered(detail: Omit<QlikRenderedDetail, 'durationMs'>, start: number): Promise<void> {
    await this.updateComplete;
    this.dispatchEvent(new QlikRenderedEvent({ ...detail, durationMs: performance.now() - start }));
  }

  override willUpdate(changed: PropertyValues<this>): void {
    this.sessionControl.willUpdate(changed);
    const before = this.#status;
    this.#status = this.sessionControl.statusWith(this.hostError());
    if (this.#status === 'connecting' && before !== 'connecting') this.#connectStart = performance.now();
    // Reflected by hand: a read-only getter is no reactive property.
    if (this.getAttribute('status') !== this.#status) this.setAttribute('status', this.#status);
    this.#followSelections();
  }

  override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // A session that failed renders its error instead of content: that is a render too.
    const error = this.sessionControl.error;
    if (error && error !== this.#lastSessionError) {
      this.#lastSessionError = error;
      void this.announceRendered({ objectId: this.renderedId(), type: '', error }, this.#connectStart);
    }
    if (!error) this.#lastSessionError = undefined;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A DOM move reconnects in the same task: keep following the selections across it.
    queueMicrotask(() => {
      if (this.isConnected) return;
      this.#unsubscribe?.();
      this.#unsubscribe = this.#subscribedApp = undefined;
    });
  }

  #announceApplied(applied: AppliedState): void {
    if (applied.bookmark) this.dispatchEvent(new QlikBookmarkAppliedEvent(applied.bookmark));
    for (const variable of applied.variables) this.dispatchEvent(new QlikVariableChangedEvent(variable.name, variable.text, variable.number));
  }

  #followSelections(): void {
    const app = this.app;
    if (app === this.#subscribedApp) return;
    this.#unsubscribe?.();
    this.#selections = undefined;
    this.#subscribedApp = app;
    this.#unsubscribe = app
      ? withQlikRuntime((runtime) =>
          runtime.subscribeSelections(app, (selections) => {
            this.#selections = selections;
            this.requestUpdate();
          }),
        )
      : undefined;
  }

  /**
   * The open app for a method: a lazy element not yet scrolled to opens now, as if it came into
   * view, and the call waits for the open (within the pool's open deadline).
   */
  protected async whenOpen(): Promise<QixDoc> {
    if (this.app) return this.app;
    if (this.isConnected) this.inView.wake();
    return this.sessionControl.whenOpen();
  }

  async #withApp<T>(call: (app: QixDoc, actions: AppActions) => Promise<T>): Promise<T> {
    const app = await this.whenOpen();
    return call(app, (await loadQlikRuntime()).actions);
  }
}
