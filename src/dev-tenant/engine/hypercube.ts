/**
 * Straight hypercubes: group the selected rows by the dimensions, evaluate the measures per
 * group, sort by `qInterColumnSortOrder`, and cut data pages out of the result.
 */
import type { DataModel, Field, NumFormat } from './data-model.ts';
import type { HyperCubeDef, Page } from './definitions.ts';
import { AGGREGATIONS } from './functions.ts';
import { type AggregationScope, ExpressionError, type SetExpr, checkFields, evaluate, parseCached } from './expression.ts';
import type { JsonObject } from './json.ts';
import { AUTO_FORMAT, formatNumber } from './number-format.ts';
import { checkPageSize, clipPage, MAX_REQUEST_CELLS, qNum } from './pages.ts';
import { leftDimensionCount, pivotPages, pivotSize, stackPages } from './pivot.ts';
import { ErrorCode, QixError } from './rpc.ts';
import type { SelectionState } from './selection.ts';
import { primaryDirection, sortIndicator, valueRanks } from './sorting.ts';

export interface CubeResult {
  def: HyperCubeDef;
  state: SelectionState;
  /** Dimension fields; entries are undefined for invalid dimensions. */
  fields: Array<Field | undefined>;
  dimensionErrors: Array<string | undefined>;
  measureErrors: Array<string | undefined>;
  /** Groups in display order. */
  order: Int32Array;
  /** Per dimension: group → value index. */
  groupValues: Int32Array[];
  /** Per measure: group → value. */
  measureValues: Float64Array[];
  totals: number[];
}

/** Groups rows by the dimension values; `lookup` finds the group of any row (-1: none). */
function groupRows(fields: Field[], state: SelectionState): { rowGroup: Int32Array | null; groupValues: Int32Array[]; groupCount: number; lookup: (row: number) => number } {
  if (fields.length === 0) return { rowGroup: null, groupValues: [], groupCount: 1, lookup: () => 0 };
  const rows = state.includedRows;
  const n = state.includedRowCount;
  const rowGroup = new Int32Array(n);
  const codes = fields.map((f) => f.codes);
  const cards = fields.map((f) => f.cardinal);
  const values: number[][] = fields.map(() => []);
  let groupCount = 0;
  const product = cards.reduce((a, b) => a * b, 1);
  const first = codes[0] as Int32Array;
  const second = codes[1];
  const secondCard = second ? (cards[1] as number) : 1;
  const keyOf: (r: number) => number | string =
    codes.length <= 2
      ? (r) => (first[r] as number) * secondCard + (second ? (second[r] as number) : 0)
      : product <= Number.MAX_SAFE_INTEGER
        ? (r) => {
            let key = 0;
            for (let d = 0; d < codes.length; d += 1) key = key * (cards[d] as number) + ((codes[d] as Int32Array)[r] as number);
            return key;
          }
        : (r) => codes.map((c) => c[r]).join(',');
  const dense = product <= 1 << 22;
  const slot = dense ? new Int32Array(product).fill(-1) : undefined;
  const slots = dense ? undefined : new Map<number | string, number>();
  if (slot && codes.length <= 2) {
    // One or two dimensions (most charts): the key is computed inline, without a call per row.
    for (let i = 0; i < n; i += 1) {
      const r = rows ? (rows[i] as number) : i;
      const a = first[r] as number;
      const b = second ? (second[r] as number) : 0;
      const key = a * secondCard + b;
      let g = slot[key] as number;
      if (g < 0) {
        g = groupCount++;
        slot[key] = g;
        (values[0] as number[]).push(a);
        if (second) (values[1] as number[]).push(b);
      }
      rowGroup[i] = g;
    }
  } else {
    for (let i = 0; i < n; i += 1) {
      const r = rows ? (rows[i] as number) : i;
      const key = keyOf(r);
      let g = slot ? (slot[key as number] as number) : (slots?.get(key) ?? -1);
      if (g < 0) {
        g = groupCount++;
        if (slot) slot[key as number] = g;
        else slots?.set(key, g);
        for (let d = 0; d < codes.length; d += 1) (values[d] as number[]).push((codes[d] as Int32Array)[r] as number);
      }
      rowGroup[i] = g;
    }
  }
  const lookup = (r: number): number => (slot ? (slot[keyOf(r) as number] as number) : (slots?.get(keyOf(r)) ?? -1));
  return { rowGroup, groupValues: values.map((v) => Int32Array.from(v)), groupCount, lookup };
}

