/**
 * `renderer="nebula"`: one object drawn by a nebula.js chart (`@nebula.js/stardust` and an
 * `sn-*` package) on the element's own enigma app, so it shares the kit's pooled session: no
 * second websocket, no second OpenDoc, the same selections as the native objects around it.
 *
 * nebula.js renders with React and puts its styles in the document's head, which do not reach
 * into a shadow root; so the chart is drawn into a light-DOM child of `<qlik-object>`, slotted
 * into the element's content box, and sized by it.
 */
import { html, type TemplateResult } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { EmbedKitError } from '../../../auth/errors.ts';
import { nebulaTheme } from '../../../qlik/nebula-theme.ts';
import type { GenericObjectLayout, QixDoc, QixGenericObject } from '../../../qlik/qix-types.ts';
import { selectionDetail, watchSelectionTraffic, type SelectionTrafficWatch, type TrafficSelection } from '../../../qlik/selection-traffic.ts';
import type { QlikInteractions } from '../../qlik-element.ts';
import type { ObjectRenderer, RenderContext, RendererFactory, RendererHost } from '../types.ts';
import { NEBULA_CHART_PACKAGES, type NebulaChartLoader } from './chart-types.ts';

/** Failures of the nebula renderer: `nebula_not_installed`, `nebula_chart_not_installed`, `nebula_render_failed`, `nebula_timeout`. */
export class NebulaError extends EmbedKitError {}

/** The most a chart may take to load and draw its first layout. */
const RENDER_DEADLINE_MS = 30_000;

interface Viz {
  destroy(): void;
}
interface Nebula {
  render(options: { element: HTMLElement; id: string }): Promise<Viz>;
  context(context: Record<string, unknown>): Promise<unknown>;
}
interface Stardust {
  embed(app: QixDoc, config: Record<string, unknown>): Nebula;
}

let stardust: Promise<Stardust> | undefined;

/** `@nebula.js/stardust`, loaded once, on the first nebula object. */
function loadStardust(): Promise<Stardust> {
  stardust ??= import('@nebula.js/stardust').then(
    (loaded: unknown) => {
      const module = loaded as { embed?: Stardust['embed']; default?: Partial<Stardust> };
      const embed = module.embed ?? module.default?.embed;
      if (!embed) throw new Error('@nebula.js/stardust has no embed()');
      return { embed };
    },
    (error: unknown) => {
      stardust = undefined;
      throw new NebulaError('nebula_not_installed', 'Could not load @nebula.js/stardust.', {
        cause: error,
        hint: 'Install it next to embed-kit (npm install @nebula.js/stardust) to use renderer="nebula".',
      });
    },
  );
  return stardust;
}

async function loadChart(type: string, load: NebulaChartLoader): Promise<unknown> {
  try {
    const module = (await load()) as { default?: unknown };
    return module.default ?? module;
  } catch (error) {
    const name = NEBULA_CHART_PACKAGES[type] ?? `the chart package for ${type}`;
    throw new NebulaError('nebula_chart_not_installed', `Could not load the nebula.js chart for ${type}.`, { cause: error, hint: `Install ${name} and register it with registerNebulaTypes.` });
  }
}

/**
 * The element's `interactions` in stardust's terms: `interactions` (what a chart may do) and the
 * deprecated `constraints` (what it may not), both given, as charts read one or the other.
 */
function nebulaInteractions(mode: QlikInteractions): { interactions: Record<string, boolean>; constraints: Record<string, boolean> } {
  const allowed = { active: mode !== 'none', passive: mode !== 'none', select: mode === 'select' };
  return { interactions: allowed, constraints: { active: !allowed.active, passive: !allowed.passive, select: !allowed.select } };
}

/** The languages stardust 7 ships its own UI strings in. */
const NEBULA_LOCALES = ['en-US', 'de-DE', 'es-ES', 'fr-FR', 'it-IT', 'ja-JP', 'ko-KR', 'nl-NL', 'pl-PL', 'pt-BR', 'ru-RU', 'sv-SE', 'tr-TR', 'zh-CN', 'zh-TW'];

/** The element's `lang` as one of stardust's locales: the tag itself, else its language's locale (`de` → `de-DE`), else English. */
function nebulaLanguage(lang: string): string {
  const tag = lang.trim().toLowerCase();
  const base = tag.split('-')[0];
  return NEBULA_LOCALES.find((locale) => locale.toLowerCase() === tag) ?? NEBULA_LOCALES.find((locale) => locale.startsWith(`${base}-`)) ?? 'en-US';
}

function withDeadline<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NebulaError('nebula_timeout', `${what} took longer than ${RENDER_DEADLINE_MS / 1000} s.`, { hint: 'Check the network and the engine; retry.' })), RENDER_DEADLINE_MS);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

