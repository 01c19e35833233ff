import type { GenericObjectLayout, HyperCube, NxCell, NxDataPage, QixGenericObject } from '../../qlik/qix-types.ts';

export const HYPERCUBE_PATH = '/qHyperCubeDef';
export const LISTOBJECT_PATH = '/qListObjectDef';

/** The engine caps a data page at 10 000 cells. */
const MAX_CELLS_PER_PAGE = 10_000;

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
  const height = Math.max(1, Math.floor(MAX_CELLS_PER_PAGE / Math.max(1, width)));
  const rows: NxCell[][] = [];
  for (let top = 0; top < wanted; top += height) {
    signal?.throwIfAborted();
    const pages = await model.getHyperCubeData(HYPERCUBE_PATH, [{ qTop: top, qLeft: 0, qWidth: width, qHeight: Math.min(height, wanted - top) }]);
    rows.push(...rowsOf(pages));
  }
  return rows;
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
