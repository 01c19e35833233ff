import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { html as staticHtml, unsafeStatic } from 'lit/static-html.js';
import { Task, TaskStatus } from '@lit/task';
import type { AuthSource } from '../../auth/source.ts';
import type { EmbedKitError } from '../../auth/errors.ts';
import { toEngineRequestError } from '../../qlik/errors.ts';
import type { SessionPool } from '../../qlik/session-pool.ts';
import type { EnigmaSession, QixDoc } from '../../qlik/qix-types.ts';
import { QlikErrorEvent, QlikSelectionChangedEvent, type QlikSelectionDetail } from '../qlik-events.ts';
import { PluginViews } from '../plugin-view.ts';
import { hostStyles } from '../qlik-status.ts';
import { autoRendererFor } from '../renderers/auto.ts';
import { getRendererPlugin } from '../renderers/registry.ts';
import { rendererStyles } from '../renderers/styles.ts';
import type { RendererFactory } from '../renderers/types.ts';
import { QlikSessionController, type QlikElementStatus } from '../session-controller.ts';
import { ChartSizeController } from './chart-size-controller.ts';
import { ObjectView } from './object-view.ts';
import { ancestorObjectIds, nestingError, nestingErrorView } from './nesting.ts';
import { objectStyles } from './qlik-object.styles.ts';

/** The renderers (and d3) load on first use, in their own chunk. */
let renderers: Promise<typeof import('../renderers/index.ts')> | undefined;
const loadRenderers = () => (renderers ??= import('../renderers/index.ts'));

/** `native`, or the name of a renderer plugin the page imported (`embed-kit/renderers/<name>`). */
export type QlikRendererName = 'native' | 'auto' | 'qlik-embed' | 'nebula' | (string & {});

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
 * @tagname qlik-object
 * @summary A live Qlik object, rendered natively or through qlik-embed.
 *
 * @event qlik-session-open - The session is open; `app` and `session` are usable.
 * @event qlik-session-suspended - The connection dropped (`initiator`, `code`); it resumes when it can.
 * @event qlik-session-resumed - The connection is back.
 * @event qlik-selection-changed - The user changed selections through this element (`detail`).
 * @event qlik-error - Opening, resuming or an engine call failed (`error`, typed).
 *
 * @csspart base - The wrapper around title, content and status.
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
 * @csspart chart - A chart's box; the chart is drawn at its size.
 * @csspart kpi - A KPI; also `kpi-value`, `kpi-label`.
 * @csspart table - A table; also `table-wrap`, `pager`.
 * @csspart listbox - A listbox; also `search`, `value`, `clear-button`.
 * @csspart filterpane - A filter pane's list of listboxes.
 * @csspart text - A text object.
 * @csspart placeholder - The box shown for object types without a native renderer.
 * @csspart nebula - The box a nebula.js chart is drawn in (`renderer="nebula"`).
 *
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
 * @cssproperty --qlik-kpi-font-size - KPI value size (smaller in a narrow cell). Default `2.5rem`.
 * @cssproperty --qlik-chart-min-height - A chart's height where its box has none. Default `10rem`.
 * @cssproperty --qlik-table-max-height - Table height before it scrolls. Default `24rem`.
 * @cssproperty --qlik-listbox-max-height - Listbox height before it scrolls. Default `12rem`.
 * @cssproperty --qlik-possible-background - A listbox value that can be selected. Default `#fff`.
 * @cssproperty --qlik-alternative-background - A value that would be possible without its field's own selection. Default `#ddd`.
 * @cssproperty --qlik-excluded-background - A value the selections exclude. Default `#a9a9a9`.
 * @cssproperty --qlik-excluded-text-color - Its text. Default `#222`.
 * @cssproperty --qlik-selected-text-color - Text on a selected value. Default `#fff`.
 */
export class QlikObject extends LitElement {
  static override properties = {
    appId: { type: String, attribute: 'app-id' },
    objectId: { type: String, attribute: 'object-id' },
    identity: { type: String },
    auth: { type: String },
    renderer: { type: String },
    status: { type: String, reflect: true },
    authSource: { attribute: false },
    pool: { attribute: false },
  };

  static override styles = [hostStyles, rendererStyles, objectStyles];

  /** The app's id. */
  declare appId: string;
  /** The object's id in the app (a master object or a sheet's object). */
  declare objectId: string;
  /** Optional engine session identity: its own selections, apart from other identities. */
  declare identity: string | undefined;
  /** Id of the `<auth-login>` to use when it is not an ancestor and not the only one on the page. */
  declare auth: string | undefined;
  /**
   * `native` (default); `auto` (native for the types it draws well, nebula.js for the rest when
   * its plugin is imported); or a renderer plugin the page imported: `nebula` (after
   * `import 'embed-kit/renderers/nebula'`; Qlik's nebula.js charts on the same session) or
   * `qlik-embed` (after `import 'embed-kit/renderers/qlik-embed'`; renders
   * `<qlik-embed ui="analytics/chart">`). A plugin that was not imported shows a
   * `renderer_not_registered` error.
   */
  declare renderer: QlikRendererName;
  /** `idle`, `connecting`, `open`, `suspended`, `error` or `closed`; reflected for styling. */
  declare status: QlikElementStatus;
  /** A sign-in object to use directly (property only); wins over `auth` and lookups. */
  declare authSource: AuthSource | undefined;
  /** The session pool (property only); default the page's shared pool. */
  declare pool: SessionPool | undefined;

