import { svg } from 'lit';
import { arc, pie, type PieArcDatum } from 'd3-shape';
import { labelWidth, LABEL_PX, truncate } from '../../qlik/chart-layout.ts';
import type { NxCell } from '../../qlik/qix-types.ts';
import { describeValues, onActivate, pairText, PALETTE_SIZE } from './chart.ts';
import { cubeChartRenderer } from './cube-chart.ts';
import { numberOf, textOf } from '../../qlik/hypercube.ts';

/** Pie (or donut) chart with a legend beside it when there is room; slices select their value. */
export const pieChartRenderer = cubeChartRenderer({
  needs: 'chartNeedsMeasure',
  dimensions: 1,
  measures: 1,
  maxRows: 100,
  drawable: (rows, cube) => rows.filter((row) => row[0] && numberOf(row[cube.qDimensionInfo.length]) > 0),
  draw({ layout, cube, rows: slices, size, select }) {
    const m = cube.qDimensionInfo.length;
    const donut = (layout.donut as { showAsDonut?: boolean } | undefined)?.showAsDonut === true;
    const legendRows = Math.max(0, Math.min(slices.length, Math.floor((size.height - 8) / (LABEL_PX + 10))));
    const legendWidth = Math.max(0, ...slices.slice(0, legendRows).map((row) => labelWidth(truncate(`${textOf(row[0])}  ${textOf(row[m])}`, 32)))) + 24;
    const showLegend = legendRows > 0 && size.width - legendWidth >= size.height * 0.6;
    const pieWidth = showLegend ? size.width - legendWidth : size.width;
    const radius = Math.max(0, Math.min(pieWidth, size.height) / 2 - 6);
    const arcs = pie<NxCell[]>()
      .sort(null)
      .value((row) => numberOf(row[m]))(slices);
    const shape = arc<PieArcDatum<NxCell[]>>()
      .innerRadius(donut ? radius * 0.55 : 0)
      .outerRadius(radius);
    const top = Math.max(LABEL_PX, size.height / 2 - (legendRows * (LABEL_PX + 10)) / 2 + LABEL_PX);
    const content = svg`<g class="series" transform="translate(${pieWidth / 2} ${size.height / 2})">
        ${arcs.map((datum, i) => {
          const dim = datum.data[0] as NxCell;
          const label = pairText(dim, datum.data[m]);
          return svg`<path class="slice c${i % PALETTE_SIZE}" data-state=${dim.qState} d=${shape(datum) ?? ''}
              role="button" tabindex="0" aria-label=${label} aria-pressed=${dim.qState === 'S' ? 'true' : 'false'}
              @click=${() => select(dim)} @keydown=${onActivate(() => select(dim))}
            ><title>${label}</title></path>`;
        })}
      </g>
      ${showLegend
        ? svg`<g class="legend" aria-hidden="true" transform="translate(${pieWidth + 12} ${top})">
            ${slices.slice(0, legendRows).map(
              (row, i) => svg`<g transform="translate(0 ${i * (LABEL_PX + 10)})">
                <rect class="swatch c${i % PALETTE_SIZE}" width="12" height="12" y="-10"></rect>
                <text class="legend-label" x="18">${truncate(textOf(row[0]), 20)}</text>
                <text class="legend-value" x=${legendWidth - 16} text-anchor="end">${textOf(row[m])}</text>
              </g>`,
            )}
          </g>`
        : null}`;
    const what = `${cube.qMeasureInfo[0]?.qFallbackTitle ?? ''} by ${cube.qDimensionInfo[0]?.qFallbackTitle ?? ''}`;
    return { content, description: describeValues(donut ? 'Donut chart' : 'Pie chart', what, slices.map((row) => pairText(row[0], row[m]))) };
  },
});
