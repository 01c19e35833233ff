/**
 * Renderer plugins: optional integrations that draw `<qlik-object>` and `<qlik-dashboard>`
 * with someone else's library. The page imports a plugin as a side-effect entry
 * (`import 'embed-kit/renderers/qlik-embed'`), which calls `registerRendererPlugin`; the
 * elements then find it by their `renderer` attribute. Without the plugin, the element shows
 * (and fires) a `renderer_not_registered` error naming the import to add, and the consumer's
 * bundler never sees the integration's package.
 *
 * The registry lives on `globalThis` under a `Symbol.for` key, so two copies of the kit on one
 * page (a CDN script and a bundle) share their plugins. Its shape is part of that contract:
 * change it only by adding fields.
 */
import type { ReactiveControllerHost, TemplateResult } from 'lit';
import { ConfigurationError } from '../../auth/errors.ts';
import type { AuthSource } from '../../auth/source.ts';
import type { RendererFactory } from './types.ts';

/** What a whole-element plugin draws: one object, one sheet, or a whole app. */
export interface RenderTarget {
  /** `object` for `<qlik-object>`, `sheet` for `<qlik-dashboard sheet-id>`, `app` for a `<qlik-dashboard>` without one. */
  kind: 'object' | 'sheet' | 'app';
  appId: string;
  /** The object's or the sheet's id; absent for `app`. */
  objectId?: string;
  /** The engine session identity, if the element has one. */
  identity?: string;
}

/**
 * A whole-element view: it draws the element's entire content (e.g. a `<qlik-embed>` tag) from
 * the sign-in and the target. The element opens no engine session for it. A view that needs
 * the host's lifecycle (`hostDisconnected`) adds itself as a controller in `createView`.
 */
export interface RendererView {
  /** Called on every render once the sign-in is signed in. */
  render(auth: AuthSource, target: RenderTarget): TemplateResult;
}

/** A renderer plugin. Give it `createView`, `rendererFor`, or both. */
export interface RendererPlugin {
  /** The `renderer` attribute value it serves (`qlik-embed`, `nebula`). */
  readonly name: string;
  /** Whole-element plugins: one view per element, created on its first signed-in render. */
  createView?(host: ReactiveControllerHost & HTMLElement): RendererView;
  /**
   * Per-object plugins: the factory for a visualization type (`barchart`, `kpi`…), possibly
   * after loading it, or `undefined` when the plugin does not draw that type (the native
   * renderer draws it then). The element keeps its own engine session and hands the factory the
   * object's model as usual (see `RendererHost`).
   */
  rendererFor?(type: string): RendererFactory | undefined | Promise<RendererFactory | undefined>;
}

interface Registry {
  readonly plugins: Map<string, RendererPlugin>;
  /** Called after each registration (elements waiting for a plugin re-check). */
  readonly listeners: Set<() => void>;
}

const KEY = Symbol.for('embed-kit/renderer-plugins');

function registry(): Registry {
  const scope = globalThis as typeof globalThis & { [KEY]?: Registry };
  return (scope[KEY] ??= { plugins: new Map(), listeners: new Set() });
}

/**
 * Registers a plugin under its `name`. The first registration of a name wins, so loading a
 * plugin twice (two bundle copies) keeps the one already in use.
 */
export function registerRendererPlugin(plugin: RendererPlugin): void {
  if (typeof plugin?.name !== 'string' || !plugin.name || plugin.name === 'native') {
    throw new TypeError('A renderer plugin needs a name other than "native".');
  }
  if (!plugin.createView && !plugin.rendererFor) throw new TypeError(`Renderer plugin "${plugin.name}" has neither createView nor rendererFor.`);
  const { plugins, listeners } = registry();
  if (plugins.has(plugin.name)) return;
  plugins.set(plugin.name, plugin);
  for (const listener of [...listeners]) listener();
}

/** The plugin registered for `name`, if any. */
export function getRendererPlugin(name: string): RendererPlugin | undefined {
  return registry().plugins.get(name);
}

/** Calls `listener` after every registration; returns the unsubscribe. */
export function onRendererPluginRegistered(listener: () => void): () => void {
  const { listeners } = registry();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether an element with this `renderer` opens its own engine session (native, or a per-object plugin). */
export function rendererOpensSession(name: string | undefined): boolean {
  if (!name || name === 'native' || name === 'auto') return true;
  const plugin = getRendererPlugin(name);
  return plugin !== undefined && !plugin.createView;
}

/** The element's `renderer` names a plugin the page has not imported: `undefined` when all is well. */
export function missingRendererError(name: string | undefined): ConfigurationError | undefined {
  if (!name || name === 'native' || name === 'auto' || getRendererPlugin(name)) return undefined;
  return new ConfigurationError('renderer_not_registered', `renderer="${name}" is not available: its plugin was not loaded.`, {
    hint: `Add import 'embed-kit/renderers/${name}'; to the page (and install the package that plugin names), or set renderer="native".`,
  });
}
