/**
 * The nebula.js chart packages the Sales app's objects need, as a consumer's page registers them
 * with `registerNebulaTypes`: one literal `import()` per package, so a bundler makes one chunk per
 * chart. Shared by the renderers journey page and the renderer bench's page entry.
 */
import type { NebulaChartLoader } from '../../src/renderers/nebula.ts';

export const SALES_CHART_LOADERS: Readonly<Record<string, NebulaChartLoader>> = {
  barchart: () => import('@nebula.js/sn-bar-chart'),
  linechart: () => import('@nebula.js/sn-line-chart'),
  piechart: () => import('@nebula.js/sn-pie-chart'),
  combochart: () => import('@nebula.js/sn-combo-chart'),
  scatterplot: () => import('@nebula.js/sn-scatter-plot'),
  table: () => import('@nebula.js/sn-table'),
  'pivot-table': () => import('@nebula.js/sn-pivot-table'),
  kpi: () => import('@nebula.js/sn-kpi'),
  filterpane: () => import('@nebula.js/sn-filter-pane'),
};
