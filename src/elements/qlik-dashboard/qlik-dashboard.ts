import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { html as staticHtml, unsafeStatic } from 'lit/static-html.js';
import { styleMap } from 'lit/directives/style-map.js';
import { Task, TaskStatus } from '@lit/task';
import type { AuthSource } from '../../auth/source.ts';
import type { EmbedKitError } from '../../auth/errors.ts';
import { toEngineRequestError } from '../../qlik/errors.ts';
import type { SessionPool } from '../../qlik/session-pool.ts';
import type { EnigmaSession, QixDoc, SelectionObject } from '../../qlik/qix-types.ts';
import { listSheets, openSheet, type SheetInfo } from '../../qlik/sheets.ts';
import { watchSelections, type SelectionsWatch } from '../../qlik/selections.ts';
import { QlikErrorEvent, QlikSelectionChangedEvent, type QlikSelectionDetail } from '../qlik-events.ts';
import { PluginViews } from '../plugin-view.ts';
import { rendererOpensSession } from '../renderers/registry.ts';
import { QlikObject, type QlikRendererName } from '../qlik-object/qlik-object.ts';
import { hostStyles } from '../qlik-status.ts';
import { QlikSessionController, type QlikElementStatus } from '../session-controller.ts';
import { dashboardStyles } from './qlik-dashboard.styles.ts';

/**
 * A whole sheet of a Qlik app, live: its objects laid out in the sheet's grid, a selections
 * bar with clear and clear-all, and, without `sheet-id`, a sheet picker starting on the first
 * sheet. Every object on it shares the app's one engine session.
 *
 * @tagname qlik-dashboard
 * @summary A live Qlik sheet with a sheet picker and selections bar.
 *
 * @event qlik-session-open - The session is open; `app` and `session` are usable.
 * @event qlik-session-suspended - The connection dropped (`initiator`, `code`); it resumes when it can.
 * @event qlik-session-resumed - The connection is back.
 * @event qlik-selection-changed - The user changed selections (in an object, or clear/clear-all here).
 * @event qlik-error - Opening, resuming or an engine call failed (`error`, typed).
 *
 * @csspart base - The wrapper.
 * @csspart header - Title and sheet picker.
 * @csspart title - The sheet's title.
 * @csspart sheet-picker - The sheet `<select>`.
 * @csspart selections - The selections bar.
 * @csspart selection - One field's selection in the bar.
 * @csspart clear-all-button - Clears every selection.
 * @csspart grid - The sheet's grid.
 * @csspart cell - Each object (a `<qlik-object>`) in the grid.
 * @csspart progress - The progress indicator while connecting or loading.
 * @csspart suspended - The notice while reconnecting.
 * @csspart error - The error message, its hint and the retry button.
 * @csspart error-message - The error's message.
 * @csspart error-hint - What to do about the error.
 * @csspart retry-button - The retry button.
 * @csspart idle - The notice before sign-in.
 * @csspart closed - The notice after the session was closed.
 * @csspart button - Every button.
 *
 * @cssproperty --qlik-dashboard-row-height - Minimum height of one grid row. Default `3.5rem`.
 * @cssproperty --qlik-dashboard-gap - Space between cells. Default `0.5rem`.
 * @cssproperty --qlik-font-family - Font. Default `system-ui, sans-serif`.
 * @cssproperty --qlik-text-color - Text colour.
 * @cssproperty --qlik-muted-color - Secondary text.
 * @cssproperty --qlik-background - Background.
 * @cssproperty --qlik-border-color - Borders.
 * @cssproperty --qlik-radius - Corner radius.
 * @cssproperty --qlik-focus-color - Focus ring.
 * @cssproperty --qlik-selected-color - Selected values.
 * @cssproperty --qlik-error-color - Errors.
 */
export class QlikDashboard extends LitElement {
  static override properties = {
    appId: { type: String, attribute: 'app-id' },
    sheetId: { type: String, attribute: 'sheet-id' },
    identity: { type: String },
    auth: { type: String },
    renderer: { type: String },
    status: { type: String, reflect: true },
    authSource: { attribute: false },
    pool: { attribute: false },
    _chosenSheet: { state: true },
  };