class NebulaObject implements ObjectRenderer {
  readonly ownsTitle = true;
  readonly #host: RendererHost;
  readonly #type: string;
  readonly #load: NebulaChartLoader;
  #layout: GenericObjectLayout | undefined;
  #slot = `nebula-${crypto.randomUUID()}`;
  #mount: HTMLElement | undefined;
  #viz: Promise<Viz | undefined> | undefined;
  #nebula: Nebula | undefined;
  #interactions: QlikInteractions = 'select';
  #language = 'en-US';
  #error: EmbedKitError | undefined;
  #disposed = false;
  readonly #watch: SelectionTrafficWatch;
  /** The object's children (a filter pane's listboxes) by handle: nebula.js selects on those. */
  readonly #children = new Map<number, QixGenericObject>();
  readonly #childIds = new Set<string>();

  constructor(host: RendererHost, type: string, load: NebulaChartLoader) {
    this.#host = host;
    this.#type = type;
    this.#load = load;
    this.#watch = watchSelectionTraffic(host.model.session, [host.model.handle], (call) => void this.#announce(call));
  }

  async update(layout: GenericObjectLayout): Promise<void> {
    // nebula.js reads its own layouts; this one names the fields of the selections it makes.
    this.#layout = layout;
    const added = (layout.qChildList?.qItems ?? []).map((item) => item.qInfo.qId).filter((id) => !this.#childIds.has(id));
    for (const id of added) this.#childIds.add(id);
    // The same handles nebula.js gets: the engine has one per object and session.
    for (const child of await Promise.all(added.map((id) => this.#host.app.getObject(id)))) {
      this.#children.set(child.handle, child);
      this.#watch.follow(child.handle);
    }
  }

  /** Changes the drawn chart's context (interactions, language); before it is drawn, `#draw` reads the fields. */
  #updateContext(context: Record<string, unknown>): void {
    this.#nebula?.context(context).catch((error: unknown) => this.#host.report(error, `Updating ${this.#host.objectId}`));
  }

  /** A selection nebula.js made: `qlik-selection-changed`, named from the layout of the object it was made on. */
  async #announce(call: TrafficSelection): Promise<void> {
    const child = this.#children.get(call.handle);
    try {
      const layout = child ? await child.getLayout() : this.#layout;
      if (!this.#disposed) await this.#host.select(selectionDetail(this.#host.objectId, layout, call), () => Promise.resolve());
    } catch (error) {
      this.#host.report(error, 'Reading a selection');
    }
  }

  render({ interactions, lang }: RenderContext): TemplateResult {
    if (interactions !== this.#interactions) {
      this.#interactions = interactions;
      this.#updateContext(nebulaInteractions(interactions));
    }
    const language = nebulaLanguage(lang);
    if (language !== this.#language) {
      this.#language = language;
      this.#updateContext({ language });
    }
    if (this.#error) return html`<div class="placeholder" part="placeholder" role="note">${this.#error.message} ${this.#error.hint ?? ''}</div>`;
    return html`<div class="nebula" part="nebula" ${ref((box) => this.#attach(box))}><slot name=${this.#slot}></slot></div>`;
  }

  dispose(): void {
    this.#disposed = true;
    this.#watch.stop();
    void this.#viz?.then((viz) => viz?.destroy());
    this.#mount?.remove();
  }

  #attach(box: Element | undefined): void {
    if (!box || this.#mount || this.#disposed) return;
    const root = box.getRootNode();
    if (!(root instanceof ShadowRoot)) return;
    const mount = document.createElement('div');
    mount.slot = this.#slot;
    mount.className = 'embed-kit-nebula';
    mount.style.cssText = 'position:absolute;inset:0;';
    root.host.append(mount);
    this.#mount = mount;
    const style = getComputedStyle(box);
    const theme = nebulaTheme((property) => style.getPropertyValue(property));
    this.#viz = withDeadline(this.#draw(mount, theme), `Drawing ${this.#host.objectId} with nebula.js`).catch((error: unknown) => {
      if (this.#disposed) return undefined;
      this.#error =
        error instanceof EmbedKitError
          ? error
          : new NebulaError('nebula_render_failed', `nebula.js could not draw ${this.#host.objectId} (${this.#type}).`, { cause: error, hint: 'Check the object\'s properties, or use renderer="native" for it.' });
      this.#host.report(this.#error, `Drawing ${this.#host.objectId}`);
      this.#host.requestUpdate();
      return undefined;
    });
  }

  async #draw(mount: HTMLElement, theme: ReturnType<typeof nebulaTheme>): Promise<Viz | undefined> {
    const [{ embed }, chart] = await Promise.all([loadStardust(), loadChart(this.#type, this.#load)]);
    if (this.#disposed) return undefined;
    const nebula = embed(this.#host.app, {
      context: { theme: 'embed-kit', language: this.#language, ...nebulaInteractions(this.#interactions) },
      types: [{ name: this.#type, load: () => Promise.resolve(chart) }],
      themes: [{ id: 'embed-kit', load: () => Promise.resolve(theme) }],
    });
    this.#nebula = nebula;
    const viz = await nebula.render({ element: mount, id: this.#host.objectId });
    if (this.#disposed) viz.destroy();
    return viz;
  }
}

/** The renderer factory for objects of `type`, drawn by the chart `load` returns. */
export function nebulaRenderer(type: string, load: NebulaChartLoader): RendererFactory {
  return (host) => new NebulaObject(host, type, load);
}
