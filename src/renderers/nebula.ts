/**
 * `import 'embed-kit/renderers/nebula'`: lets `renderer="nebula"` (and `"auto"`) draw objects
 * with Qlik's open-source nebula.js charts, on the kit's own engine session. Needs the optional
 * peer dependency `@nebula.js/stardust`, plus one `@nebula.js/sn-*` package per chart type,
 * registered with `registerNebulaTypes`; each loads when an object of its type is on screen.
 */
import { nebulaPlugin } from '../elements/renderers/nebula/plugin.ts';
import { registerRendererPlugin } from '../elements/renderers/registry.ts';

registerRendererPlugin(nebulaPlugin);

export { registerNebulaTypes, NEBULA_CHART_PACKAGES, type NebulaChartLoader } from '../elements/renderers/nebula/chart-types.ts';
export { NebulaError } from '../elements/renderers/nebula/nebula-renderer.ts';
