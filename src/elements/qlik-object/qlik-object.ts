import { adoptStyles, html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { html as staticHtml, unsafeStatic } from 'lit/static-html.js';
import { Task, TaskStatus } from '@lit/task';
import type { EmbedKitError } from '../../auth/errors.ts';
import { toEngineRequestError } from '../../qlik/errors.ts';
import { QlikDataPointClickEvent, QlikErrorEvent, QlikSelectionChangedEvent, type QlikSelectionDetail } from '../qlik-events.ts';
import { PluginViews } from '../plugin-view.ts';
import { QlikElement } from '../qlik-element.ts';
import { hostStyles } from '../qlik-status.ts';
import { autoRendererFor } from '../renderers/auto.ts';
import { getRendererPlugin } from '../renderers/registry.ts';
import type { DataPoint, ObjectRenderer, RendererFactory } from '../renderers/types.ts';
import { ChartSizeController } from './chart-size-controller.ts';
import type { ExportDataOptions, ExportImageOptions } from './object-export.ts';
import type { ObjectMenuAction } from './object-menu.ts';
import type { ObjectView } from '../../qlik/object-view.ts';
import { loadQlikRuntime } from '../runtime-loader.ts';
import { ancestorObjectIds, nestingError, nestingErrorView } from './nesting.ts';
import { objectStyles } from './qlik-object.styles.ts';

export type { QlikRendererName, QlikInteractions, QlikLoading } from '../qlik-element.ts';
export type { ExportDataOptions, ExportImageOptions } from './object-export.ts';

type ObjectContent = typeof import('./object-content.ts');

/** The renderers (and d3), their styles and the menu load on first use, in their own chunk. */
let content: Promise<ObjectContent> | undefined;
const loadContent = () => (content ??= import('./object-content.ts'));

/** A per-object plugin's renderer for a type, else the native one. */
function withPlugin(renderer: string, native: (type: string) => RendererFactory): (type: string) => RendererFactory | Promise<RendererFactory> {
  if (renderer === 'auto') return autoRendererFor(native);
  const plugin = renderer === 'native' ? undefined : getRendererPlugin(renderer);
  const rendererFor = plugin?.rendererFor?.bind(plugin);
  if (!rendererFor) return native;
  return async (type) => (await rendererFor(type)) ?? native(type);
}

/**
 * One Qlik object (chart, KPI, table, filter pane…) from an app, live: it follows the engine's
 * changes and selecting in it selects in the app.
 *
 * All `<qlik-object>` and `<qlik-dashboard>` elements for the same sign-in, app and identity
 * share one engine session (one websocket, one `OpenDoc`). The element finds the sign-in
 * through the `authSource` property, `auth="<id>"`, an enclosing `<auth-login>`, or the single
 * `<auth-login>` on the page, and opens once it is signed in.
 *
 * `<qlik-selection>` and `<qlik-variable>` children (and `bookmark="<id>"`) are applied before
 * the first render; methods (`select`, `applyBookmark`, `setVariable`, `exportData`…) drive it.
 *
 * @tagname qlik-object
 * @summary A live Qlik object, rendered natively or through qlik-embed.
 *
 * @event qlik-session-open - The session is open; `app` and `session` are usable.
 * @event qlik-session-suspended - The connection dropped (`initiator`, `code`); it resumes when it can.
 * @event qlik-session-resumed - The connection is back.
 * @event qlik-selection-changed - The user changed selections through this element (`detail`).
 * @event qlik-error - Opening, resuming or an engine call failed (`error`, typed).
 * @event qlik-rendered - After every render, errors included (`detail`: `objectId`, `type`, `durationMs`, `error`).
 * @event qlik-data-point-click - A data point was activated (`detail`: `field`, `value`, `measureValues`); cancel it to skip the selection.
 * @event qlik-bookmark-applied - A bookmark was applied (`bookmarkId`).
 * @event qlik-variable-changed - A variable was set (`name`, `text`, `number`).
 *
 * @csspart base - The wrapper around title, content and status.
 * @csspart menu - The object menu (export buttons); hidden with `menu="none"`.
 * @csspart menu-button - The button that opens the menu.
 * @csspart menu-item - Each button in the menu.
 * @csspart title - The object's title.
 * @csspart subtitle - The object's subtitle.
 * @csspart footnote - The object's footnote.
 * @csspart content - Where the renderer draws.
 * @csspart progress - The progress indicator while connecting or loading.
 * @csspart suspended - The notice while reconnecting.
 * @csspart error - The error message, its hint and the retry button.
 * @csspart error-message - The error's message.
 * @csspart error-hint - What to do about the error.
 * @csspart retry-button - The retry button.
 * @csspart idle - The notice before sign-in.
 * @csspart closed - The notice after the session was closed.
 * @csspart button - Every button.
 * @csspart chart - A chart's wrapper.
 * @csspart kpi - A KPI; also `kpi-value`, `kpi-label`.
 * @csspart table - A table; also `table-wrap`, `pager`.
 * @csspart listbox - A listbox; also `search`, `value`, `clear-button`.
 * @csspart filterpane - A filter pane's list of listboxes.
 * @csspart text - A text object.
 * @csspart placeholder - The box shown for object types without a native renderer.
 *
 * @cssproperty --qlik-chart-min-height - The least height of a chart or table's drawing area. Default `10rem`.
 * @cssproperty --qlik-font-family - Font. Default `system-ui, sans-serif`.
 * @cssproperty --qlik-text-color - Text colour.
 * @cssproperty --qlik-muted-color - Secondary text, axes.
 * @cssproperty --qlik-background - Background.
 * @cssproperty --qlik-border-color - Borders and gridlines.
 * @cssproperty --qlik-radius - Corner radius.
 * @cssproperty --qlik-padding - Padding inside the object.
 * @cssproperty --qlik-focus-color - Focus ring.
 * @cssproperty --qlik-selected-color - Selected values.
 * @cssproperty --qlik-error-color - Errors.
 * @cssproperty --qlik-chart-color-0 - First chart colour; `-1` … `-7` follow.
 * @cssproperty --qlik-kpi-font-size - KPI value size. Default `2.5rem`.
 * @cssproperty --qlik-table-max-height - Table height before it scrolls. Default `24rem`.
 * @cssproperty --qlik-listbox-max-height - Listbox height before it scrolls. Default `12rem`.
 * @cssproperty --qlik-possible-background - A listbox value that can be selected. Default `#fff`.
 * @cssproperty --qlik-alternative-background - A value that would be possible without its field's own selection. Default `#ddd`.
 * @cssproperty --qlik-excluded-background - A value the selections exclude. Default `#a9a9a9`.
 * @cssproperty --qlik-excluded-text-color - Its text. Default `#222`.
 * @cssproperty --qlik-selected-text-color - Text on a selected value. Default `#fff`.
 */
export class QlikObject extends QlikElement {
  static override properties: PropertyDeclarations = {
    objectId: { type: String, attribute: 'object-id' },
    menu: { type: String, reflect: true },
  };

  static override styles = [hostStyles, objectStyles];

  /** The object's id in the app (a master object or a sheet's object). */
  declare objectId: string;
  /** `none` hides the object menu (export buttons). Default `auto`. */
  declare menu: 'auto' | 'none';

  readonly #plugins = new PluginViews(this);
  readonly #chartBox = new ChartSizeController(this);
  #view: ObjectView<ObjectRenderer, TemplateResult> | undefined;
  /** The renderers and menu, once loaded (their styles adopted into this element's root). */
  #content: ObjectContent | undefined;
  /** An error of this object (not found, a failed update) rather than of the session. */
  #objectError: EmbedKitError | undefined;
  /** A failed action (a selection) shown above the still-usable content. */
  #actionError: EmbedKitError | undefined;

  readonly #object = new Task(this, {
    args: () => [this.app, this.objectId, this.renderer, this.inView.near] as const,
    task: async ([app, objectId, renderer, near], { signal }) => {
      this.#disposeView();
      this.#objectError = undefined;
      if (!app || !objectId || !near) return undefined;
      const start = performance.now();
      try {
        await this.markup.ready(app);
        signal.throwIfAborted();
        const [model, module, runtime] = await Promise.all([app.getObject(objectId), loadContent(), loadQlikRuntime()]);
        signal.throwIfAborted();
        this.#adoptContent(module);
        const view = new runtime.ObjectView(model, app, this.#viewHost, withPlugin(renderer, module.rendererFor));
        model.on('closed', this.#onModelClosed);
        this.#view = view;
        await view.refresh(start);
        signal.throwIfAborted();
        return view;
      } catch (error) {
        if (signal.aborted) throw error;
        const typed = toEngineRequestError(error, `Loading object ${objectId}`);
        this.#objectError = typed;
        this.dispatchEvent(new QlikErrorEvent(typed));
        void this.announceRendered({ objectId, type: '', error: typed }, start);
        throw typed;
      }
    },
  });

  readonly #viewHost = {
    requestUpdate: () => this.requestUpdate(),
    reportError: (error: EmbedKitError) => {
      this.#actionError = error;
      this.dispatchEvent(new QlikErrorEvent(error));
      this.requestUpdate();
      void this.announceRendered({ objectId: this.objectId, type: this.#view?.type ?? '', error }, performance.now());
    },
    selectionChanged: (detail: QlikSelectionDetail) => {
      this.#actionError = undefined;
      this.dispatchEvent(new QlikSelectionChangedEvent(detail));
    },
    beforeSelect: (detail: QlikSelectionDetail, point: DataPoint | undefined) => {
      if (this.interactions === 'none') return false;
      if (point) {
        const click = new QlikDataPointClickEvent({ objectId: this.objectId, field: detail.field ?? '', value: detail.values?.[0] ?? '', measureValues: point.measureValues });
        if (!this.dispatchEvent(click)) return false;
      }
      return this.interactions !== 'passive';
    },
    rendered: (type: string, since: number) => void this.announceRendered({ objectId: this.objectId, type }, since),
    nested: (objectId: string) => this.#nested(objectId),
  };

  readonly #onModelClosed = () => {
    // The engine dropped the object (e.g. it could not be restored on resume): load it again.
    if (this.isConnected) this.#object.run();
  };

  constructor() {
    super();
    this.objectId = '';
    this.menu = 'auto';
  }

  /** The last error shown, typed. */
  get error(): EmbedKitError | undefined {
    return this.sessionControl.error ?? this.#objectError;
  }

  /** Reconnects after a session error, or loads the object again after an object error. */
  retry(): void {
    this.#actionError = undefined;
    this.sessionControl.retry(() => this.#object.run());
  }

  /**
   * The object's data as a file: `csv` (default) is built here from every row, with the app's
   * formatted texts; `xlsx` comes from the engine's export. Downloads it unless `download: false`;
   * resolves the blob.
   */
  async exportData(options: ExportDataOptions = {}): Promise<Blob> {
    // Export code loads on first use, like the renderers: few pages export.
    const [{ exportObjectData }] = await Promise.all([import('../../qlik/export-data.ts'), this.#loaded()]);
    const [blob, { saveBlob }] = await Promise.all([exportObjectData(this.#view?.model, this.sessionControl.authSource, options), loadContent()]);
    if (options.download !== false) saveBlob(blob, `${options.filename ?? this.objectId}.${options.format ?? 'csv'}`);
    return blob;
  }

  /** A PNG of the native chart, as on screen. Downloads it unless `download: false`; resolves the blob. */
  async exportImage(options: ExportImageOptions = {}): Promise<Blob> {
    const [{ chartPng, saveBlob }] = await Promise.all([loadContent(), this.#loaded()]);
    const blob = await chartPng(this.renderRoot.querySelector<SVGSVGElement>('[part="content"] .chart svg'), options.scale);
    if (options.download !== false) saveBlob(blob, `${options.filename ?? this.objectId}.png`);
    return blob;
  }

  /** A lazy object not yet scrolled to opens and loads first; rejects with the typed error if that fails. */
  async #loaded(): Promise<void> {
    if (this.#view) return;
    await this.whenOpen();
    await this.updateComplete; // the object's task starts in the update the open requested
    await this.#object.taskComplete;
    await this.updateComplete;
  }

  protected hostError(): EmbedKitError | undefined {
    return this.#objectError;
  }

  protected renderedId(): string {
    return this.objectId;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A DOM move disconnects and reconnects in the same task: keep the view for that, and let
    // the pool's grace period keep the session, so a move costs no request at all.
    queueMicrotask(() => {
      if (!this.isConnected) this.#disposeView();
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Reconnected after the view was disposed: load it again from the (probably still open) session.
    if (this.hasUpdated && !this.#view && this.app) this.#object.run();
  }

  override render(): TemplateResult {
    const auth = this.sessionControl.authSource;
    const plugged = auth && this.sessionControl.status === 'open' ? this.#plugins.render(this.renderer, auth, { kind: 'object', appId: this.appId, objectId: this.objectId, identity: this.identity }) : undefined;
    if (plugged) return plugged;
    const view = this.#view;
    const layout = view?.layout;
    const title = layout ? layout.title || layout.qMeta?.title || '' : '';
    const loading = this.sessionControl.status === 'open' && this.#object.status === TaskStatus.PENDING && !layout;
    const can = { data: !this.hasAttribute('data-nested') && layout?.qHyperCube !== undefined, image: ['barchart', 'linechart', 'piechart'].includes(view?.type ?? '') };
    return html`<div part="base" class="frame" aria-busy=${this.sessionControl.status === 'connecting' || loading ? 'true' : 'false'}>
      ${title ? html`<h3 part="title" id="title" class=${view?.renderer?.ownsTitle ? 'visually-hidden' : nothing}>${title}</h3>` : html`<span id="title" class="visually-hidden">${this.objectId}</span>`}
      ${layout?.subtitle && !view?.renderer?.ownsTitle ? html`<p part="subtitle" class="subtitle">${layout.subtitle}</p>` : nothing}
      ${this.menu === 'none' || !layout || !this.#content ? nothing : this.#content.objectMenu(this.language.strings, can, (action) => this.#menuAction(action))}
      <div part="content" class="content" ?inert=${this.interactions === 'none'}>${view && layout && view.renderer ? view.renderer.render({ title: 'title', box: this.#chartBox, strings: this.language.strings, lang: this.language.lang, interactions: this.interactions }) : nothing}</div>
      ${layout?.footnote && !view?.renderer?.ownsTitle ? html`<p part="footnote" class="footnote">${layout.footnote}</p>` : nothing}
      ${this.sessionControl.renderStatus(loading, this.#objectError ?? this.#actionError, this.language.strings)}
    </div>`;
  }

  #menuAction(action: ObjectMenuAction): void {
    const done = action === 'image' ? this.exportImage() : this.exportData({ format: action });
    done.catch((error: unknown) => this.#viewHost.reportError(toEngineRequestError(error, 'Exporting')));
  }

  /** Nesting errors already reported, so a re-render does not report them again. */
  readonly #nestingReported = new Set<string>();

  #nested(objectId: string): TemplateResult {
    const error = nestingError(ancestorObjectIds(this), objectId);
    if (error) {
      if (!this.#nestingReported.has(objectId)) {
        this.#nestingReported.add(objectId);
        queueMicrotask(() => this.dispatchEvent(new QlikErrorEvent(error)));
      }
      return nestingErrorView(error);
    }
    const tag = unsafeStatic(this.localName);
    return staticHtml`<${tag}
      data-nested
      app-id=${this.appId}
      object-id=${objectId}
      identity=${this.identity || nothing}
      interactions=${this.interactions}
      menu="none"
    ></${tag}>`;
  }

  /** Once per element: the content's styles (renderers, menu) join the element's own, after them. */
  #adoptContent(module: ObjectContent): void {
    if (this.#content) return;
    this.#content = module;
    adoptStyles(this.renderRoot as ShadowRoot, [...(this.constructor as typeof QlikObject).elementStyles, ...module.contentStyles]);
  }

  #disposeView(): void {
    this.#view?.model.removeListener('closed', this.#onModelClosed);
    this.#view?.dispose();
    this.#view = undefined;
  }
}
