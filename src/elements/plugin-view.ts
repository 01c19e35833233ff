import type { ReactiveControllerHost, TemplateResult } from 'lit';
import type { AuthSource } from '../auth/source.ts';
import { getRendererPlugin, type RendererPlugin, type RendererView, type RenderTarget } from './renderers/registry.ts';

/**
 * The element side of whole-element renderer plugins: asks the plugin named by `renderer` for
 * one view per element, on the first render that needs it, and keeps it.
 */
export class PluginViews {
  readonly #host: ReactiveControllerHost & HTMLElement;
  #plugin: RendererPlugin | undefined;
  #view: RendererView | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
  }

  /** The plugin's drawing of `target`, or `undefined` when `renderer` is not a whole-element plugin. */
  render(renderer: string, auth: AuthSource, target: RenderTarget): TemplateResult | undefined {
    const plugin = renderer === 'native' ? undefined : getRendererPlugin(renderer);
    if (!plugin?.createView) return undefined;
    if (plugin !== this.#plugin || !this.#view) {
      this.#plugin = plugin;
      this.#view = plugin.createView(this.#host);
    }
    return this.#view.render(auth, target);
  }
}
