/**
 * Pivot (`qMode: 'P'`) and stacked (`qMode: 'K'`) views of a hypercube, built from the same
 * grouped and sorted result as straight data: a pivot page has a left tree (the left
 * dimensions), a top tree (the top dimensions, then the measures as a pseudo dimension) and a
 * value matrix; a stacked page is one tree of dimension nodes ending in measure values. Trees
 * are always fully expanded (ExpandLeft/CollapseLeft are not offered).
 */
import type { Field } from './data-model.ts';
import type { Page } from './definitions.ts';
import type { CubeResult } from './hypercube.ts';
import { clipPage, qNum } from './pages.ts';
import type { JsonObject } from './json.ts';
import { formatNumber } from './number-format.ts';

const EMPTY_ATTRS = { qAttrExps: { qValues: [] }, qAttrDims: { qValues: [] } };

/** How many dimensions are on the left: -1 (the default) puts every dimension there. */
export function leftDimensionCount(cube: CubeResult): number {
  const nd = cube.def.dimensions.length;
  const n = cube.def.noOfLeftDims;
  return n < 0 || n > nd ? nd : n;
}

interface PivotShape {
  left: number[][];
  top: number[][];
  /** `${leftIndex}|${topIndex}` → group */
  cells: Map<string, number>;
}

/** Distinct left and top value combinations, in the cube's sort order. */
function shape(cube: CubeResult): PivotShape {
  const nLeft = leftDimensionCount(cube);
  const nd = cube.def.dimensions.length;
  const leftIndex = new Map<string, number>();
  const topIndex = new Map<string, number>();
  const left: number[][] = [];
  const top: number[][] = [];
  const cells = new Map<string, number>();
  for (const g of cube.order) {
    const values = cube.groupValues.map((v) => v[g] as number);
    const l = values.slice(0, nLeft);
    const t = values.slice(nLeft, nd);
    const lk = l.join(',');
    const tk = t.join(',');
    if (!leftIndex.has(lk)) leftIndex.set(lk, left.push(l) - 1);
    if (!topIndex.has(tk)) topIndex.set(tk, top.push(t) - 1);
    cells.set(`${leftIndex.get(lk) as number}|${topIndex.get(tk) as number}`, g);
  }
  if (cube.order.length === 0) {
    left.length = 0;
    top.length = 0;
  }
  return { left, top, cells };
}

export function pivotSize(cube: CubeResult): { qcx: number; qcy: number } {
  const { left, top } = shape(cube);
  return { qcx: Math.max(top.length, 1) * cube.def.measures.length, qcy: left.length };
}

function dimensionNode(field: Field, value: number, canCollapse: boolean): JsonObject {
  const v = field.values[value] as { text: string; num: number };
  return { qText: v.text, qElemNo: value, qValue: qNum(v.num), qCanExpand: false, qCanCollapse: canCollapse, qType: 'N', qUp: 0, qDown: 0, qSubNodes: [], ...EMPTY_ATTRS };
}

/** Nested nodes for consecutive combinations: rows sharing a prefix share the parent nodes. */
function tree(combos: number[][], fields: Field[], leaf?: (index: number) => JsonObject[]): JsonObject[] {
  const roots: JsonObject[] = [];
  const path: JsonObject[] = [];
  let previous: number[] | undefined;
  combos.forEach((combo, index) => {
    let depth = 0;
    while (previous && depth < combo.length && previous[depth] === combo[depth]) depth += 1;
    for (let d = depth; d < combo.length; d += 1) {
      const node = dimensionNode(fields[d] as Field, combo[d] as number, d < combo.length - 1);
      (d === 0 ? roots : (path[d - 1]?.qSubNodes as JsonObject[])).push(node);
      path[d] = node;
    }
    if (leaf) {
      const parent = combo.length ? (path[combo.length - 1]?.qSubNodes as JsonObject[]) : roots;
      parent.push(...leaf(index));
    }
    previous = combo;
  });
  return roots;
}

function measureLabel(cube: CubeResult, m: number): JsonObject {
  const measure = cube.def.measures[m] as CubeResult['def']['measures'][number];
  return { qText: measure.label || measure.expression, qElemNo: m, qValue: 'NaN', qCanExpand: false, qCanCollapse: false, qType: 'P', qUp: 0, qDown: 0, qSubNodes: [], ...EMPTY_ATTRS };
}

