/**
 * The property trees of Qlik's chart types, block by block, in the shape Qlik Sense's editor
 * saves them (`color`, `legend`, `dataPoint`, axes, `tooltip`, `refLine`, …). The shapes follow
 * the published property specifications of the `@nebula.js/sn-*` charts; their renderers read
 * these blocks without checking for them, so a stored chart without them renders blank.
 */
import type { JsonObject } from '../json.ts';

/** Auto colouring: one colour for a single measure, the 12-colour scheme by dimension otherwise. */
export function colorBlock(extra: JsonObject = {}): JsonObject {
  return {
    auto: true,
    mode: 'primary',
    formatting: { numFormatFromTemplate: true },
    useBaseColors: 'off',
    paletteColor: { index: 6 },
    useDimColVal: true,
    useMeasureGradient: true,
    persistent: false,
    expressionIsColor: true,
    expressionLabel: '',
    measureScheme: 'sg',
    reverseScheme: false,
    dimensionScheme: '12',
    autoMinMax: true,
    measureMin: 0,
    measureMax: 10,
    ...extra,
  };
}

export function legendBlock(show = true): JsonObject {
  return { show, dock: 'auto', showTitle: true };
}

export function dimensionAxisBlock(): JsonObject {
  return { show: 'all', label: 'auto', dock: 'near', axisDisplayMode: 'auto', maxVisibleItems: 10, continuousAuto: true };
}

/** A measure axis with automatic range; `dock: 'far'` puts it on the right. */
export function measureAxisBlock(dock: 'near' | 'far' = 'near'): JsonObject {
  return { show: 'all', dock, spacing: 1, autoMinMax: true, minMax: 'min', min: 0, max: 10, logarithmic: false };
}

export function gridLineBlock(): JsonObject {
  return { auto: true, spacing: 2 };
}

export function tooltipBlock(): JsonObject {
  return { auto: true, hideBasic: false, title: '', description: '', chart: { object: {}, style: { size: 'small' } }, data: {} };
}

/** Keys every visualization carries, whatever its type. */
function common(visualization: string, version: string): JsonObject {
  return { visualization, version, showTitles: true, showDetails: true, showDisclaimer: true, disableNavMenu: false, components: [] };
}

/** Axis charts (bar, line, combo) share scrolling and continuous-axis settings. */
function axisChart(): JsonObject {
  return { preferContinuousAxis: true, showMiniChartForContinuousAxis: true, scrollbar: 'miniChart', scrollStartPos: 0, gridLine: gridLineBlock() };
}

// Versions of the sn-* charts whose published property specifications these trees follow.
const VERSIONS = {
  barchart: '2.14.0',
  linechart: '1.47.7',
  piechart: '1.26.7',
  combochart: '1.26.5',
  scatterplot: '3.44.0',
  'pivot-table': '2.6.1',
  table: '2.9.1',
  kpi: '1.0.0',
  filterpane: '0.14.0',
} as const;

export interface BarChartOptions {
  grouping?: 'grouped' | 'stacked';
  orientation?: 'vertical' | 'horizontal';
  showLabels?: boolean;
}

export function barChartProperties(options: BarChartOptions = {}): JsonObject {
  return {
    ...common('barchart', VERSIONS.barchart),
    ...axisChart(),
    barGrouping: { grouping: options.grouping ?? 'grouped' },
    orientation: options.orientation ?? 'vertical',
    color: colorBlock(),
    dataPoint: { showLabels: options.showLabels ?? false, showSegmentLabels: false, showTotalLabels: true },
    dimensionAxis: dimensionAxisBlock(),
    measureAxis: measureAxisBlock(),
    legend: legendBlock(),
    refLine: { refLines: [], dimRefLines: [] },
    tooltip: tooltipBlock(),
  };
}

