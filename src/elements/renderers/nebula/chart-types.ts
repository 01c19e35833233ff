/**
 * Which nebula.js chart (`sn-*`) package draws which object type, and the loaders the page
 * registered. The page registers only the packages it installed, so its bundler never meets an
 * import it cannot resolve; a type whose package is missing shows a placeholder naming it.
 * Kept on `globalThis` under a `Symbol.for` key, so two copies of the kit share registrations.
 */

/** Loads a chart: a module whose default export (or itself) is the nebula.js chart definition. */
export type NebulaChartLoader = () => Promise<unknown>;

/** Qlik's own chart packages, by the object type (`visualization`) they draw. */
export const NEBULA_CHART_PACKAGES: Readonly<Record<string, string>> = {
  barchart: '@nebula.js/sn-bar-chart',
  linechart: '@nebula.js/sn-line-chart',
  piechart: '@nebula.js/sn-pie-chart',
  combochart: '@nebula.js/sn-combo-chart',
  scatterplot: '@nebula.js/sn-scatter-plot',
  table: '@nebula.js/sn-table',
  'pivot-table': '@nebula.js/sn-pivot-table',
  kpi: '@nebula.js/sn-kpi',
  filterpane: '@nebula.js/sn-filter-pane',
  boxplot: '@nebula.js/sn-boxplot',
  distributionplot: '@nebula.js/sn-distributionplot',
  histogram: '@nebula.js/sn-histogram',
  waterfallchart: '@nebula.js/sn-waterfall',
  bulletchart: '@nebula.js/sn-bullet-chart',
  mekkochart: '@nebula.js/sn-mekko-chart',
  funnelchart: '@nebula.js/sn-funnel-chart',
  sankeychart: '@nebula.js/sn-sankey-chart',
  gridchart: '@nebula.js/sn-grid-chart',
  map: '@nebula.js/sn-map',
  'action-button': '@nebula.js/sn-action-button',
};

const KEY = Symbol.for('embed-kit/nebula-chart-types');

function loaders(): Map<string, NebulaChartLoader> {
  const scope = globalThis as typeof globalThis & { [KEY]?: Map<string, NebulaChartLoader> };
  return (scope[KEY] ??= new Map());
}

/**
 * Lets `renderer="nebula"` (and `"auto"`) draw these object types with these charts: Qlik's
 * `sn-*` packages or your own extensions, each loaded the first time an object of its type is
 * on screen.
 *
 * Each loader is a dynamic import written in the page's own code, of a package the page
 * installed (`@nebula.js/sn-bar-chart` for `barchart`…) or of its own extension; the README's
 * nebula section shows the call.
 *
 * @example
 * registerNebulaTypes({ barchart: loadBarChart, 'my-extension': () => import('./my-extension.js') });
 */
export function registerNebulaTypes(types: Record<string, NebulaChartLoader>): void {
  for (const [type, load] of Object.entries(types)) {
    if (typeof load !== 'function') throw new TypeError(`registerNebulaTypes: the loader for "${type}" must be a function returning import(…).`);
    loaders().set(type, load);
  }
}

/** The registered loader of a type, if any. */
export function nebulaChartLoader(type: string): NebulaChartLoader | undefined {
  return loaders().get(type);
}