/** What a hypercube is computed against: its state, and set analysis and `$(…)` for its expressions. */
export interface CubeEnv {
  state: SelectionState;
  /** The state a set expression stands for (null: no rows). */
  setState(set: SetExpr): SelectionState | null;
  expand(text: string): string;
}

export function computeHyperCube(model: DataModel, def: HyperCubeDef, env: CubeEnv): CubeResult {
  const { state } = env;
  const dimensionErrors = def.dimensions.map((d) => {
    if (d.libraryId) return `Library dimension not found: ${d.libraryId}`;
    if (!d.field) return 'Dimension has no field';
    if (d.field.startsWith('=')) return 'Calculated dimensions are not supported';
    return model.field(d.field) ? undefined : `Field not found: ${d.field}`;
  });
  const fields = def.dimensions.map((d, i) => (dimensionErrors[i] ? undefined : model.field(d.field)));
  const validFields = fields.filter((f): f is Field => f !== undefined);
  const empty = (): CubeResult => ({
    def,
    state,
    fields,
    dimensionErrors,
    measureErrors: def.measures.map(() => undefined),
    order: new Int32Array(0),
    groupValues: validFields.map(() => new Int32Array(0)),
    measureValues: def.measures.map(() => new Float64Array(0)),
    totals: def.measures.map(() => Number.NaN),
  });
  if (validFields.length !== fields.length) return empty();

  const { rowGroup, groupValues, groupCount, lookup } = groupRows(validFields, state);
  const scope: AggregationScope = { rows: state.includedRows, rowCount: state.includedRowCount, rowGroup, groupCount };
  const totalScope: AggregationScope = { ...scope, rowGroup: null, groupCount: 1 };
  const setScopes = new Map<string, { rows: Uint32Array; grouped: AggregationScope }>();
  /** Rows of a set, each mapped to the chart's group it falls in; rows outside every group are dropped. */
  const setRows = (set: SetExpr): { rows: Uint32Array; grouped: AggregationScope } => {
    const key = JSON.stringify(set);
    let cached = setScopes.get(key);
    if (!cached) {
      const setState = env.setState(set);
      const all = setState ? setState.includedRows : new Uint32Array(0);
      const rows = all ?? Uint32Array.from({ length: model.rowCount }, (_, r) => r);
      const kept: number[] = [];
      const groups: number[] = [];
      for (const r of rows) {
        const g = lookup(r);
        if (g >= 0) {
          kept.push(r);
          groups.push(g);
        }
      }
      cached = { rows, grouped: { rows: Uint32Array.from(kept), rowCount: kept.length, rowGroup: rowGroup ? Int32Array.from(groups) : null, groupCount } };
      setScopes.set(key, cached);
    }
    return cached;
  };
  const measureErrors: Array<string | undefined> = [];
  const measureValues: Float64Array[] = [];
  const totals: number[] = [];
  for (const m of def.measures) {
    try {
      if (m.libraryId) throw new ExpressionError(`Library measure not found: ${m.libraryId}`);
      const expr = parseCached(env.expand(m.expression));
      checkFields(expr, model);
      const values = evaluate(expr, model, scope, (set) => setRows(set).grouped);
      measureValues.push(values);
      const folded = expr.kind === 'aggregate' && !expr.distinct && !expr.set ? AGGREGATIONS[expr.fn.toLowerCase()]?.total : undefined;
      totals.push(
        folded && rowGroup
          ? folded(values)
          : (evaluate(expr, model, totalScope, (set) => {
              const { rows } = setRows(set);
              return { rows, rowCount: rows.length, rowGroup: null, groupCount: 1 };
            })[0] as number),
      );
      measureErrors.push(undefined);
    } catch (err) {
      if (!(err instanceof ExpressionError)) throw err;
      measureValues.push(new Float64Array(groupCount).fill(Number.NaN));
      totals.push(Number.NaN);
      measureErrors.push(err.message);
    }
  }

  let kept: number[] = Array.from({ length: groupCount }, (_, g) => g);
  if (def.suppressZero && measureValues.length > 0) {
    kept = kept.filter((g) => measureValues.some((values) => {
      const v = values[g] as number;
      return v !== 0 && !Number.isNaN(v);
    }));
  }

  const comparators: Array<(a: number, b: number) => number> = [];
  for (const column of def.sortOrder) {
    if (column < def.dimensions.length) {
      const dim = def.dimensions[column] as HyperCubeDef['dimensions'][number];
      const field = fields[column] as Field;
      const values = groupValues[column] as Int32Array;
      const ranks = valueRanks(field, dim.sort);
      const direction = dim.reverse ? -1 : 1;
      const selected = state.selected(field);
      const byState = Math.sign(dim.sort.state);
      comparators.push((a, b) => {
        const va = values[a] as number;
        const vb = values[b] as number;
        if (byState && selected) {
          const d = ((selected.has(va) ? 0 : 1) - (selected.has(vb) ? 0 : 1)) * byState;
          if (d) return d;
        }
        return ((ranks[va] as number) - (ranks[vb] as number)) * direction;
      });
    } else {
      const m = def.measures[column - def.dimensions.length] as HyperCubeDef['measures'][number];
      const direction = Math.sign(m.sortNumeric) * (m.reverse ? -1 : 1);
      if (!direction) continue;
      const values = measureValues[column - def.dimensions.length] as Float64Array;
      comparators.push((a, b) => {
        const x = values[a] as number;
        const y = values[b] as number;
        const xn = Number.isNaN(x);
        const yn = Number.isNaN(y);
        if (xn || yn) return xn === yn ? 0 : xn ? 1 : -1;
        return (x - y) * direction;
      });
    }
  }
  kept.sort((a, b) => {
    for (const compare of comparators) {
      const d = compare(a, b);
      if (d) return d;
    }
    return a - b;
  });

  return { def, state, fields, dimensionErrors, measureErrors, order: Int32Array.from(kept), groupValues, measureValues, totals };
}

