/** Reading hypercube and list-object data: cell values, rows, and paging past the layout's first page. */
import type { GenericObjectLayout, HyperCube, NxCell, NxDataPage, QixGenericObject } from './qix-types.ts';

export const HYPERCUBE_PATH = '/qHyperCubeDef';
export const LISTOBJECT_PATH = '/qListObjectDef';

/** The engine caps a data page at 10 000 cells. */
const MAX_CELLS_PER_PAGE = 10_000;

/** A measure's value at a data point. */
export interface QlikMeasureValue {
  measure: string;
  /** As the engine formatted it. */
  text: string;
  /** NaN when not numeric. */
  number: number;
}

/** A cell's number, NaN when the engine has none. */
export function numberOf(cell: NxCell | undefined): number {
  return typeof cell?.qNum === 'number' ? cell.qNum : Number.NaN;
}

/** A cell's text as the engine formatted it. */
export function textOf(cell: NxCell | undefined): string {
  return cell?.qText ?? (cell?.qIsNull ? '-' : '');
}

/** Rows of the data pages, in order, without gaps. */
export function rowsOf(pages: readonly NxDataPage[] | undefined): NxCell[][] {
  return (pages ?? []).flatMap((page) => page.qMatrix);
}

/** `height` rows from row `top` of a straight hypercube `width` columns wide, in one `GetHyperCubeData` call. */
export async function cubeRowsAt(model: QixGenericObject, width: number, top: number, height: number): Promise<NxCell[][]> {
  return rowsOf(await model.getHyperCubeData(HYPERCUBE_PATH, [{ qTop: top, qLeft: 0, qWidth: width, qHeight: height }]));
}

/**
 * The rows `0 … count` of a straight hypercube `width` columns wide, one `GetHyperCubeData`
 * page at a time, each as large as the engine accepts.
 */
export async function* cubeRowPages(model: QixGenericObject, width: number, count: number, signal?: AbortSignal): AsyncGenerator<NxCell[][]> {
  const height = Math.max(1, Math.floor(MAX_CELLS_PER_PAGE / Math.max(1, width)));
  for (let top = 0; top < count; top += height) {
    signal?.throwIfAborted();
    yield await cubeRowsAt(model, width, top, Math.min(height, count - top));
  }
}

/**
 * The first `max` rows of a hypercube: the layout's initial data when it covers them,
 * otherwise fetched with `GetHyperCubeData` in pages the engine accepts.
 */
export async function loadCubeRows(model: QixGenericObject, cube: HyperCube, max: number, signal?: AbortSignal): Promise<NxCell[][]> {
  const width = cube.qSize.qcx;
  const wanted = Math.min(cube.qSize.qcy, max);
  const initial = rowsOf(cube.qDataPages);
  const first = cube.qDataPages[0];
  if (initial.length >= wanted && first?.qArea.qTop === 0 && first.qArea.qWidth >= width) return initial.slice(0, wanted);
  const rows: NxCell[][] = [];
  for await (const page of cubeRowPages(model, width, wanted, signal)) rows.push(...page);
  return rows;
}

/** The measures' values in one row of a straight hypercube (dimension cells first). */
export function measureValuesOf(cube: HyperCube, row: readonly NxCell[]): QlikMeasureValue[] {
  const first = cube.qDimensionInfo.length;
  return cube.qMeasureInfo.map((info, i) => ({ measure: info.qFallbackTitle, text: textOf(row[first + i]), number: numberOf(row[first + i]) }));
}

/** A hypercube with at least `dimensions` dimensions and `measures` measures, or undefined. */
export function cubeWith(layout: GenericObjectLayout, dimensions: number, measures: number): HyperCube | undefined {
  const cube = layout.qHyperCube;
  if (!cube || cube.qDimensionInfo.length < dimensions || cube.qMeasureInfo.length < measures) return undefined;
  return cube;
}

/** The visible title of an object: its title property, its meta title, else empty. */
export function titleOf(layout: GenericObjectLayout): string {
  return layout.title || layout.qMeta?.title || '';
}
