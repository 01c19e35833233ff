/**
 * The native renderers, one per object type (`visualization`). Loaded lazily by
 * `<qlik-object>` together with d3, so pages that never open an app do not download them.
 */
import { barChartRenderer } from './bar-chart.ts';
import { comboChartRenderer } from './combo-chart.ts';
import { filterPaneRenderer } from './filter-pane.ts';
import { kpiRenderer } from './kpi.ts';
import { lineChartRenderer } from './line-chart.ts';
import { listboxRenderer } from './listbox.ts';
import { pieChartRenderer } from './pie-chart.ts';
import { placeholderRenderer } from './placeholder.ts';
import { scatterPlotRenderer } from './scatter-plot.ts';
import { tableRenderer } from './table.ts';
import { textRenderer } from './text.ts';
import type { RendererFactory } from './types.ts';

export const nativeRenderers: Readonly<Record<string, RendererFactory>> = {
  kpi: kpiRenderer,
  barchart: barChartRenderer,
  linechart: lineChartRenderer,
  combochart: comboChartRenderer,
  scatterplot: scatterPlotRenderer,
  piechart: pieChartRenderer,
  table: (host) => tableRenderer(host),
  listbox: listboxRenderer,
  filterpane: filterPaneRenderer,
  'text-image': textRenderer,
};

/** The renderer for a `visualization` (or `qInfo.qType`); unknown types get a labelled placeholder. */
export function rendererFor(type: string): RendererFactory {
  return Object.hasOwn(nativeRenderers, type) ? (nativeRenderers[type] as RendererFactory) : placeholderRenderer(type);
}

export type { ObjectRenderer, RendererFactory, RendererHost, RenderContext } from './types.ts';
