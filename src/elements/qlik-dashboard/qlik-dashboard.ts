import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { html as staticHtml, unsafeStatic } from 'lit/static-html.js';
import { styleMap } from 'lit/directives/style-map.js';
import { Task, TaskStatus } from '@lit/task';
import type { EmbedKitError } from '../../auth/errors.ts';
import { toEngineRequestError } from '../../qlik/errors.ts';
import type { QixDoc } from '../../qlik/qix-types.ts';
import { listSheets, openSheet, type SheetInfo } from '../../qlik/sheets.ts';
import { QlikErrorEvent, QlikSelectionChangedEvent, type QlikSelectionDetail } from '../qlik-events.ts';
import { PluginViews } from '../plugin-view.ts';
import { rendererOpensSession } from '../renderers/registry.ts';
import { QlikElement } from '../qlik-element.ts';
import { QlikObject } from '../qlik-object/qlik-object.ts';
import { hostStyles } from '../qlik-status.ts';
import { dashboardStyles } from './qlik-dashboard.styles.ts';

/**
 * A whole sheet of a Qlik app, live: its objects laid out in the sheet's grid, a selections
 * bar with clear and clear-all, and, without `sheet-id`, a sheet picker starting on the first
 * sheet. Every object on it shares the app's one engine session.
 *
 * `<qlik-selection>` and `<qlik-variable>` children (and `bookmark="<id>"`) are applied before
 * the first render; methods (`select`, `applyBookmark`, `setVariable`…) drive it.
 *
 * @tagname qlik-dashboard
 * @summary A live Qlik sheet with a sheet picker and selections bar.
 *
 * @event qlik-session-open - The session is open; `app` and `session` are usable.
 * @event qlik-session-suspended - The connection dropped (`initiator`, `code`); it resumes when it can.
 * @event qlik-session-resumed - The connection is back.
 * @event qlik-selection-changed - The user changed selections (in an object, or clear/clear-all here).
 * @event qlik-error - Opening, resuming or an engine call failed (`error`, typed).
 * @event qlik-rendered - After every render of the sheet and of each object on it, errors included (`detail`).
 * @event qlik-data-point-click - A data point in an object was activated (`detail`); cancel it to skip the selection.
 * @event qlik-bookmark-applied - A bookmark was applied (`bookmarkId`).
 * @event qlik-variable-changed - A variable was set (`name`, `text`, `number`).
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
export class QlikDashboard extends QlikElement {
  static override properties: PropertyDeclarations = {
    sheetId: { type: String, attribute: 'sheet-id' },
    _chosenSheet: { state: true },
  };

  static override styles = [hostStyles, dashboardStyles];

  /** The sheet to show. Without it: a sheet picker, starting on the first sheet. */
  declare sheetId: string | undefined;
  declare _chosenSheet: string | undefined;

  readonly #plugins = new PluginViews(this);
  #error: EmbedKitError | undefined;

  readonly #sheets = new Task(this, {
    args: () => [this.app, this.sheetId, this.renderer, this.inView.near] as const,
    task: async ([app, sheetId, renderer, near], { signal }): Promise<SheetInfo[]> => {
      this.#error = undefined;
      if (!app || !rendererOpensSession(renderer) || !near) return [];
      const start = performance.now();
      try {
        await this.markup.ready(app);
        const sheets = sheetId ? [await openSheet(app, sheetId)] : await listSheets(app);
        signal.throwIfAborted();
        void this.announceRendered({ objectId: sheets[0]?.id ?? '', type: 'sheet' }, start);
        return sheets;
      } catch (error) {
        if (signal.aborted) throw error;
        const typed = this.#fail(error, sheetId ? `Loading sheet ${sheetId}` : 'Listing sheets');
        void this.announceRendered({ objectId: sheetId ?? '', type: 'sheet', error: typed }, start);
        throw error;
      }
    },
  });

  /** The last error shown, typed. */
  get error(): EmbedKitError | undefined {
    return this.sessionControl.error ?? this.#error;
  }

  /** Reconnects after a session error, or loads the sheets again. */
  retry(): void {
    this.sessionControl.retry(() => {
      this.#error = undefined;
      void this.#sheets.run();
    });
  }

  protected hostError(): EmbedKitError | undefined {
    return this.#error;
  }

  protected renderedId(): string {
    return this.sheetId ?? '';
  }

  override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('appId') || changed.has('sheetId')) this._chosenSheet = undefined;
  }

  override render(): TemplateResult {
    const auth = this.sessionControl.authSource;
    const target = this.sheetId ? { kind: 'sheet' as const, appId: this.appId, objectId: this.sheetId, identity: this.identity } : { kind: 'app' as const, appId: this.appId, identity: this.identity };
    const plugged = auth && this.sessionControl.status === 'open' ? this.#plugins.render(this.renderer, auth, target) : undefined;
    if (plugged) return plugged;
    const sheets = this.#sheets.value ?? [];
    const sheet = sheets.find((s) => s.id === this._chosenSheet) ?? sheets[0];
    const loading = this.sessionControl.status === 'open' && this.#sheets.status === TaskStatus.PENDING && sheets.length === 0;
    return html`<div part="base" class="dashboard" aria-busy=${this.sessionControl.status === 'connecting' || loading ? 'true' : 'false'}>
      ${sheet ? this.#header(sheets, sheet) : nothing}
      ${this.app && sheet ? this.#selectionsBar() : nothing}
      ${this.sessionControl.renderStatus(loading, this.#error, this.language.strings)}
      ${sheet && this.app ? this.#grid(sheet) : nothing}
    </div>`;
  }

  #header(sheets: SheetInfo[], sheet: SheetInfo): TemplateResult {
    return html`<header part="header">
      <h2 part="title">${sheet.title}</h2>
      ${!this.sheetId && sheets.length > 0
        ? html`<label
            >${this.language.t('sheet')}
            <select part="sheet-picker" @change=${(event: Event) => (this._chosenSheet = (event.currentTarget as HTMLSelectElement).value)}>
              ${sheets.map((s) => html`<option value=${s.id} ?selected=${s.id === sheet.id}>${s.title}</option>`)}
            </select>
          </label>`
        : nothing}
    </header>`;
  }

  #selectionsBar(): TemplateResult {
    const items = this.currentSelections?.qSelections ?? [];
    const t = this.language.strings;
    const clearable = this.interactions === 'select';
    return html`<div part="selections" class="selections" role="region" aria-label=${t.currentSelections}>
      ${items.length === 0
        ? html`<span class="none">${t.noSelections}</span>`
        : html`<ul>
              ${items.map(
                (item) => html`<li part="selection" class="chip">
                  <span class="field">${item.qField}</span>
                  <span class="values" title=${item.qSelected}>${item.qSelected}</span>
                  ${clearable
                    ? html`<button part="button" type="button" aria-label=${this.language.t('clearField', { field: item.qField })} @click=${() => void this.#clear({ action: 'clear-field', field: item.qField })}>×</button>`
                    : nothing}
                </li>`,
              )}
            </ul>
            ${clearable ? html`<button part="button clear-all-button" type="button" @click=${() => void this.#clear({ action: 'clear-all' })}>${t.clearAll}</button>` : nothing}`}
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
          interactions=${this.interactions}
          renderer=${this.renderer}
          loading=${this.loading}
        ></${tag}>`,
      )}
    </div>`;
  }

  async #clear(detail: QlikSelectionDetail): Promise<void> {
    const app = this.app;
    if (!app) return;
    const call = (doc: QixDoc) => (detail.field ? doc.getField(detail.field).then((field) => field.clear()) : doc.clearAll());
    try {
      await call(app);
      this.dispatchEvent(new QlikSelectionChangedEvent(detail));
    } catch (error) {
      this.#fail(error, 'Clearing selections');
    }
  }

  #fail(error: unknown, what: string): EmbedKitError {
    const typed = toEngineRequestError(error, what);
    this.#error = typed;
    this.dispatchEvent(new QlikErrorEvent(typed));
    this.requestUpdate();
    return typed;
  }
}