  readonly #session = new QlikSessionController(this);
  readonly #plugins = new PluginViews(this);
  readonly #chartBox = new ChartSizeController(this);
  #view: ObjectView | undefined;
  /** An error of this object (not found, a failed update) rather than of the session. */
  #objectError: EmbedKitError | undefined;

  readonly #object = new Task(this, {
    args: () => [this.#session.app, this.objectId, this.renderer] as const,
    task: async ([app, objectId, renderer], { signal }) => {
      this.#disposeView();
      this.#objectError = undefined;
      if (!app || !objectId) return undefined;
      try {
        const [model, module] = await Promise.all([app.getObject(objectId), loadRenderers()]);
        signal.throwIfAborted();
        const view = new ObjectView(model, app, this.#viewHost, withPlugin(renderer, module.rendererFor));
        model.on('closed', this.#onModelClosed);
        this.#view = view;
        await view.refresh();
        signal.throwIfAborted();
        return view;
      } catch (error) {
        if (signal.aborted) throw error;
        const typed = toEngineRequestError(error, `Loading object ${objectId}`);
        this.#objectError = typed;
        this.dispatchEvent(new QlikErrorEvent(typed));
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
    },
    selectionChanged: (detail: QlikSelectionDetail) => {
      this.#actionError = undefined;
      this.dispatchEvent(new QlikSelectionChangedEvent(detail));
    },
    nested: (objectId: string) => this.#nested(objectId),
  };
  /** A failed action (a selection) shown above the still-usable content. */
  #actionError: EmbedKitError | undefined;

  readonly #onModelClosed = () => {
    // The engine dropped the object (e.g. it could not be restored on resume): load it again.
    if (this.isConnected) this.#object.run();
  };

  constructor() {
    super();
    this.appId = '';
    this.objectId = '';
    this.renderer = 'native';
    this.status = 'idle';
  }

  /** The opened app (enigma Doc) while the session is open, for your own calls. */
  get app(): QixDoc | undefined {
    return this.#session.app;
  }

  /** The shared enigma.js session, for your own calls (`suspend()`, `on('traffic:*')`…). */
  get session(): EnigmaSession | undefined {
    return this.#session.session;
  }

  /** The last error shown, typed. */
  get error(): EmbedKitError | undefined {
    return this.#session.error ?? this.#objectError;
  }

  /** Reconnects after a session error, or loads the object again after an object error. */
  retry(): void {
    this.#actionError = undefined;
    this.#session.retry(() => this.#object.run());
  }

  override willUpdate(changed: PropertyValues<this>): void {
    this.#session.willUpdate(changed);
    this.status = this.#session.statusWith(this.#objectError);
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
    if (this.hasUpdated && !this.#view && this.#session.app) this.#object.run();
  }

  override render(): TemplateResult {
    const auth = this.#session.authSource;
    const plugged = auth && this.#session.status === 'open' ? this.#plugins.render(this.renderer, auth, { kind: 'object', appId: this.appId, objectId: this.objectId, identity: this.identity }) : undefined;
    if (plugged) return plugged;
    const view = this.#view;
    const layout = view?.layout;
    const title = layout ? layout.title || layout.qMeta?.title || '' : '';
    const loading = this.#session.status === 'open' && this.#object.status === TaskStatus.PENDING && !layout;
    return html`<div part="base" class="frame" aria-busy=${this.#session.status === 'connecting' || loading ? 'true' : 'false'}>
      ${title ? html`<h3 part="title" id="title" class=${view?.renderer?.ownsTitle ? 'visually-hidden' : nothing}>${title}</h3>` : html`<span id="title" class="visually-hidden">${this.objectId}</span>`}
      ${layout?.subtitle && !view?.renderer?.ownsTitle ? html`<p part="subtitle" class="subtitle">${layout.subtitle}</p>` : nothing}
      <div part="content" class="content">${view && layout && view.renderer ? view.renderer.render({ title: 'title', box: this.#chartBox }) : nothing}</div>
      ${layout?.footnote && !view?.renderer?.ownsTitle ? html`<p part="footnote" class="footnote">${layout.footnote}</p>` : nothing}
      ${this.#session.renderStatus(loading, this.#objectError ?? this.#actionError)}
    </div>`;
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
      .authSource=${this.#session.authSource}
      .pool=${this.#session.pool}
    ></${tag}>`;
  }

  #disposeView(): void {
    this.#view?.model.removeListener('closed', this.#onModelClosed);
    this.#view?.dispose();
    this.#view = undefined;
  }
}
