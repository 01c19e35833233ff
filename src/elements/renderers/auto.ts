import { getRendererPlugin } from './registry.ts';
import type { RendererFactory } from './types.ts';

/** Types the native renderer draws well; `renderer="auto"` keeps these native. */
const NATIVE_TYPES: ReadonlySet<string> = new Set(['kpi', 'barchart', 'linechart', 'piechart', 'combochart', 'scatterplot', 'table', 'listbox', 'filterpane', 'text-image']);

/**
 * `renderer="auto"`: native for the types it draws well, the `nebula` plugin for the rest when
 * the page registered it, otherwise the native placeholder (which names the import to add).
 */
export function autoRendererFor(native: (type: string) => RendererFactory): (type: string) => RendererFactory | Promise<RendererFactory> {
  return async (type) => {
    const nebula = getRendererPlugin('nebula');
    if (NATIVE_TYPES.has(type) || !nebula?.rendererFor) return native(type);
    return (await nebula.rendererFor(type)) ?? native(type);
  };
}
