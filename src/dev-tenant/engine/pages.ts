/** Data pages: the engine's limits on a request, clipping, and numbers as they travel in JSON. */
import type { Page } from './definitions.ts';
import { ErrorCode, QixError } from './rpc.ts';

/** The engine refuses a data request above this many cells in all its pages together. */
export const MAX_REQUEST_CELLS = 10_000;
/** …and above this many pages. */
export const MAX_REQUEST_PAGES = 64;

/** A number as the engine puts it in JSON: NaN travels as the string "NaN". */
export type QNum = number | 'NaN';
export function qNum(n: number): QNum {
  return Number.isFinite(n) ? n : 'NaN';
}

/** Clips a requested page to the cube, as the engine reports it back in `qArea`. */
export function clipPage(page: Page, width: number, height: number): Page {
  const qLeft = Math.min(page.qLeft, width);
  const qTop = Math.min(page.qTop, height);
  return { qLeft, qTop, qWidth: Math.max(0, Math.min(page.qWidth, width - qLeft)), qHeight: Math.max(0, Math.min(page.qHeight, height - qTop)) };
}

/**
 * Refuses a data request too large to answer (LOCERR_HC_RESULT_TOO_LARGE), before any work:
 * the cells of all pages together and the number of pages are capped, so one request cannot
 * hold the engine (and every other session) for long.
 */
export function checkPageSize(pages: readonly Page[]): void {
  if (pages.length > MAX_REQUEST_PAGES) {
    throw new QixError(ErrorCode.HC_RESULT_TOO_LARGE, `Result too large: ${pages.length} pages requested; at most ${MAX_REQUEST_PAGES} per request`, 'qPages');
  }
  let cells = 0;
  for (const p of pages) cells += p.qWidth * p.qHeight;
  if (cells > MAX_REQUEST_CELLS) {
    throw new QixError(ErrorCode.HC_RESULT_TOO_LARGE, `Result too large: ${cells} cells requested; at most ${MAX_REQUEST_CELLS} cells per request (all pages together)`, 'qPages');
  }
}
