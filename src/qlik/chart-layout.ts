/**
 * The geometry of the native charts, apart from the DOM: the plot rectangle inside a measured
 * box, value axes whose ticks fit the height and read in the measure's number format, and the
 * category-by-series grid of a two-dimension cube. The renderers turn these into SVG at the
 * box's own pixel size, so text keeps its CSS size whatever the box.
 */
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { formatTicks, type AxisNumberFormat } from './number-format.ts';
import type { NxCell } from './qix-types.ts';

export interface Size {
  width: number;
  height: number;
}

/** The plot rectangle's edges, in pixels from the box's top left. */
export interface Plot {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Axis and legend text size in CSS pixels (the renderer styles set the same). */
export const LABEL_PX = 12;
/** Vertical room a value tick needs, so labels never crowd. */
const TICK_SPACING_PX = 36;

/** Estimated width of a label at LABEL_PX (measuring text would need the DOM); digits are ~0.6em. */
export function labelWidth(text: string): number {
  return Math.ceil(text.length * LABEL_PX * 0.6);
}

export interface PlotOptions {
  /** The left axis' labels (they set the left margin). */
  left?: readonly string[];
  /** A second value axis' labels, on the right. */
  right?: readonly string[];
  /** A category or value axis along the bottom. */
  bottom?: boolean;
  /** A one-line legend above the plot. */
  legend?: boolean;
}

/** The plot rectangle of a chart in `size`, leaving room for its axes and legend. */
export function plotArea(size: Size, options: PlotOptions): Plot {
  const widest = (labels: readonly string[] | undefined) => (labels?.length ? Math.max(...labels.map(labelWidth)) + 10 : 0);
  const left = Math.max(8, widest(options.left));
  const right = Math.max(12, widest(options.right));
  const top = options.legend ? LABEL_PX + 18 : LABEL_PX / 2 + 2;
  const bottom = options.bottom === false ? 8 : LABEL_PX + 12;
  return { left, top, right: Math.max(left + 1, size.width - right), bottom: Math.max(top + 1, size.height - bottom) };
}

export interface ValueAxisModel {
  scale: ScaleLinear<number, number>;
  ticks: { value: number; text: string }[];
}

/**
 * A value axis for `values` over `length` pixels: zero included (bars start there), widened to
 * round ticks, as many as fit, labelled in the measure's format. Call `scale.range()` once the
 * plot is known.
 */
export function valueAxisModel(values: readonly number[], length: number, format: AxisNumberFormat | undefined, includeZero = true): ValueAxisModel {
  const finite = values.filter(Number.isFinite);
  const low = Math.min(...finite, includeZero || finite.length === 0 ? 0 : Infinity);
  const high = Math.max(...finite, includeZero || finite.length === 0 ? 0 : -Infinity);
  const count = Math.max(2, Math.min(10, Math.floor(length / TICK_SPACING_PX)));
  const scale = scaleLinear()
    .domain(low === high ? [low - 1, high + 1] : [low, high])
    .nice(count);
  const tickValues = scale.ticks(count);
  const texts = formatTicks(tickValues, format);
  return { scale, ticks: tickValues.map((value, i) => ({ value, text: texts[i] ?? '' })) };
}

/** Every `step`-th index so that labels of `widest` pixels fit in `length` pixels side by side. */
export function labelStep(count: number, length: number, widest: number): number {
  const fit = Math.max(1, Math.floor(length / (widest + 8)));
  return Math.max(1, Math.ceil(count / fit));
}

/** Shortens `text` to at most `max` characters, with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(1, max - 1))}…` : text;
}

/** A two-dimension cube as a grid: categories (first dimension) by series (second). */
export interface CubeGrid {
  categories: NxCell[];
  series: NxCell[];
  /** `cells[category][series]`: the measure's cell, or undefined where the cube has no row. */
  cells: (NxCell | undefined)[][];
}

/** Groups rows `[dim0, dim1, …, measure at m]` into a grid, in first-seen order on both axes. */
export function cubeGrid(rows: readonly NxCell[][], m: number): CubeGrid {
  const categoryIndex = new Map<number, number>();
  const seriesIndex = new Map<number, number>();
  const grid: CubeGrid = { categories: [], series: [], cells: [] };
  for (const row of rows) {
    const [category, series] = row;
    if (!category || !series) continue;
    let c = categoryIndex.get(category.qElemNumber);
    if (c === undefined) {
      c = grid.categories.push(category) - 1;
      categoryIndex.set(category.qElemNumber, c);
      grid.cells.push([]);
    }
    let s = seriesIndex.get(series.qElemNumber);
    if (s === undefined) {
      s = grid.series.push(series) - 1;
      seriesIndex.set(series.qElemNumber, s);
    }
    (grid.cells[c] as (NxCell | undefined)[])[s] = row[m];
  }
  return grid;
}

/**
 * Stacks each category's values: positives upwards from zero, negatives downwards, so a
 * segment's `[from, to]` never overlaps another's. Non-finite values get an empty segment.
 */
export function stackValues(values: readonly (readonly number[])[]): [number, number][][] {
  return values.map((row) => {
    let up = 0;
    let down = 0;
    return row.map((value): [number, number] => {
      if (!Number.isFinite(value)) return [up, up];
      if (value >= 0) return [up, (up += value)];
      return [down, (down += value)];
    });
  });
}
