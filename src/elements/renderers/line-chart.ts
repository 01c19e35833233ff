import { svg } from 'lit';
import { scalePoint } from 'd3-scale';
import { line } from 'd3-shape';
import type { NxCell } from '../../qlik/qix-types.ts';
import { categoryAxis, MARGIN, onActivate, valueAxis, valueScale, WIDTH } from './chart.ts';
import { cubeChartRenderer } from './cube-chart.ts';
import { numberOf, textOf } from './hypercube.ts';

/** Above this many points the markers (and their focus stops) are left out. */
const MAX_MARKERS = 60;

/** Line chart: first dimension along x, first measure on y. Points select their value. */
export const lineChartRenderer = cubeChartRenderer({
  name: 'line chart',
  maxRows: 1000,
  draw({ rows, m, select }) {
    const x = scalePoint<number>()
      .domain(rows.map((_, i) => i))
      .range([MARGIN.left, WIDTH - MARGIN.right])
      .padding(0.5);
    const y = valueScale(rows.map((row) => numberOf(row[m])));
    const path = line<NxCell[]>()
      .defined((row) => Number.isFinite(numberOf(row[m])))
      .x((_, i) => x(i) ?? 0)
      .y((row) => y(numberOf(row[m])))(rows);
    const markers = rows.length <= MAX_MARKERS;
    const content = svg`${valueAxis(y)}
      <path class="line c0" d=${path ?? ''}></path>
      ${markers
        ? svg`<g class="series">${rows.map((row, i) => {
            const dim = row[0];
            const value = numberOf(row[m]);
            if (!dim || !Number.isFinite(value)) return null;
            const label = `${textOf(dim)}: ${textOf(row[m])}`;
            return svg`<circle class="point c0" data-state=${dim.qState} cx=${x(i) ?? 0} cy=${y(value)} r="5"
                role="button" tabindex="0" aria-label=${label} aria-pressed=${dim.qState === 'S' ? 'true' : 'false'}
                @click=${() => select(dim)} @keydown=${onActivate(() => select(dim))}
              ><title>${label}</title></circle>`;
          })}</g>`
        : null}
      ${categoryAxis(rows.map((row, i) => ({ x: x(i) ?? 0, text: textOf(row[0]) })), 8)}`;
    return { kind: 'Line chart', content };
  },
});
