// What a page using renderer="nebula" for the Sales app downloads: the plugin (eager), then on
// demand the nebula renderer, @nebula.js/stardust and one sn-* chart per type on screen.
import '../../src/renderers/nebula.ts';
import { registerNebulaTypes } from '../../src/renderers/nebula.ts';
import { SALES_CHART_LOADERS } from '../../test/support/nebula-charts.ts';

registerNebulaTypes(SALES_CHART_LOADERS);