  static override styles = [hostStyles, dashboardStyles];

  /** The app's id. */
  declare appId: string;
  /** The sheet to show. Without it: a sheet picker, starting on the first sheet. */
  declare sheetId: string | undefined;
  /** Optional engine session identity: its own selections, apart from other identities. */
  declare identity: string | undefined;
  /** Id of the `<auth-login>` to use when it is not an ancestor and not the only one on the page. */
  declare auth: string | undefined;
  /**
   * `native` (default); `auto` (native for the types it draws well, nebula.js for the rest when
   * its plugin is imported); `nebula` (after `import 'embed-kit/renderers/nebula'`: every cell
   * drawn by Qlik's nebula.js charts on the same session); or `qlik-embed` (after
   * `import 'embed-kit/renderers/qlik-embed'`; renders `<qlik-embed ui="analytics/sheet">`).
   * A plugin that was not imported shows a `renderer_not_registered` error.
   */
  declare renderer: QlikRendererName;
  /** `idle`, `connecting`, `open`, `suspended`, `error` or `closed`; reflected for styling. */
  declare status: QlikElementStatus;
  /** A sign-in object to use directly (property only); wins over `auth` and lookups. */
  declare authSource: AuthSource | undefined;
  /** The session pool (property only); default the page's shared pool. */
  declare pool: SessionPool | undefined;
  declare _chosenSheet: string | undefined;

  readonly #session = new QlikSessionController(this);
  readonly #plugins = new PluginViews(this);
  #selections: SelectionObject | undefined;
  #watch: SelectionsWatch | undefined;
  #error: EmbedKitError | undefined;

