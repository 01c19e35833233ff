import { html, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import type { NxCell } from '../../qlik/qix-types.ts';
import { textOf } from './hypercube.ts';

/** Charts draw in this coordinate space and scale to their box. */
export const WIDTH = 640;
export const HEIGHT = 320;
export const MARGIN = { top: 16, right: 16, bottom: 48, left: 64 } as const;

/** Number of chart colours (`--qlik-chart-color-0` … `-7`). */
export const PALETTE_SIZE = 8;

/** The measure's scale, bottom to top of the plot: its finite values and zero, widened to nice ticks. */
export function valueScale(values: number[]): ScaleLinear<number, number> {
  const finite = values.filter(Number.isFinite);
  return scaleLinear()
    .domain([Math.min(0, ...finite), Math.max(0, ...finite)])
    .nice()
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
}

/** Left value axis: gridlines and labels from d3's ticks. */
export function valueAxis(y: ScaleLinear<number, number>, count = 5): SVGTemplateResult {
  const format = y.tickFormat(count, '~s');
  return svg`<g class="axis value-axis" aria-hidden="true">
    ${y.ticks(count).map(
      (tick) => svg`<line class="grid" x1=${MARGIN.left} x2=${WIDTH - MARGIN.right} y1=${y(tick)} y2=${y(tick)}></line>
        <text class="tick" x=${MARGIN.left - 8} y=${y(tick)} dy="0.32em" text-anchor="end">${format(tick)}</text>`,
    )}
  </g>`;
}

/** Category labels along the bottom, thinned to at most `max` so they do not overlap. */
export function categoryAxis(labels: { x: number; text: string }[], max = 12): SVGTemplateResult {
  const step = Math.max(1, Math.ceil(labels.length / max));
  return svg`<g class="axis category-axis" aria-hidden="true">
    <line class="baseline" x1=${MARGIN.left} x2=${WIDTH - MARGIN.right} y1=${HEIGHT - MARGIN.bottom} y2=${HEIGHT - MARGIN.bottom}></line>
    ${labels
      .filter((_, i) => i % step === 0)
      .map((l) => svg`<text class="tick" x=${l.x} y=${HEIGHT - MARGIN.bottom + 18} text-anchor="middle">${truncate(l.text, 14)}</text>`)}
  </g>`;
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The accessible description of a one-dimension, one-measure chart: what it shows and every
 * value's text (up to 50), so a screen reader user gets the chart's data.
 */
export function describeSeries(kind: string, dimension: string, measure: string, rows: (NxCell | undefined)[][]): string {
  const shown = rows.slice(0, 50).map((row) => `${textOf(row[0])}: ${textOf(row[1])}`);
  const more = rows.length > shown.length ? `; and ${rows.length - shown.length} more` : '';
  return `${kind} of ${measure} by ${dimension}, ${rows.length} ${rows.length === 1 ? 'value' : 'values'}. ${shown.join('; ')}${more}.`;
}

/** The chart wrapper: an SVG named by the title and described by the hidden text. */
export function chartFrame(titleId: string, description: string, content: SVGTemplateResult): TemplateResult {
  return html`<div class="chart" part="chart">
    <svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="group" aria-labelledby=${titleId} aria-describedby="chart-description">
      ${content}
    </svg>
    <p id="chart-description" class="visually-hidden">${description}</p>
  </div>`;
}

/** Enter and Space act like a click on the focused chart item. */
export function onActivate(action: () => void): (event: KeyboardEvent) => void {
  return (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      action();
    }
  };
}
