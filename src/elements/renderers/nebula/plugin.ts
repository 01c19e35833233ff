import type { RendererPlugin } from '../registry.ts';
import type { RendererFactory } from '../types.ts';
import { NEBULA_CHART_PACKAGES, nebulaChartLoader } from './chart-types.ts';

/**
 * The `nebula` renderer plugin: a registered chart draws its type (loaded with stardust on first
 * use, in chunks of their own); a type Qlik has a chart package for, not registered, shows a
 * placeholder naming it; any other type (text, listbox) is drawn natively.
 */
export const nebulaPlugin: RendererPlugin = {
  name: 'nebula',
  rendererFor(type: string): RendererFactory | Promise<RendererFactory> | undefined {
    const load = nebulaChartLoader(type);
    if (load) return import('./nebula-renderer.ts').then((module) => module.nebulaRenderer(type, load));
    const name = NEBULA_CHART_PACKAGES[type];
    if (!name) return undefined;
    // Loaded only when needed, so the plugin a page imports up front stays free of lit.
    return import('../placeholder.ts').then((module) => module.placeholderRenderer(type, `Install ${name} and register it: registerNebulaTypes({ '${type}': () => import('${name}') }).`));
  },
};
