import { svg } from 'lit';
import { arc, pie, type PieArcDatum } from 'd3-shape';
import type { NxCell } from '../../qlik/qix-types.ts';
import { HEIGHT, onActivate, PALETTE_SIZE, WIDTH } from './chart.ts';
import { cubeChartRenderer } from './cube-chart.ts';
import { numberOf, textOf } from './hypercube.ts';

/** Pie (or donut) chart with a legend; slices and legend entries select their value. */
export const pieChartRenderer = cubeChartRenderer({
  name: 'pie chart',
  maxRows: 100,
  drawable: (rows, m) => rows.filter((row) => row[0] && numberOf(row[m]) > 0),
  draw({ layout, rows: slices, m, select }) {
    const donut = (layout.donut as { showAsDonut?: boolean } | undefined)?.showAsDonut === true;
    const radius = HEIGHT / 2 - 12;
    const arcs = pie<NxCell[]>()
      .sort(null)
      .value((row) => numberOf(row[m]))(slices);
    const shape = arc<PieArcDatum<NxCell[]>>()
      .innerRadius(donut ? radius * 0.55 : 0)
      .outerRadius(radius);
    const centre = { x: HEIGHT / 2 + 8, y: HEIGHT / 2 };
    const content = svg`<g class="series" transform="translate(${centre.x} ${centre.y})">
        ${arcs.map((datum, i) => {
          const dim = datum.data[0] as NxCell;
          const label = `${textOf(dim)}: ${textOf(datum.data[m])}`;
          return svg`<path class="slice c${i % PALETTE_SIZE}" data-state=${dim.qState} d=${shape(datum) ?? ''}
              role="button" tabindex="0" aria-label=${label} aria-pressed=${dim.qState === 'S' ? 'true' : 'false'}
              @click=${() => select(dim)} @keydown=${onActivate(() => select(dim))}
            ><title>${label}</title></path>`;
        })}
      </g>
      <g class="legend" aria-hidden="true" transform="translate(${HEIGHT + 32} ${Math.max(16, HEIGHT / 2 - slices.length * 11)})">
        ${slices.slice(0, 12).map(
          (row, i) => svg`<g transform="translate(0 ${i * 22})">
            <rect class="swatch c${i % PALETTE_SIZE}" width="12" height="12" y="-10"></rect>
            <text class="legend-label" x="20">${textOf(row[0])}</text>
            <text class="legend-value" x=${WIDTH - HEIGHT - 48} text-anchor="end">${textOf(row[m])}</text>
          </g>`,
        )}
      </g>`;
    return { kind: donut ? 'Donut chart' : 'Pie chart', content };
  },
});
