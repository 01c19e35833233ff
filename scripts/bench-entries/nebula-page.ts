// What a page using renderer="nebula" for the Sales app downloads: the plugin (eager), then on
// demand the nebula renderer, @nebula.js/stardust and one sn-* chart per type on screen.
import '../../src/renderers/nebula.ts';
import { registerNebulaTypes } from '../../src/renderers/nebula.ts';

registerNebulaTypes({
  barchart: () => import('@nebula.js/sn-bar-chart'),
  linechart: () => import('@nebula.js/sn-line-chart'),
  piechart: () => import('@nebula.js/sn-pie-chart'),
  combochart: () => import('@nebula.js/sn-combo-chart'),
  scatterplot: () => import('@nebula.js/sn-scatter-plot'),
  table: () => import('@nebula.js/sn-table'),
  'pivot-table': () => import('@nebula.js/sn-pivot-table'),
  kpi: () => import('@nebula.js/sn-kpi'),
  filterpane: () => import('@nebula.js/sn-filter-pane'),
});
