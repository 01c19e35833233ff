import { svg } from 'lit';
import { scaleBand } from 'd3-scale';
import { categoryAxis, MARGIN, onActivate, PALETTE_SIZE, truncate, valueAxis, valueScale, WIDTH } from './chart.ts';
import { cubeChartRenderer } from './cube-chart.ts';
import { numberOf, textOf } from './hypercube.ts';

/** Bar chart: first dimension × first measure. Clicking a bar (or Enter/Space on it) selects it. */
export const barChartRenderer = cubeChartRenderer({
  name: 'bar chart',
  maxRows: 500,
  draw({ rows, m, select }) {
    const x = scaleBand<number>()
      .domain(rows.map((_, i) => i))
      .range([MARGIN.left, WIDTH - MARGIN.right])
      .padding(0.2);
    const y = valueScale(rows.map((row) => numberOf(row[m])));
    const zero = y(0);
    const showLabels = x.bandwidth() >= 36;
    const content = svg`${valueAxis(y)}
      <g class="series">
        ${rows.map((row, i) => {
          const dim = row[0];
          const value = numberOf(row[m]);
          if (!dim || !Number.isFinite(value)) return null;
          const top = Math.min(y(value), zero);
          const label = `${textOf(dim)}: ${textOf(row[m])}`;
          return svg`<rect class="bar c${i % PALETTE_SIZE}" data-state=${dim.qState} x=${x(i) ?? 0} y=${top}
              width=${x.bandwidth()} height=${Math.abs(zero - y(value))}
              role="button" tabindex="0" aria-label=${label} aria-pressed=${dim.qState === 'S' ? 'true' : 'false'}
              @click=${() => select(dim)} @keydown=${onActivate(() => select(dim))}
            ><title>${label}</title></rect>
            ${showLabels
              ? svg`<text class="value-label" aria-hidden="true" x=${(x(i) ?? 0) + x.bandwidth() / 2} y=${top - 4} text-anchor="middle">${truncate(textOf(row[m]), 10)}</text>`
              : null}`;
        })}
      </g>
      ${categoryAxis(rows.map((row, i) => ({ x: (x(i) ?? 0) + x.bandwidth() / 2, text: textOf(row[0]) })))}`;
    return { kind: 'Bar chart', content };
  },
});
