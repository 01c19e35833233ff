import { svg } from 'lit';
import { scaleBand } from 'd3-scale';
import { line } from 'd3-shape';
import { plotArea, valueAxisModel } from '../../qlik/chart-layout.ts';
import type { HyperCube, NxCell } from '../../qlik/qix-types.ts';
import { categoryAxis, describeValues, legend, onActivate, pairText, PALETTE_SIZE, valueAxis } from './chart.ts';
import { cubeChartRenderer } from './cube-chart.ts';
import { numberOf, textOf } from '../../qlik/hypercube.ts';

interface ComboSeries {
  /** The measure's column in a row. */
  column: number;
  title: string;
  kind: 'bar' | 'line';
  axis: 0 | 1;
}

/**
 * The measures' series as stored (`qDef.series`: `type` bar or line, `axis` 0 or 1); without
 * one, Qlik's default: the first measure as bars on the left, the others as lines on the right.
 */
function comboSeries(cube: HyperCube): ComboSeries[] {
  const first = cube.qDimensionInfo.length;
  return cube.qMeasureInfo.map((info, i) => {
    const kind = info.series?.type === 'line' || (info.series?.type === undefined && i > 0) ? 'line' : 'bar';
    const axis = info.series?.axis === 1 || (info.series?.axis === undefined && i > 0) ? 1 : 0;
    return { column: first + i, title: info.qFallbackTitle, kind, axis };
  });
}

/** Combo chart: bars and lines over the first dimension, each measure on its own axis side. */
export const comboChartRenderer = cubeChartRenderer({
  needs: 'chartNeedsMeasure',
  dimensions: 1,
  measures: 1,
  maxRows: 500,
  draw({ cube, rows, size, select }) {
    const series = comboSeries(cube);
    const formatOf = (axis: 0 | 1) => cube.qMeasureInfo[series.findIndex((s) => s.axis === axis)]?.qNumFormat;
    const valuesOn = (axis: 0 | 1) => series.filter((s) => s.axis === axis).flatMap((s) => rows.map((row) => numberOf(row[s.column])));
    const hasRight = series.some((s) => s.axis === 1);
    const leftAxis = valueAxisModel(valuesOn(0), size.height, formatOf(0));
    const rightAxis = hasRight ? valueAxisModel(valuesOn(1), size.height, formatOf(1)) : undefined;
    const plot = plotArea(size, { left: leftAxis.ticks.map((t) => t.text), right: rightAxis?.ticks.map((t) => t.text), legend: true });
    leftAxis.scale.range([plot.bottom, plot.top]);
    rightAxis?.scale.range([plot.bottom, plot.top]);
    const scaleOf = (axis: 0 | 1) => ((axis === 1 ? rightAxis : leftAxis) ?? leftAxis).scale;
    const x = scaleBand<number>()
      .domain(rows.map((_, i) => i))
      .range([plot.left, plot.right])
      .padding(0.2);
    const bars = series.filter((s) => s.kind === 'bar');
    const inner = scaleBand<number>()
      .domain(bars.map((_, b) => b))
      .range([0, x.bandwidth()])
      .padding(0.05);
    const centre = (i: number) => (x(i) ?? 0) + x.bandwidth() / 2;
    const content = svg`${valueAxis(leftAxis, plot)} ${rightAxis ? valueAxis(rightAxis, plot, 'right') : null}
      ${legend(series.map((s, i) => ({ text: s.title, colour: i, line: s.kind === 'line' })), size.width)}
      <g class="series">
        ${bars.map((s, b) => {
          const y = scaleOf(s.axis);
          const colour = series.indexOf(s) % PALETTE_SIZE;
          return rows.map((row, i) => {
            const dim = row[0];
            const value = numberOf(row[s.column]);
            if (!dim || !Number.isFinite(value)) return null;
            const label = `${pairText(dim, row[s.column])} (${s.title})`;
            const choose = () => select(dim);
            return svg`<rect class="bar c${colour}" data-state=${dim.qState} x=${(x(i) ?? 0) + (inner(b) ?? 0)} y=${Math.min(y(value), y(0))}
                width=${inner.bandwidth()} height=${Math.abs(y(0) - y(value))}
                role="button" tabindex="0" aria-label=${label} aria-pressed=${dim.qState === 'S' ? 'true' : 'false'}
                @click=${choose} @keydown=${onActivate(choose)}><title>${label}</title></rect>`;
          });
        })}
        ${series
          .filter((s) => s.kind === 'line')
          .map((s) => {
            const y = scaleOf(s.axis);
            const path = line<NxCell[]>()
              .defined((row) => Number.isFinite(numberOf(row[s.column])))
              .x((_, i) => centre(i))
              .y((row) => y(numberOf(row[s.column])))(rows);
            return svg`<path class="line s${series.indexOf(s) % PALETTE_SIZE}" d=${path ?? ''}></path>`;
          })}
      </g>
      ${categoryAxis(rows.map((row, i) => ({ x: centre(i), text: textOf(row[0]) })), plot)}`;
    const texts = rows.map((row) => `${textOf(row[0])}: ${series.map((s) => `${s.title} ${textOf(row[s.column])}`).join(', ')}`);
    return { content, description: describeValues('Combo chart', `${series.map((s) => s.title).join(' and ')} by ${cube.qDimensionInfo[0]?.qFallbackTitle ?? ''}`, texts) };
  },
});