function dimensionCell(field: Field, value: number, selected: ReadonlySet<number> | undefined): JsonObject {
  const v = field.values[value] as { text: string; num: number };
  return { qText: v.text, qNum: qNum(v.num), qElemNumber: value, qState: selected?.has(value) ? 'S' : 'O' };
}

function measureCell(value: number, format: NumFormat | undefined): JsonObject {
  return { qText: formatNumber(value, format), qNum: qNum(value), qElemNumber: 0, qState: 'L' };
}

export function hyperCubePages(cube: CubeResult, pages: readonly Page[]): JsonObject[] {
  checkPageSize(pages);
  const nd = cube.def.dimensions.length;
  const width = nd + cube.def.measures.length;
  const formats = cube.def.measures.map((m) => m.numFormat);
  const selected = cube.fields.map((f) => (f ? cube.state.selected(f) : undefined));
  return pages.map((requested) => {
    const area = clipPage(requested, width, cube.order.length);
    const qMatrix: JsonObject[][] = [];
    for (let y = area.qTop; y < area.qTop + area.qHeight; y += 1) {
      const g = cube.order[y] as number;
      const row: JsonObject[] = [];
      for (let x = area.qLeft; x < area.qLeft + area.qWidth; x += 1) {
        if (x < nd) row.push(dimensionCell(cube.fields[x] as Field, (cube.groupValues[x] as Int32Array)[g] as number, selected[x]));
        else row.push(measureCell((cube.measureValues[x - nd] as Float64Array)[g] as number, formats[x - nd]));
      }
      qMatrix.push(row);
    }
    return { qMatrix, qTailSize: { qcx: 0, qcy: 0 }, qArea: area, qIsReduced: false };
  });
}

function fieldNumFormat(field: Field): NumFormat {
  return field.spec.numFormat ?? { ...AUTO_FORMAT, qnDec: 0 };
}

export function dimensionType(field: Field): 'N' | 'D' | 'T' {
  if (field.tags.includes('$timestamp') || field.tags.includes('$date')) return 'T';
  return field.isNumeric && !field.tags.includes('$text') ? 'N' : 'D';
}

