/**
 * `GetHyperCubeBinnedData`, which scatter plots call when a cube has more points than they
 * draw one by one (sn-scatter-plot: over 1000). The answer is two pages, as Qlik's engine gives
 * them: the first holds the bins, the second raw rows.
 * - More points in the data range than `qMaxNbrCells`: the range is cut into a
 *   2^qQueryLevel × 2^qQueryLevel grid over the first two measures (x, y); the first page's
 *   row 0 holds the densest bin's count, then one row per non-empty bin:
 *   `{qElemNumber: bin index, qText: "[xMin,yMin,xMax,yMax]", qNum: points in it}`.
 *   The second page is empty.
 * - Otherwise no binning: the first page is empty and the second holds `qPages[0]`'s rows.
 */
import { hyperCubePages, type CubeResult } from './hypercube.ts';
import type { JsonObject } from './json.ts';
import type { Page } from './definitions.ts';

/** The deepest grid level binned: 2^10 cells a side is finer than any chart draws. */
const MAX_LEVEL = 10;

function emptyPage(): JsonObject {
  return { qMatrix: [], qTailSize: { qcx: 0, qcy: 0 }, qArea: { qLeft: 0, qTop: 0, qWidth: 0, qHeight: 0 }, qIsReduced: false };
}

/** `range` is in data coordinates: x from qLeft over qWidth, y from qTop over qHeight. */
export function binnedPages(cube: CubeResult, pages: readonly Page[], range: Page, maxCells: number, level: number): JsonObject[] {
  const xs = cube.measureValues[0];
  const ys = cube.measureValues[1];
  const inRange: number[] = [];
  if (xs && ys) {
    for (const g of cube.order) {
      const x = xs[g] as number;
      const y = ys[g] as number;
      if (x >= range.qLeft && x <= range.qLeft + range.qWidth && y >= range.qTop && y <= range.qTop + range.qHeight) inRange.push(g);
    }
  }
  if (inRange.length <= maxCells || !xs || !ys || range.qWidth <= 0 || range.qHeight <= 0) {
    return [emptyPage(), hyperCubePages(cube, pages.slice(0, 1))[0] ?? emptyPage()];
  }
  const side = 2 ** Math.max(0, Math.min(MAX_LEVEL, Math.floor(level)));
  const cellWidth = range.qWidth / side;
  const cellHeight = range.qHeight / side;
  const counts = new Map<number, number>();
  for (const g of inRange) {
    const column = Math.min(side - 1, Math.floor(((xs[g] as number) - range.qLeft) / cellWidth));
    const row = Math.min(side - 1, Math.floor(((ys[g] as number) - range.qTop) / cellHeight));
    const bin = row * side + column;
    counts.set(bin, (counts.get(bin) ?? 0) + 1);
  }
  const bins = [...counts].sort(([a], [b]) => a - b);
  const densest = Math.max(...counts.values());
  const qMatrix: JsonObject[][] = [[{ qText: '', qNum: densest, qElemNumber: -1, qState: 'L' }]];
  for (const [bin, count] of bins) {
    const x0 = range.qLeft + (bin % side) * cellWidth;
    const y0 = range.qTop + Math.floor(bin / side) * cellHeight;
    qMatrix.push([{ qText: JSON.stringify([x0, y0, x0 + cellWidth, y0 + cellHeight]), qNum: count, qElemNumber: bin, qState: 'L' }]);
  }
  return [{ qMatrix, qTailSize: { qcx: 0, qcy: 0 }, qArea: { qLeft: 0, qTop: 0, qWidth: 1, qHeight: qMatrix.length }, qIsReduced: true }, emptyPage()];
}
