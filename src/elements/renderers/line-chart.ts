import { svg } from 'lit';
import { scaleLinear, scalePoint } from 'd3-scale';
import { line } from 'd3-shape';
import type { GenericObjectLayout, NxCell } from '../../qlik/qix-types.ts';
import { categoryAxis, chartFrame, describeSeries, HEIGHT, MARGIN, onActivate, valueAxis, WIDTH } from './chart.ts';
import { emptyState } from './empty-state.ts';
import { cubeWith, HYPERCUBE_PATH, loadCubeRows, numberOf, textOf } from './hypercube.ts';
import type { ObjectRenderer, RendererHost, RenderIds } from './types.ts';

const MAX_POINTS = 1000;
/** Above this many points the markers (and their focus stops) are left out. */
const MAX_MARKERS = 60;

/** Line chart: first dimension along x, first measure on y. Points select their value. */
export function lineChartRenderer(host: RendererHost): ObjectRenderer {
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
      rows = cube ? await loadCubeRows(host.model, cube, MAX_POINTS, signal) : [];
    },
    render({ title }: RenderIds) {
      const cube = layout && cubeWith(layout, 1, 1);
      if (!cube) return emptyState('This line chart needs a dimension and a measure.');
      if (rows.length === 0) return emptyState('No data.');
      const dimension = cube.qDimensionInfo[0]?.qFallbackTitle ?? '';
      const measure = cube.qMeasureInfo[0]?.qFallbackTitle ?? '';
      const m = cube.qDimensionInfo.length;
      const values = rows.map((row) => numberOf(row[m])).filter(Number.isFinite);
      const x = scalePoint<number>()
        .domain(rows.map((_, i) => i))
        .range([MARGIN.left, WIDTH - MARGIN.right])
        .padding(0.5);
      const y = scaleLinear()
        .domain([Math.min(0, ...values), Math.max(0, ...values)])
        .nice()
        .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
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
                  @click=${() => void select(dim, dimension)} @keydown=${onActivate(() => void select(dim, dimension))}
                ><title>${label}</title></circle>`;
            })}</g>`
          : null}
        ${categoryAxis(rows.map((row, i) => ({ x: x(i) ?? 0, text: textOf(row[0]) })), 8)}`;
      return chartFrame(title, describeSeries('Line chart', dimension, measure, rows.map((r) => [r[0], r[m]])), content);
    },
  };
}