export function pivotPages(cube: CubeResult, pages: readonly Page[]): JsonObject[] {
  const { left, top, cells } = shape(cube);
  const nLeft = leftDimensionCount(cube);
  const fields = cube.fields as Field[];
  const nm = cube.def.measures.length;
  const topCount = Math.max(top.length, 1);
  return pages.map((requested) => {
    const area = clipPage(requested, topCount * nm, left.length);
    const rows = left.slice(area.qTop, area.qTop + area.qHeight);
    const columns = Array.from({ length: area.qWidth }, (_, i) => area.qLeft + i);
    // Top tree: top-dimension combinations covering the page's columns, each ending in measure labels.
    const topGroups: Array<{ t: number; columns: number[] }> = [];
    for (const c of columns) {
      const t = Math.floor(c / nm);
      const last = topGroups[topGroups.length - 1];
      if (last && last.t === t) last.columns.push(c);
      else topGroups.push({ t, columns: [c] });
    }
    const topCombos = topGroups.map((group) => top[group.t] ?? []);
    const qTop = tree(topCombos, fields.slice(nLeft), (i) => (topGroups[i] as { columns: number[] }).columns.map((c) => measureLabel(cube, c % nm)));
    const qLeft = tree(rows, fields.slice(0, nLeft));
    const qData = rows.map((_, r) =>
      columns.map((c) => {
        const g = cells.get(`${area.qTop + r}|${Math.floor(c / nm)}`);
        const m = c % nm;
        if (g === undefined) return { qText: '-', qNum: 'NaN', qType: 'E', ...EMPTY_ATTRS };
        const value = (cube.measureValues[m] as Float64Array)[g] as number;
        return { qText: formatNumber(value, cube.def.measures[m]?.numFormat), qNum: qNum(value), qType: 'V', ...EMPTY_ATTRS };
      }),
    );
    return { qLeft, qTop, qData, qArea: area };
  });
}

/** Stacked pages: root → first-dimension nodes (the page's rows) → … → one value node per measure. */
export function stackPages(cube: CubeResult, pages: readonly Page[], maxCells: number): JsonObject[] {
  const fields = cube.fields as Field[];
  const nd = fields.length;
  const combos: number[][] = [];
  const groups: number[] = [];
  const firstValues: number[] = [];
  for (const g of cube.order) {
    combos.push(cube.groupValues.map((v) => v[g] as number));
    groups.push(g);
    const first = nd ? ((cube.groupValues[0] as Int32Array)[g] as number) : 0;
    if (!firstValues.includes(first)) firstValues.push(first);
  }
  return pages.map((requested) => {
    const area = clipPage(requested, Math.max(1, nd), firstValues.length);
    const wanted = new Set(firstValues.slice(area.qTop, area.qTop + area.qHeight));
    const picked = combos.map((c, i) => ({ c, g: groups[i] as number })).filter(({ c }) => nd === 0 || wanted.has(c[0] as number)).slice(0, Math.max(0, maxCells));
    const leaves = (index: number): JsonObject[] => {
      const g = (picked[index] as { g: number }).g;
      return cube.def.measures.map((m, i) => {
        const value = (cube.measureValues[i] as Float64Array)[g] as number;
        return { qText: formatNumber(value, m.numFormat), qElemNo: i, qValue: qNum(value), qCanExpand: false, qCanCollapse: false, qType: 'V', qMaxPos: Math.max(0, value) || 0, qMinNeg: Math.min(0, value) || 0, qUp: 0, qDown: 0, qRow: g, qSubNodes: [], qSubTotalList: [], ...EMPTY_ATTRS };
      });
    };
    const nodes = tree(
      picked.map((p) => p.c),
      fields,
      leaves,
    );
    // Stack extents: the sum of the positive and of the negative values under each node.
    const extents = (node: JsonObject): [number, number] => {
      const subs = node.qSubNodes as JsonObject[];
      if (node.qType === 'V') return [node.qMaxPos as number, node.qMinNeg as number];
      let pos = 0;
      let neg = 0;
      for (const s of subs) {
        const [p, n] = extents(s);
        pos += p;
        neg += n;
      }
      Object.assign(node, { qMaxPos: pos, qMinNeg: neg, qRow: 0, qSubTotalList: [] });
      return [pos, neg];
    };
    const root: JsonObject = { qText: '', qElemNo: -1, qValue: 'NaN', qCanExpand: false, qCanCollapse: false, qType: 'R', qUp: 0, qDown: 0, qSubNodes: nodes, ...EMPTY_ATTRS };
    extents(root);
    return { qData: [root], qArea: area, qMaxDepth: nd + 1 };
  });
}
