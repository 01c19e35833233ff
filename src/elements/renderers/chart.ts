import { html, nothing, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { LABEL_PX, labelStep, labelWidth, truncate, type Plot, type Size, type ValueAxisModel } from '../../qlik/chart-layout.ts';
import type { NxCell } from '../../qlik/qix-types.ts';
import type { ChartBox } from '../qlik-object/chart-size-controller.ts';
import { textOf } from '../../qlik/hypercube.ts';

/** Number of chart colours (`--qlik-chart-color-0` … `-7`). */
export const PALETTE_SIZE = 8;

/** The size used where nothing measures the chart (a renderer drawn outside `<qlik-object>`). */
const UNMEASURED: Size = { width: 640, height: 320 };

/** The size to lay out in: the measured box, undefined before its first measurement. */
export function sizeOf(box: ChartBox | undefined): Size | undefined {
  if (!box) return UNMEASURED;
  return box.width > 0 && box.height > 0 ? { width: box.width, height: box.height } : undefined;
}

/** A value axis with gridlines across the plot, on the left (or the right, without gridlines). */
export function valueAxis(axis: ValueAxisModel, plot: Plot, side: 'left' | 'right' = 'left'): SVGTemplateResult {
  const x = side === 'left' ? plot.left - 6 : plot.right + 6;
  return svg`<g class="axis value-axis" aria-hidden="true">
    ${axis.ticks.map(
      ({ value, text }) => svg`${side === 'left' ? svg`<line class="grid" x1=${plot.left} x2=${plot.right} y1=${axis.scale(value)} y2=${axis.scale(value)}></line>` : nothing}
        <text class="tick" x=${x} y=${axis.scale(value)} dy="0.32em" text-anchor=${side === 'left' ? 'end' : 'start'}>${text}</text>`,
    )}
  </g>`;
}

/** Labels along the bottom of the plot, shortened to their share of the width, thinned if still too wide. */
export function categoryAxis(labels: { x: number; text: string }[], plot: Plot): SVGTemplateResult {
  const share = (plot.right - plot.left) / Math.max(1, labels.length);
  const maxChars = Math.max(4, Math.min(16, Math.floor((share - 8) / (LABEL_PX * 0.6))));
  const widest = Math.max(0, ...labels.map((l) => labelWidth(truncate(l.text, maxChars))));
  const step = labelStep(labels.length, plot.right - plot.left, widest);
  return svg`<g class="axis category-axis" aria-hidden="true">
    <line class="baseline" x1=${plot.left} x2=${plot.right} y1=${plot.bottom} y2=${plot.bottom}></line>
    ${labels
      .filter((_, i) => i % step === 0)
      .map((l) => svg`<text class="tick" x=${l.x} y=${plot.bottom + LABEL_PX + 4} text-anchor="middle">${truncate(l.text, maxChars)}</text>`)}
  </g>`;
}

export interface LegendItem {
  text: string;
  /** Colour class (`c0` …) and shape. */
  colour: number;
  line?: boolean;
}

/** One row of swatches and names above the plot, as many as fit in `width`. */
export function legend(items: LegendItem[], width: number): SVGTemplateResult {
  let x = 0;
  const placed = items.flatMap((item) => {
    const text = truncate(item.text, 20);
    const at = x;
    x += 18 + labelWidth(text) + 12;
    return at + 18 + labelWidth(text) <= width ? [{ item, text, at }] : [];
  });
  return svg`<g class="legend" aria-hidden="true" transform="translate(0 ${LABEL_PX})">
    ${placed.map(
      ({ item, text, at }) => svg`<g transform="translate(${at} 0)">
        ${item.line
          ? svg`<line class="legend-line s${item.colour % PALETTE_SIZE}" x1="0" x2="12" y1="-4" y2="-4"></line>`
          : svg`<rect class="swatch c${item.colour % PALETTE_SIZE}" width="12" height="12" y="-10"></rect>`}
        <text class="legend-label" x="18">${text}</text>
      </g>`,
    )}
  </g>`;
}

/**
 * The accessible description of a chart: what it shows and every value's text (up to 50), so a
 * screen reader user gets the chart's data.
 */
export function describeValues(kind: string, what: string, values: string[]): string {
  const shown = values.slice(0, 50);
  const more = values.length > shown.length ? `; and ${values.length - shown.length} more` : '';
  return `${kind} of ${what}, ${values.length} ${values.length === 1 ? 'value' : 'values'}. ${shown.join('; ')}${more}.`;
}

/** "Europe: $412,346" for a dimension cell and a measure cell. */
export function pairText(dimension: NxCell | undefined, measure: NxCell | undefined): string {
  return `${textOf(dimension)}: ${textOf(measure)}`;
}

/**
 * The chart wrapper: a box the host measures, holding an SVG drawn at that box's pixel size
 * (one viewBox unit per CSS pixel), named by the title and described by the hidden text.
 */
export function chartFrame(titleId: string, description: string, box: ChartBox | undefined, size: Size | undefined, content: SVGTemplateResult): TemplateResult {
  return html`<div class="chart" part="chart" ${box ? ref(box.observe) : nothing}>
    ${size
      ? html`<svg width=${size.width} height=${size.height} viewBox="0 0 ${size.width} ${size.height}" role="group" aria-labelledby=${titleId} aria-describedby="chart-description">
          ${content}
        </svg>`
      : nothing}
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
