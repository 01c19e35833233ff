import { svg, type SVGTemplateResult } from 'lit';
import { scaleBand } from 'd3-scale';
import { cubeGrid, labelWidth, plotArea, stackValues, truncate, valueAxisModel } from '../../qlik/chart-layout.ts';
import type { NxCell } from '../../qlik/qix-types.ts';
import { categoryAxis, describeValues, legend, onActivate, pairText, PALETTE_SIZE, valueAxis } from './chart.ts';
import { cubeChartRenderer, type CubeChartData } from './cube-chart.ts';
import { numberOf, textOf } from '../../qlik/hypercube.ts';

/** One bar: a rectangle that selects its dimension value when clicked or activated. */
function bar(cell: NxCell, label: string, colour: number, box: { x: number; y: number; width: number; height: number }, select: () => void): SVGTemplateResult {
  return svg`<rect class="bar c${colour % PALETTE_SIZE}" data-state=${cell.qState} x=${box.x} y=${box.y} width=${Math.max(0, box.width)} height=${Math.max(0, box.height)}
      role="button" tabindex="0" aria-label=${label} aria-pressed=${cell.qState === 'S' ? 'true' : 'false'}
      @click=${select} @keydown=${onActivate(select)}
    ><title>${label}</title></rect>`;
}

/** First dimension × first measure: one bar per value, labelled when there is room. */
function drawSingle({ cube, rows, size, select }: CubeChartData) {
  const m = cube.qDimensionInfo.length;
  const axis = valueAxisModel(rows.map((row) => numberOf(row[m])), size.height, cube.qMeasureInfo[0]?.qNumFormat);
  const plot = plotArea(size, { left: axis.ticks.map((t) => t.text) });
  const y = axis.scale.range([plot.bottom, plot.top]);
  const x = scaleBand<number>()
    .domain(rows.map((_, i) => i))
    .range([plot.left, plot.right])
    .padding(0.2);
  const zero = y(0);
  const content = svg`${valueAxis(axis, plot)}
    <g class="series">
      ${rows.map((row, i) => {
        const dim = row[0];
        const value = numberOf(row[m]);
        if (!dim || !Number.isFinite(value)) return null;
        const top = Math.min(y(value), zero);
        const text = truncate(textOf(row[m]), 12);
        const labelFits = labelWidth(text) <= x.bandwidth() && top - plot.top > 14;
        return svg`${bar(dim, pairText(dim, row[m]), i, { x: x(i) ?? 0, y: top, width: x.bandwidth(), height: Math.abs(zero - y(value)) }, () => select(dim))}
          ${labelFits ? svg`<text class="value-label" aria-hidden="true" x=${(x(i) ?? 0) + x.bandwidth() / 2} y=${top - 4} text-anchor="middle">${text}</text>` : null}`;
      })}
    </g>
    ${categoryAxis(rows.map((row, i) => ({ x: (x(i) ?? 0) + x.bandwidth() / 2, text: textOf(row[0]) })), plot)}`;
  const what = `${cube.qMeasureInfo[0]?.qFallbackTitle ?? ''} by ${cube.qDimensionInfo[0]?.qFallbackTitle ?? ''}`;
  return { content, description: describeValues('Bar chart', what, rows.map((row) => pairText(row[0], row[m]))) };
}

/**
 * Two dimensions × first measure: the second dimension's values side by side in each category
 * (`grouped`) or on top of each other (`stacked`), with a legend that selects a series.
 */
function drawTwoDimensions({ layout, cube, rows, size, select }: CubeChartData) {
  const stacked = (layout.barGrouping as { grouping?: string } | undefined)?.grouping === 'stacked';
  const grid = cubeGrid(rows, cube.qDimensionInfo.length);
  const values = grid.cells.map((row) => grid.series.map((_, s) => numberOf(row[s])));
  const segments = stackValues(values);
  const extent = stacked ? segments.flatMap((row) => row.map(([, to]) => to)) : values.flat();
  const axis = valueAxisModel(extent, size.height, cube.qMeasureInfo[0]?.qNumFormat);
  const plot = plotArea(size, { left: axis.ticks.map((t) => t.text), legend: true });
  const y = axis.scale.range([plot.bottom, plot.top]);
  const x = scaleBand<number>()
    .domain(grid.categories.map((_, i) => i))
    .range([plot.left, plot.right])
    .padding(0.2);
  const inner = scaleBand<number>()
    .domain(grid.series.map((_, s) => s))
    .range([0, x.bandwidth()])
    .padding(0.05);
  const content = svg`${valueAxis(axis, plot)}
    ${legend(grid.series.map((cell, s) => ({ text: textOf(cell), colour: s })), size.width)}
    <g class="series">
      ${grid.categories.map((category, c) =>
        grid.series.map((series, s) => {
          const cell = grid.cells[c]?.[s];
          const [from, to] = stacked ? (segments[c]?.[s] ?? [0, 0]) : [0, values[c]?.[s] ?? Number.NaN];
          if (!cell || !Number.isFinite(to) || from === to) return null;
          const box = stacked
            ? { x: x(c) ?? 0, width: x.bandwidth() }
            : { x: (x(c) ?? 0) + (inner(s) ?? 0), width: inner.bandwidth() };
          return bar(category, `${textOf(category)}, ${textOf(series)}: ${textOf(cell)}`, s, { ...box, y: Math.min(y(from), y(to)), height: Math.abs(y(from) - y(to)) }, () => select(category));
        }),
      )}
    </g>
    ${categoryAxis(grid.categories.map((cell, i) => ({ x: (x(i) ?? 0) + x.bandwidth() / 2, text: textOf(cell) })), plot)}`;
  const [first, second] = cube.qDimensionInfo;
  const what = `${cube.qMeasureInfo[0]?.qFallbackTitle ?? ''} by ${first?.qFallbackTitle ?? ''} and ${second?.qFallbackTitle ?? ''}`;
  const texts = grid.categories.flatMap((category, c) => grid.series.map((series, s) => `${textOf(category)}, ${textOf(series)}: ${textOf(grid.cells[c]?.[s])}`));
  return { content, description: describeValues(stacked ? 'Stacked bar chart' : 'Grouped bar chart', what, texts) };
}

/**
 * Bar chart: first dimension × first measure, or with a second dimension grouped or stacked
 * (`barGrouping.grouping`). Clicking a bar (or Enter/Space on it) selects its category.
 */
export const barChartRenderer = cubeChartRenderer({
  needs: 'chartNeedsMeasure',
  dimensions: 1,
  measures: 1,
  maxRows: 1000,
  draw: (data) => (data.cube.qDimensionInfo.length >= 2 ? drawTwoDimensions(data) : drawSingle(data)),
});