export function hyperCubeLayout(cube: CubeResult): JsonObject {
  const { def, state } = cube;
  const nd = def.dimensions.length;
  const qDimensionInfo = def.dimensions.map((dim, d) => {
    const field = cube.fields[d];
    const title = dim.label || dim.field;
    if (!field) {
      return { qFallbackTitle: title, qApprMaxGlyphCount: 0, qCardinal: 0, qSortIndicator: 'N', qGroupFallbackTitles: [title], qGroupPos: 0, qGroupFieldDefs: [dim.field], qError: { qErrorCode: ErrorCode.CALC_INVALID_DEF, qContext: cube.dimensionErrors[d] ?? '' }, ...dim.custom };
    }
    const values = cube.groupValues[d] as Int32Array;
    let glyphs = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    const seen = new Set<number>();
    for (const g of cube.order) {
      const v = values[g] as number;
      if (seen.has(v)) continue;
      seen.add(v);
      const value = field.values[v] as { text: string; num: number };
      glyphs = Math.max(glyphs, value.text.length);
      if (!Number.isNaN(value.num)) {
        min = Math.min(min, value.num);
        max = Math.max(max, value.num);
      }
    }
    const format = fieldNumFormat(field);
    return {
      qFallbackTitle: title,
      qApprMaxGlyphCount: glyphs,
      qCardinal: field.cardinal,
      qLocked: false,
      qSortIndicator: sortIndicator(primaryDirection(dim.sort), dim.reverse),
      qGroupFallbackTitles: [title],
      qGroupPos: 0,
      qStateCounts: state.stateCounts(field, false),
      qTags: [...field.tags],
      qDimensionType: dimensionType(field),
      qGrouping: 'N',
      qNumFormat: format,
      qIsAutoFormat: format.qType === 'U',
      qGroupFieldDefs: [dim.field],
      qMin: qNum(seen.size && min !== Number.POSITIVE_INFINITY ? min : Number.NaN),
      qMax: qNum(seen.size && max !== Number.NEGATIVE_INFINITY ? max : Number.NaN),
      qContinuousAxes: false,
      qIsCyclic: false,
      qDerivedField: false,
      qAttrExprInfo: [],
      qAttrDimInfo: [],
      qCardinalities: { qCardinal: field.cardinal, qHypercubeCardinal: seen.size, qAllValuesCardinal: -1 },
      ...(dim.resolvedLibraryId ? { qLibraryId: dim.resolvedLibraryId } : {}),
      ...dim.custom,
    };
  });
  const qMeasureInfo = def.measures.map((m, i) => {
    const values = cube.measureValues[i] as Float64Array;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const g of cube.order) {
      const v = values[g] as number;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const format = m.numFormat ?? AUTO_FORMAT;
    const hasValues = min !== Number.POSITIVE_INFINITY;
    const error = cube.measureErrors[i];
    return {
      qFallbackTitle: m.label || m.expression,
      qApprMaxGlyphCount: hasValues ? Math.max(formatNumber(min, m.numFormat).length, formatNumber(max, m.numFormat).length) : 1,
      qCardinal: 0,
      qSortIndicator: sortIndicator(m.sortNumeric, m.reverse),
      qNumFormat: format,
      qMin: qNum(hasValues ? min : Number.NaN),
      qMax: qNum(hasValues ? max : Number.NaN),
      qIsAutoFormat: format.qType === 'U',
      qAttrExprInfo: [],
      qAttrDimInfo: [],
      qTrendLines: [],
      ...(m.resolvedLibraryId ? { qLibraryId: m.resolvedLibraryId } : {}),
      ...(error ? { qError: { qErrorCode: ErrorCode.CALC_INVALID_DEF, qContext: error } } : {}),
      ...m.custom,
    };
  });
  const invalid = cube.dimensionErrors.find(Boolean);
  let qDataPages: JsonObject[] = [];
  let qPivotDataPages: JsonObject[] = [];
  let qStackedDataPages: JsonObject[] = [];
  let pageError: QixError | undefined;
  if (!invalid) {
    try {
      checkPageSize(def.initialFetch);
      if (def.mode === 'P') qPivotDataPages = pivotPages(cube, def.initialFetch);
      else if (def.mode === 'K') qStackedDataPages = stackPages(cube, def.initialFetch, MAX_REQUEST_CELLS);
      else qDataPages = hyperCubePages(cube, def.initialFetch);
    } catch (err) {
      if (!(err instanceof QixError)) throw err;
      pageError = err;
    }
  }
  return {
    qSize: def.mode === 'P' ? pivotSize(cube) : { qcx: nd + def.measures.length, qcy: cube.order.length },
    qDimensionInfo,
    qMeasureInfo,
    qEffectiveInterColumnSortOrder: def.sortOrder,
    qGrandTotalRow: def.measures.map((m, i) => ({ qText: formatNumber(cube.totals[i] as number, m.numFormat), qNum: qNum(cube.totals[i] as number), qElemNumber: -1, qState: 'L' })),
    qDataPages,
    qPivotDataPages,
    qStackedDataPages,
    qMode: def.mode,
    qNoOfLeftDims: def.mode === 'P' ? leftDimensionCount(cube) : def.noOfLeftDims,
    qTreeNodesOnDim: [],
    qColumnOrder: [],
    qHasOtherValues: false,
    qTitle: '',
    qCalcCondMsg: '',
    qIndentMode: false,
    qLastExpandedPos: { qx: 0, qy: 0 },
    ...(invalid ? { qError: { qErrorCode: ErrorCode.CALC_INVALID_DEF, qContext: invalid } } : {}),
    ...(pageError ? { qError: { qErrorCode: pageError.code, qContext: pageError.message } } : {}),
  };
}
