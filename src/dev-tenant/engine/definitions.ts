/**
 * Reads the `…Def` parts of generic object properties (hypercube, list object) into typed,
 * defaulted shapes. Properties come from clients, so nothing here trusts their types.
 */
import type { NumFormat } from './data-model.ts';
import { isRecord, type JsonObject } from './json.ts';
import { ErrorCode, QixError } from './rpc.ts';

export interface SortCriteria {
  state: number;
  frequency: number;
  numeric: number;
  ascii: number;
  loadOrder: number;
}

export interface Page {
  qLeft: number;
  qTop: number;
  qWidth: number;
  qHeight: number;
}

export interface DimensionDef {
  field: string;
  label: string;
  sort: SortCriteria;
  reverse: boolean;
  /** A `qLibraryId` left unresolved (no such master item). */
  libraryId: string;
  /** The master item this came from, once resolved (echoed as `qLibraryId` in the layout). */
  resolvedLibraryId: string;
  /** Non-`q` properties of `qDef` (`cId`, `othersLabel`, …), echoed into the layout. */
  custom: JsonObject;
}

export interface MeasureDef {
  expression: string;
  label: string;
  numFormat: NumFormat | undefined;
  sortNumeric: number;
  reverse: boolean;
  libraryId: string;
  resolvedLibraryId: string;
  custom: JsonObject;
}

export interface HyperCubeDef {
  dimensions: DimensionDef[];
  measures: MeasureDef[];
  sortOrder: number[];
  suppressZero: boolean;
  initialFetch: Page[];
  /** `S` straight, `P` pivot, `K` stacked (qMode). */
  mode: 'S' | 'P' | 'K';
  /** Pivot: how many dimensions go on the left (the rest on top); -1 means all but the last. */
  noOfLeftDims: number;
  stateName: string;
}

export interface ListObjectDef {
  field: string;
  label: string;
  sort: SortCriteria;
  showAlternatives: boolean;
  initialFetch: Page[];
  stateName: string;
}

function num(obj: JsonObject, key: string, fallback: number): number {
  const v = obj[key];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return fallback;
}

function str(obj: JsonObject, key: string, fallback = ''): string {
  const v = obj[key];
  return typeof v === 'string' ? v : fallback;
}

function rec(obj: JsonObject, key: string): JsonObject {
  const v = obj[key];
  return isRecord(v) ? v : {};
}

function list(obj: JsonObject, key: string): unknown[] {
  const v = obj[key];
  return Array.isArray(v) ? v : [];
}

function custom(def: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(def).filter(([k]) => !k.startsWith('q')));
}

/** A field reference as written in `qFieldDefs`: `Region`, `[Region]` or `=[Region]`. */
export function fieldName(def: string): string {
  const trimmed = def.trim().replace(/^=\s*/, '');
  return /^\[.*\]$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}

export function readSortCriteria(value: unknown, fallback: SortCriteria): SortCriteria {
  if (!isRecord(value)) return fallback;
  return {
    state: num(value, 'qSortByState', 0),
    frequency: num(value, 'qSortByFrequency', 0),
    numeric: num(value, 'qSortByNumeric', 0),
    ascii: num(value, 'qSortByAscii', 0),
    loadOrder: num(value, 'qSortByLoadOrder', 0),
  };
}

const LOAD_ORDER: SortCriteria = { state: 0, frequency: 0, numeric: 0, ascii: 0, loadOrder: 1 };

export function readPages(value: unknown, parameter: string): Page[] {
  if (!Array.isArray(value)) return [];
  return value.map((p) => {
    if (!isRecord(p)) throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, 'Invalid method parameter(s): a page must be an object', parameter);
    const page = { qLeft: num(p, 'qLeft', 0), qTop: num(p, 'qTop', 0), qWidth: num(p, 'qWidth', 0), qHeight: num(p, 'qHeight', 0) };
    if (Object.values(page).some((n) => !Number.isInteger(n) || n < 0)) {
      throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, 'Invalid method parameter(s): page values must be non-negative integers', parameter);
    }
    return page;
  });
}

export function readNumFormat(value: unknown): NumFormat | undefined {
  if (!isRecord(value) || typeof value.qType !== 'string') return undefined;
  return {
    qType: value.qType,
    qnDec: num(value, 'qnDec', 2),
    qUseThou: num(value, 'qUseThou', 0),
    qFmt: str(value, 'qFmt'),
    qDec: str(value, 'qDec', '.'),
    qThou: str(value, 'qThou', ','),
  };
}

export function readHyperCubeDef(def: JsonObject): HyperCubeDef {
  const dimensions = list(def, 'qDimensions').map((d): DimensionDef => {
    const dim = isRecord(d) ? d : {};
    const qDef = rec(dim, 'qDef');
    const fields = list(qDef, 'qFieldDefs');
    const labels = list(qDef, 'qFieldLabels');
    const active = Math.max(0, Math.min(fields.length - 1, num(qDef, 'qActiveField', 0)));
    return {
      field: typeof fields[active] === 'string' ? fieldName(fields[active] as string) : '',
      label: typeof labels[active] === 'string' ? (labels[active] as string) : '',
      sort: readSortCriteria(list(qDef, 'qSortCriterias')[active], LOAD_ORDER),
      reverse: qDef.qReverseSort === true,
      libraryId: str(dim, 'qLibraryId'),
      resolvedLibraryId: str(dim, 'resolvedLibraryId'),
      custom: custom(qDef),
    };
  });
  const measures = list(def, 'qMeasures').map((m): MeasureDef => {
    const measure = isRecord(m) ? m : {};
    const qDef = rec(measure, 'qDef');
    return {
      expression: str(qDef, 'qDef'),
      label: str(qDef, 'qLabel'),
      numFormat: readNumFormat(qDef.qNumFormat),
      sortNumeric: num(rec(measure, 'qSortBy'), 'qSortByNumeric', 0),
      reverse: qDef.qReverseSort === true,
      libraryId: str(measure, 'qLibraryId'),
      resolvedLibraryId: str(measure, 'resolvedLibraryId'),
      custom: custom(qDef),
    };
  });
  const width = dimensions.length + measures.length;
  const seen = new Set<number>();
  const sortOrder = list(def, 'qInterColumnSortOrder').filter(
    (c): c is number => typeof c === 'number' && Number.isInteger(c) && c >= 0 && c < width && !seen.has(c) && Boolean(seen.add(c)),
  );
  for (let c = 0; c < width; c += 1) if (!seen.has(c)) sortOrder.push(c);
  return {
    dimensions,
    measures,
    sortOrder,
    suppressZero: def.qSuppressZero === true,
    initialFetch: readPages(def.qInitialDataFetch, 'qInitialDataFetch'),
    mode: def.qMode === 'P' || def.qMode === 'K' ? def.qMode : 'S',
    noOfLeftDims: num(def, 'qNoOfLeftDims', -1),
    stateName: str(def, 'qStateName'),
  };
}

export function readListObjectDef(def: JsonObject): ListObjectDef {
  const qDef = rec(def, 'qDef');
  const fields = list(qDef, 'qFieldDefs');
  const labels = list(qDef, 'qFieldLabels');
  return {
    field: typeof fields[0] === 'string' ? fieldName(fields[0]) : '',
    label: typeof labels[0] === 'string' ? labels[0] : '',
    sort: readSortCriteria(list(qDef, 'qSortCriterias')[0], { ...LOAD_ORDER, state: 1 }),
    showAlternatives: def.qShowAlternatives === true,
    initialFetch: readPages(def.qInitialDataFetch, 'qInitialDataFetch'),
    stateName: str(def, 'qStateName'),
  };
}
