import { svg } from 'lit';
import { scalePoint } from 'd3-scale';
import { line } from 'd3-shape';
import { plotArea, valueAxisModel } from '../../qlik/chart-layout.ts';
import type { NxCell } from '../../qlik/qix-types.ts';
import { categoryAxis, describeValues, onActivate, pairText, valueAxis } from './chart.ts';
import { cubeChartRenderer } from './cube-chart.ts';
import { numberOf, textOf } from '../../qlik/hypercube.ts';

/** Below this many pixels per point the markers (and their focus stops) are left out. */
const MARKER_SPACING_PX = 12;

/** Line chart: first dimension along x, first measure on y. Points select their value. */
export const lineChartRenderer = cubeChartRenderer({
  needs: 'chartNeedsMeasure',
  dimensions: 1,
  measures: 1,
  maxRows: 1000,
  draw({ cube, rows, size, select }) {
    const m = cube.qDimensionInfo.length;
    const axis = valueAxisModel(rows.map((row) => numberOf(row[m])), size.height, cube.qMeasureInfo[0]?.qNumFormat);
    const plot = plotArea(size, { left: axis.ticks.map((t) => t.text) });
    const y = axis.scale.range([plot.bottom, plot.top]);
    const x = scalePoint<number>()
      .domain(rows.map((_, i) => i))
      .range([plot.left, plot.right])
      .padding(0.5);
    const path = line<NxCell[]>()
      .defined((row) => Number.isFinite(numberOf(row[m])))
      .x((_, i) => x(i) ?? 0)
      .y((row) => y(numberOf(row[m])))(rows);
    const markers = x.step() >= MARKER_SPACING_PX;
    const content = svg`${valueAxis(axis, plot)}
      <path class="line s0" d=${path ?? ''}></path>
      ${markers
        ? svg`<g class="series">${rows.map((row, i) => {
            const dim = row[0];
            const value = numberOf(row[m]);
            if (!dim || !Number.isFinite(value)) return null;
            const label = pairText(dim, row[m]);
            return svg`<circle class="point c0" data-state=${dim.qState} cx=${x(i) ?? 0} cy=${y(value)} r="4"
                role="button" tabindex="0" aria-label=${label} aria-pressed=${dim.qState === 'S' ? 'true' : 'false'}
                @click=${() => select(dim)} @keydown=${onActivate(() => select(dim))}
              ><title>${label}</title></circle>`;
          })}</g>`
        : null}
      ${categoryAxis(rows.map((row, i) => ({ x: x(i) ?? 0, text: textOf(row[0]) })), plot)}`;
    const what = `${cube.qMeasureInfo[0]?.qFallbackTitle ?? ''} by ${cube.qDimensionInfo[0]?.qFallbackTitle ?? ''}`;
    return { content, description: describeValues('Line chart', what, rows.map((row) => pairText(row[0], row[m]))) };
  },
});
