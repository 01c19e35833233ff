import { html, svg } from 'lit';
import { arc, pie, type PieArcDatum } from 'd3-shape';
import type { GenericObjectLayout, NxCell } from '../../qlik/qix-types.ts';
import { chartFrame, describeSeries, HEIGHT, onActivate, PALETTE_SIZE, WIDTH } from './chart.ts';
import { emptyState } from './empty-state.ts';
import { cubeWith, HYPERCUBE_PATH, loadCubeRows, numberOf, textOf } from './hypercube.ts';
import type { ObjectRenderer, RendererHost, RenderIds } from './types.ts';

const MAX_SLICES = 100;

/** Pie (or donut) chart with a legend; slices and legend entries select their value. */
export function pieChartRenderer(host: RendererHost): ObjectRenderer {
  let layout: GenericObjectLayout | undefined;
  let rows: NxCell[][] = [];

  const select = (cell: NxCell, dimension: string) =>
    host.select({ action: 'select', objectId: host.objectId, field: dimension, values: [textOf(cell)] }, () =>
      host.model.selectHyperCubeValues(HYPERCUBE_PATH, 0, [cell.qElemNumber], true),
    );

  return {
    async update(next, signal) {
      layout = next;
      const cube = cubeWith(next, 1, 1);
      rows = cube ? await loadCubeRows(host.model, cube, MAX_SLICES, signal) : [];
    },
    render({ title }: RenderIds) {
      const cube = layout && cubeWith(layout, 1, 1);
      if (!cube) return emptyState('This pie chart needs a dimension and a measure.');
      const m = cube.qDimensionInfo.length;
      const slices = rows.filter((row) => row[0] && numberOf(row[m]) > 0);
      if (slices.length === 0) return emptyState('No data.');
      const dimension = cube.qDimensionInfo[0]?.qFallbackTitle ?? '';
      const measure = cube.qMeasureInfo[0]?.qFallbackTitle ?? '';
      const donut = (layout?.donut as { showAsDonut?: boolean } | undefined)?.showAsDonut === true;
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
              @click=${() => void select(dim, dimension)} @keydown=${onActivate(() => void select(dim, dimension))}
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
      return html`${chartFrame(title, describeSeries(donut ? 'Donut chart' : 'Pie chart', dimension, measure, slices.map((r) => [r[0], r[m]])), content)}`;
    },
  };
}