  readonly #sheets = new Task(this, {
    args: () => [this.#session.app, this.sheetId, this.renderer] as const,
    task: async ([app, sheetId, renderer], { signal }): Promise<SheetInfo[]> => {
      this.#error = undefined;
      if (!app || !rendererOpensSession(renderer)) return [];
      try {
        const sheets = sheetId ? [await openSheet(app, sheetId)] : await listSheets(app);
        signal.throwIfAborted();
        return sheets;
      } catch (error) {
        if (signal.aborted) throw error;
        this.#fail(error, sheetId ? `Loading sheet ${sheetId}` : 'Listing sheets');
        throw error;
      }
    },
  });

  readonly #selectionsTask = new Task(this, {
    args: () => [this.#session.app, this.renderer] as const,
    task: async ([app, renderer], { signal }) => {
      this.#stopWatching();
      if (!app || !rendererOpensSession(renderer)) return;
      const watch = await watchSelections(app, (selections) => {
        this.#selections = selections;
        this.requestUpdate();
      });
      if (signal.aborted) {
        watch.stop();
        return;
      }
      this.#watch = watch;
    },
  });

  constructor() {
    super();
    this.appId = '';
    this.renderer = 'native';
    this.status = 'idle';
  }

  /** The opened app (enigma Doc) while the session is open, for your own calls. */
  get app(): QixDoc | undefined {
    return this.#session.app;
  }

  /** The shared enigma.js session, for your own calls. */
  get session(): EnigmaSession | undefined {
    return this.#session.session;
  }

  /** The last error shown, typed. */
  get error(): EmbedKitError | undefined {
    return this.#session.error ?? this.#error;
  }

  /** Reconnects after a session error, or loads the sheets again. */
  retry(): void {
    this.#session.retry(() => {
      this.#error = undefined;
      void this.#sheets.run();
      void this.#selectionsTask.run();
    });
  }

  override willUpdate(changed: PropertyValues<this>): void {
    this.#session.willUpdate(changed);
    if (changed.has('appId') || changed.has('sheetId')) this._chosenSheet = undefined;
    this.status = this.#session.statusWith(this.#error);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopWatching();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated && !this.#watch) void this.#selectionsTask.run();
  }

  override render(): TemplateResult {
    const auth = this.#session.authSource;
    const target = this.sheetId ? { kind: 'sheet' as const, appId: this.appId, objectId: this.sheetId, identity: this.identity } : { kind: 'app' as const, appId: this.appId, identity: this.identity };
    const plugged = auth && this.#session.status === 'open' ? this.#plugins.render(this.renderer, auth, target) : undefined;
    if (plugged) return plugged;
    const sheets = this.#sheets.value ?? [];
    const sheet = sheets.find((s) => s.id === this._chosenSheet) ?? sheets[0];
    const loading = this.#session.status === 'open' && this.#sheets.status === TaskStatus.PENDING && sheets.length === 0;
    return html`<div part="base" class="dashboard" aria-busy=${this.#session.status === 'connecting' || loading ? 'true' : 'false'}>
      ${sheet ? this.#header(sheets, sheet) : nothing}
      ${this.#session.app && sheet ? this.#selectionsBar() : nothing}
      ${this.#session.renderStatus(loading, this.#error)}
      ${sheet && this.#session.app ? this.#grid(sheet) : nothing}
    </div>`;
  }

  #header(sheets: SheetInfo[], sheet: SheetInfo): TemplateResult {
    return html`<header part="header">
      <h2 part="title">${sheet.title}</h2>
      ${!this.sheetId && sheets.length > 0
        ? html`<label
            >Sheet
            <select part="sheet-picker" @change=${(event: Event) => (this._chosenSheet = (event.currentTarget as HTMLSelectElement).value)}>
              ${sheets.map((s) => html`<option value=${s.id} ?selected=${s.id === sheet.id}>${s.title}</option>`)}
            </select>
          </label>`
        : nothing}
    </header>`;
  }

  #selectionsBar(): TemplateResult {
    const items = this.#selections?.qSelections ?? [];
    return html`<div part="selections" class="selections" role="region" aria-label="Current selections">
      ${items.length === 0
        ? html`<span class="none">No selections</span>`
        : html`<ul>
              ${items.map(
                (item) => html`<li part="selection" class="chip">
                  <span class="field">${item.qField}</span>
                  <span class="values" title=${item.qSelected}>${item.qSelected}</span>
                  <button part="button" type="button" aria-label="Clear ${item.qField}" @click=${() => void this.#clearField(item.qField)}>×</button>
                </li>`,
              )}
            </ul>
            <button part="button clear-all-button" type="button" @click=${() => void this.#clearAll()}>Clear all</button>`}
    </div>`;
  }

  #grid(sheet: SheetInfo): TemplateResult {
    const tag = unsafeStatic(customElements.getName(QlikObject) ?? 'qlik-object');
    const grid = styleMap({
      gridTemplateColumns: `repeat(${sheet.columns}, minmax(0, 1fr))`,
      gridTemplateRows: `repeat(${sheet.rows}, minmax(var(--qlik-dashboard-row-height), auto))`,
    });
    return html`<div part="grid" class="grid" style=${grid}>
      ${sheet.cells.map(
        (cell) => staticHtml`<${tag}
          part="cell"
          style=${styleMap({ gridColumn: `${cell.col + 1} / span ${cell.colspan}`, gridRow: `${cell.row + 1} / span ${cell.rowspan}` })}
          app-id=${this.appId}
          object-id=${cell.name}
          identity=${this.identity || nothing}
          renderer=${this.renderer}
          .authSource=${this.#session.authSource}
          .pool=${this.#session.pool}
        ></${tag}>`,
      )}
    </div>`;
  }

  async #clearField(field: string): Promise<void> {
    await this.#act({ action: 'clear-field', field }, async (app) => {
      const handle = await app.getField(field);
      await handle.clear();
    });
  }

  async #clearAll(): Promise<void> {
    await this.#act({ action: 'clear-all' }, (app) => app.clearAll());
  }

  async #act(detail: QlikSelectionDetail, call: (app: QixDoc) => Promise<unknown>): Promise<void> {
    const app = this.#session.app;
    if (!app) return;
    try {
      await call(app);
      this.dispatchEvent(new QlikSelectionChangedEvent(detail));
    } catch (error) {
      this.#fail(error, 'Clearing selections');
    }
  }

  #fail(error: unknown, what: string): void {
    const typed = toEngineRequestError(error, what);
    this.#error = typed;
    this.dispatchEvent(new QlikErrorEvent(typed));
    this.requestUpdate();
  }

  #stopWatching(): void {
    this.#watch?.stop();
    this.#watch = undefined;
  }
}
