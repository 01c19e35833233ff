import { svg } from 'lit';
import { scaleBand, scaleLinear } from 'd3-scale';
import type { GenericObjectLayout, NxCell } from '../../qlik/qix-types.ts';
import { categoryAxis, chartFrame, describeSeries, HEIGHT, MARGIN, onActivate, PALETTE_SIZE, truncate, valueAxis, WIDTH } from './chart.ts';
import { emptyState } from './empty-state.ts';
import { cubeWith, HYPERCUBE_PATH, loadCubeRows, numberOf, textOf } from './hypercube.ts';
import type { ObjectRenderer, RendererHost, RenderIds } from './types.ts';

const MAX_BARS = 500;

/** Bar chart: first dimension × first measure. Clicking a bar (or Enter/Space on it) selects it. */
export function barChartRenderer(host: RendererHost): ObjectRenderer {
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
      rows = cube ? await loadCubeRows(host.model, cube, MAX_BARS, signal) : [];
    },
    render({ title }: RenderIds) {
      const cube = layout && cubeWith(layout, 1, 1);
      if (!cube) return emptyState('This bar chart needs a dimension and a measure.');
      if (rows.length === 0) return emptyState('No data.');
      const dimension = cube.qDimensionInfo[0]?.qFallbackTitle ?? '';
      const measure = cube.qMeasureInfo[0]?.qFallbackTitle ?? '';
      const measureColumn = cube.qDimensionInfo.length;
      const values = rows.map((row) => numberOf(row[measureColumn])).filter(Number.isFinite);
      const x = scaleBand<number>()
        .domain(rows.map((_, i) => i))
        .range([MARGIN.left, WIDTH - MARGIN.right])
        .padding(0.2);
      const y = scaleLinear()
        .domain([Math.min(0, ...values), Math.max(0, ...values)])
        .nice()
        .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
      const zero = y(0);
      const showLabels = x.bandwidth() >= 36;
      const content = svg`${valueAxis(y)}
        <g class="series">
          ${rows.map((row, i) => {
            const dim = row[0];
            const value = numberOf(row[measureColumn]);
            if (!dim || !Number.isFinite(value)) return null;
            const top = Math.min(y(value), zero);
            const label = `${textOf(dim)}: ${textOf(row[measureColumn])}`;
            return svg`<rect class="bar c${i % PALETTE_SIZE}" data-state=${dim.qState} x=${x(i) ?? 0} y=${top}
                width=${x.bandwidth()} height=${Math.abs(zero - y(value))}
                role="button" tabindex="0" aria-label=${label} aria-pressed=${dim.qState === 'S' ? 'true' : 'false'}
                @click=${() => void select(dim, dimension)} @keydown=${onActivate(() => void select(dim, dimension))}
              ><title>${label}</title></rect>
              ${showLabels
                ? svg`<text class="value-label" aria-hidden="true" x=${(x(i) ?? 0) + x.bandwidth() / 2} y=${top - 4} text-anchor="middle">${truncate(textOf(row[measureColumn]), 10)}</text>`
                : null}`;
          })}
        </g>
        ${categoryAxis(rows.map((row, i) => ({ x: (x(i) ?? 0) + x.bandwidth() / 2, text: textOf(row[0]) })))}`;
      return chartFrame(title, describeSeries('Bar chart', dimension, measure, rows.map((r) => [r[0], r[measureColumn]])), content);
    },
  };
}
