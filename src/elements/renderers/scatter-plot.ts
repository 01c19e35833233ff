import { svg } from 'lit';
import { scaleSqrt } from 'd3-scale';
import { LABEL_PX, plotArea, valueAxisModel } from '../../qlik/chart-layout.ts';
import { describeValues, onActivate, valueAxis } from './chart.ts';
import { cubeChartRenderer } from './cube-chart.ts';
import { numberOf, textOf } from '../../qlik/hypercube.ts';

/**
 * Scatter plot: one point per value of the dimension, the first measure across, the second up,
 * and a third (when there is one) as the bubble's size. Points select their value.
 */
export const scatterPlotRenderer = cubeChartRenderer({
  needs: 'chartNeedsTwoMeasures',
  dimensions: 1,
  measures: 2,
  maxRows: 2000,
  draw({ cube, rows, size, select }) {
    const m = cube.qDimensionInfo.length;
    const [xInfo, yInfo, sizeInfo] = cube.qMeasureInfo;
    const xAxis = valueAxisModel(rows.map((row) => numberOf(row[m])), size.width / 2, xInfo?.qNumFormat, false);
    const yAxis = valueAxisModel(rows.map((row) => numberOf(row[m + 1])), size.height, yInfo?.qNumFormat, false);
    const plot = plotArea(size, { left: yAxis.ticks.map((t) => t.text) });
    const x = xAxis.scale.range([plot.left, plot.right]);
    const y = yAxis.scale.range([plot.bottom, plot.top]);
    const sizes = sizeInfo ? rows.map((row) => numberOf(row[m + 2])).filter(Number.isFinite) : [];
    const radius = scaleSqrt()
      .domain([0, Math.max(1, ...sizes)])
      .range([2, Math.max(3, Math.min(10, (plot.right - plot.left) / 40))]);
    const content = svg`${valueAxis(yAxis, plot)}
      <g class="axis category-axis" aria-hidden="true">
        <line class="baseline" x1=${plot.left} x2=${plot.right} y1=${plot.bottom} y2=${plot.bottom}></line>
        ${xAxis.ticks.map(({ value, text }) => svg`<text class="tick" x=${x(value)} y=${plot.bottom + LABEL_PX + 4} text-anchor="middle">${text}</text>`)}
      </g>
      <g class="series">
        ${rows.map((row) => {
          const dim = row[0];
          const [vx, vy] = [numberOf(row[m]), numberOf(row[m + 1])];
          if (!dim || !Number.isFinite(vx) || !Number.isFinite(vy)) return null;
          const r = sizeInfo ? radius(Math.max(0, numberOf(row[m + 2])) || 0) : 4;
          const label = `${textOf(dim)}: ${xInfo?.qFallbackTitle ?? ''} ${textOf(row[m])}, ${yInfo?.qFallbackTitle ?? ''} ${textOf(row[m + 1])}`;
          const choose = () => select(dim);
          return svg`<circle class="point bubble c0" data-state=${dim.qState} cx=${x(vx)} cy=${y(vy)} r=${r}
              role="button" tabindex="0" aria-label=${label} aria-pressed=${dim.qState === 'S' ? 'true' : 'false'}
              @click=${choose} @keydown=${onActivate(choose)}><title>${label}</title></circle>`;
        })}
      </g>`;
    const what = `${yInfo?.qFallbackTitle ?? ''} against ${xInfo?.qFallbackTitle ?? ''} by ${cube.qDimensionInfo[0]?.qFallbackTitle ?? ''}`;
    const texts = rows.map((row) => `${textOf(row[0])}: ${textOf(row[m])}, ${textOf(row[m + 1])}`);
    return { content, description: describeValues('Scatter plot', what, texts) };
  },
});