export function lineChartProperties(options: { showPoints?: boolean } = {}): JsonObject {
  return {
    ...common('linechart', VERSIONS.linechart),
    ...axisChart(),
    lineType: 'line',
    orientation: 'horizontal',
    stackedArea: false,
    separateStacking: true,
    nullMode: 'gap',
    color: colorBlock(),
    dataPoint: { show: options.showPoints ?? false, showLabels: false },
    dimensionAxis: dimensionAxisBlock(),
    measureAxis: measureAxisBlock(),
    legend: legendBlock(),
    refLine: { refLines: [], dimRefLines: [] },
    tooltip: tooltipBlock(),
  };
}

export function pieChartProperties(options: { donut?: boolean } = {}): JsonObject {
  return {
    ...common('piechart', VERSIONS.piechart),
    color: colorBlock(),
    dataPoint: { auto: true, labelMode: 'share', labelValueMode: 'arc' },
    dimensionTitle: true,
    donut: { showAsDonut: options.donut ?? false },
    legend: legendBlock(),
    tooltip: tooltipBlock(),
    components: [{ key: 'slices', style: { strokeWidth: 'none', strokeColor: { index: -1, color: '#FFFFFF' }, cornerRadius: 0, innerRadius: 0.55 } }],
  };
}

/**
 * A combo chart: each measure's `qDef.series` says bar or line and which axis (0 left,
 * 1 right); see `comboSeries`.
 */
export function comboChartProperties(): JsonObject {
  return {
    ...common('combochart', VERSIONS.combochart),
    ...axisChart(),
    barGrouping: { grouping: 'grouped' },
    orientation: 'vertical',
    nullMode: 'gap',
    color: colorBlock(),
    dataPoint: { show: false, showLineLabels: false, showBarLabels: false },
    dimensionAxis: dimensionAxisBlock(),
    measureAxes: [measureAxisBlock('near'), measureAxisBlock('far')],
    legend: legendBlock(),
    refLine: { refLines: [], refLines2: [], dimRefLines: [] },
    tooltip: tooltipBlock(),
  };
}

/** The `series` a combo chart stores in each measure's `qDef`. */
export function comboSeries(type: 'bar' | 'line' | 'marker', axis: 0 | 1): JsonObject {
  return { series: { type, axis, marker: 'circle', lineType: 'line', stackedArea: false } };
}

/** A scatter plot: one dimension (the bubbles), x and y measures, and an optional bubble-size measure. */
export function scatterPlotProperties(): JsonObject {
  return {
    ...common('scatterplot', VERSIONS.scatterplot),
    showDetails: false,
    color: colorBlock(),
    dataPoint: { bubbleSizes: 5, rangeBubbleSizes: [2, 8], compressionResolution: 5 },
    labels: { mode: 1 },
    gridLine: gridLineBlock(),
    legend: legendBlock(),
    navigation: false,
    refLine: { refLinesX: [], refLinesY: [] },
    trendLines: [],
    tooltip: tooltipBlock(),
    xAxis: measureAxisBlock(),
    yAxis: measureAxisBlock(),
  };
}

export function pivotTableProperties(): JsonObject {
  return {
    ...common('pivot-table', VERSIONS['pivot-table']),
    nullValueRepresentation: { text: '-' },
  };
}

export function tableProperties(totals: { position: 'top' | 'bottom' | 'noTotals'; label: string }): JsonObject {
  return {
    ...common('table', VERSIONS.table),
    enableChartExploration: false,
    totals: { show: true, ...totals },
    usePagination: false,
  };
}

export function kpiProperties(): JsonObject {
  return {
    ...common('kpi', VERSIONS.kpi),
    showMeasureTitle: true,
    showSecondMeasureTitle: true,
    textAlign: 'center',
    layoutBehavior: 'relative',
    fontSize: 'M',
    useLink: false,
    sheetLink: '',
    openUrlInNewTab: true,
  };
}

export function filterPaneProperties(): JsonObject {
  return { ...common('filterpane', VERSIONS.filterpane) };
}
