/** GenericObject methods on data: pages (straight, reduced, pivot, stacked), selections in cubes and lists, export. */
import { binnedPages } from './binned-data.ts';
import type { Field } from './data-model.ts';
import { readPages } from './definitions.ts';
import { exportCube } from './export.ts';
import { type CubeResult, hyperCubePages } from './hypercube.ts';
import { checkPageSize, MAX_REQUEST_CELLS } from './pages.ts';
import { isRecord } from './json.ts';
import { type ListResult, listObjectPages } from './list-object.ts';
import { type CallContext, defAt, integers, type MethodTable, objectOf } from './method-kit.ts';
import { pivotPages, stackPages } from './pivot.ts';
import { ErrorCode, type Params, QixError } from './rpc.ts';
import type { SelectMode } from './selection-control.ts';
import { checkMatchLength } from './text-match.ts';

function cubeAt(ctx: CallContext, path: string): { cube: CubeResult; stateName: string } {
  const { id, effective } = objectOf(ctx);
  const def = defAt(effective, path, 'qHyperCubeDef');
  return { cube: ctx.session.cube(id, path, def), stateName: ctx.session.stateNameFor(id, def) };
}

function listAt(ctx: CallContext, path: string): { id: string; list: ListResult; field: Field; stateName: string } {
  const { id, effective } = objectOf(ctx);
  const def = defAt(effective, path, 'qListObjectDef');
  const list = ctx.session.list(id, path, def);
  if (!list.field) throw new QixError(ErrorCode.GENERIC_NOT_FOUND, 'The list object has no valid field', 'qPath');
  return { id, list, field: list.field, stateName: ctx.session.stateNameFor(id, def) };
}

function pages(p: Params): ReturnType<typeof readPages> {
  const read = readPages(p.array('qPages'), 'qPages');
  checkPageSize(read);
  return read;
}

function select(ctx: CallContext, field: Field | undefined, values: Iterable<number>, mode: SelectMode, stateName: string): boolean {
  return field !== undefined && ctx.session.selections.selectValues(field, values, mode, ctx.handle, stateName);
}

interface Range {
  min: number;
  max: number;
  minIncl: boolean;
  maxIncl: boolean;
}

function readRange(value: unknown, parameter: string): Range {
  if (!isRecord(value)) throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, `Invalid method parameter(s): ${parameter} must hold ranges`, parameter);
  const n = (v: unknown, fallback: number): number => (typeof v === 'number' && !Number.isNaN(v) ? v : fallback);
  return { min: n(value.qMin, Number.NEGATIVE_INFINITY), max: n(value.qMax, Number.POSITIVE_INFINITY), minIncl: value.qMinInclEq !== false, maxIncl: value.qMaxInclEq !== false };
}

function inRange(x: number, r: Range): boolean {
  return !Number.isNaN(x) && (r.minIncl ? x >= r.min : x > r.min) && (r.maxIncl ? x <= r.max : x < r.max);
}

/** Selects, in each chosen dimension, the values of the cube rows whose measures fall in the ranges. */
function rangeSelect(ctx: CallContext, path: string, ranges: unknown[], columns: number[] | undefined, orMode: boolean): boolean {
  const { cube, stateName } = cubeAt(ctx, path);
  const checks = ranges.map((r) => {
    const info = isRecord(r) ? r : {};
    const ix = typeof info.qMeasureIx === 'number' ? info.qMeasureIx : 0;
    return { values: cube.measureValues[ix], range: readRange(info.qRange, 'qRanges') };
  });
  const rows = [...cube.order].filter((g) => {
    const results = checks.map((c) => c.values !== undefined && inRange(c.values[g] as number, c.range));
    return orMode ? results.some(Boolean) : results.every(Boolean);
  });
  const dims = columns ?? cube.fields.map((_, i) => i);
  let ok = true;
  for (const d of dims) ok = select(ctx, cube.fields[d], rows.map((g) => (cube.groupValues[d] as Int32Array)[g] as number), 'replace', stateName) && ok;
  return ok;
}

function listSelect(ctx: CallContext, p: Params, keep: (state: string) => boolean): { qSuccess: boolean } {
  const { list, field, stateName } = listAt(ctx, p.string('qPath'));
  p.boolean('qSoftLock', false);
  return { qSuccess: select(ctx, field, list.order.filter((v) => keep(list.states.get(v) ?? 'X')), 'replace', stateName) };
}

/** Locks or unlocks the fields of a list object, or of a hypercube's dimensions (all or qColIndices). */
function lockAt(ctx: CallContext, p: Params, lock: boolean): Record<string, never> {
  const path = p.string('qPath');
  const columns = integers(p.array('qColIndices', []), 'qColIndices');
  if (path.endsWith('/qListObjectDef')) {
    const { field, stateName } = listAt(ctx, path);
    ctx.session.selections.lock(stateName, [field], lock);
  } else {
    const { cube, stateName } = cubeAt(ctx, path);
    ctx.session.selections.lock(stateName, cube.fields.filter((f, i): f is Field => f !== undefined && (columns.length === 0 || columns.includes(i))), lock);
  }
  return {};
}

export const objectDataMethods: MethodTable = {
  GetHyperCubeData: { params: ['qPath', 'qPages'], run: (ctx, p) => ({ qDataPages: hyperCubePages(cubeAt(ctx, p.string('qPath')).cube, pages(p)) }) },
  // Data is never reduced here: every page is answered in full (qIsReduced false), within the cell cap.
  GetHyperCubeReducedData: {
    params: ['qPath', 'qPages', 'qZoomFactor', 'qReductionMode'],
    run(ctx, p) {
      const { cube } = cubeAt(ctx, p.string('qPath'));
      const read = pages(p);
      p.integer('qZoomFactor', -1);
      p.string('qReductionMode', 'N');
      return { qDataPages: hyperCubePages(cube, read) };
    },
  },
  GetHyperCubePivotData: { params: ['qPath', 'qPages'], run: (ctx, p) => ({ qDataPages: pivotPages(cubeAt(ctx, p.string('qPath')).cube, pages(p)) }) },
  GetHyperCubeBinnedData: {
    params: ['qPath', 'qPages', 'qViewport', 'qDataRanges', 'qMaxNbrCells', 'qQueryLevel', 'qBinningMethod'],
    run(ctx, p) {
      const { cube } = cubeAt(ctx, p.string('qPath'));
      const read = pages(p);
      const first = p.array('qDataRanges')[0];
      const n = (r: Record<string, unknown>, key: string): number => (typeof r[key] === 'number' && Number.isFinite(r[key]) ? r[key] : 0);
      const range = isRecord(first) ? { qLeft: n(first, 'qLeft'), qTop: n(first, 'qTop'), qWidth: n(first, 'qWidth'), qHeight: n(first, 'qHeight') } : { qLeft: 0, qTop: 0, qWidth: 0, qHeight: 0 };
      p.integer('qBinningMethod', 0);
      return { qDataPages: binnedPages(cube, read, range, p.integer('qMaxNbrCells', MAX_REQUEST_CELLS), p.integer('qQueryLevel', 5)) };
    },
  },
  GetHyperCubeStackData: {
    params: ['qPath', 'qPages', 'qMaxNbrCells'],
    run(ctx, p) {
      const { cube } = cubeAt(ctx, p.string('qPath'));
      const read = pages(p);
      return { qDataPages: stackPages(cube, read, Math.min(p.integer('qMaxNbrCells', MAX_REQUEST_CELLS), MAX_REQUEST_CELLS)) };
    },
  },
  GetListObjectData: { params: ['qPath', 'qPages'], run: (ctx, p) => ({ qDataPages: listObjectPages(listAt(ctx, p.string('qPath')).list, pages(p)) }) },
  SelectHyperCubeValues: {
    params: ['qPath', 'qDimNo', 'qValues', 'qToggleMode'],
    run(ctx, p) {
      const { cube, stateName } = cubeAt(ctx, p.string('qPath'));
      const dimNo = p.integer('qDimNo');
      const values = integers(p.array('qValues'), 'qValues');
      const toggle = p.boolean('qToggleMode', false);
      return { qSuccess: select(ctx, cube.fields[dimNo], values.filter((v) => v >= 0), toggle ? 'toggle' : 'replace', stateName) };
    },
  },
  SelectHyperCubeCells: {
    params: ['qPath', 'qRowIndices', 'qColIndices', 'qSoftLock', 'qDeselectOnlyOneSelected'],
    run(ctx, p) {
      const { cube, stateName } = cubeAt(ctx, p.string('qPath'));
      const rows = integers(p.array('qRowIndices'), 'qRowIndices').map((r) => cube.order[r]).filter((g): g is number => g !== undefined);
      let ok = true;
      for (const col of integers(p.array('qColIndices'), 'qColIndices')) {
        ok = select(ctx, cube.fields[col], rows.map((g) => (cube.groupValues[col] as Int32Array)[g] as number), 'replace', stateName) && ok;
      }
      return { qSuccess: ok };
    },
  },
  RangeSelectHyperCubeValues: {
    params: ['qPath', 'qRanges', 'qColumnsToSelect', 'qOrMode', 'qDeselectOnlyOneSelected'],
    run(ctx, p) {
      const columns = p.array('qColumnsToSelect', []);
      return { qSuccess: rangeSelect(ctx, p.string('qPath'), p.array('qRanges'), columns.length ? integers(columns, 'qColumnsToSelect') : undefined, p.boolean('qOrMode', false)) };
    },
  },
  MultiRangeSelectHyperCubeValues: {
    params: ['qPath', 'qRanges', 'qOrMode', 'qDeselectOnlyOneSelected'],
    run(ctx, p) {
      let ok = true;
      for (const multi of p.array('qRanges')) {
        const info = isRecord(multi) ? multi : {};
        const columns = Array.isArray(info.qColumnsToSelect) && info.qColumnsToSelect.length ? integers(info.qColumnsToSelect, 'qColumnsToSelect') : undefined;
        ok = rangeSelect(ctx, p.string('qPath'), Array.isArray(info.qRanges) ? info.qRanges : [], columns, p.boolean('qOrMode', false)) && ok;
      }
      return { qSuccess: ok };
    },
  },
  SelectHyperCubeContinuousRange: {
    params: ['qPath', 'qRanges', 'qSoftLock'],
    run(ctx, p) {
      const { cube, stateName } = cubeAt(ctx, p.string('qPath'));
      let ok = true;
      for (const r of p.array('qRanges')) {
        const info = isRecord(r) ? r : {};
        const field = cube.fields[typeof info.qDimIx === 'number' ? info.qDimIx : 0];
        const range = readRange(info.qRange, 'qRanges');
        ok = select(ctx, field, field ? field.values.flatMap((v, i) => (inRange(v.num, range) ? [i] : [])) : [], 'replace', stateName) && ok;
      }
      return { qSuccess: ok };
    },
  },
  SelectListObjectValues: {
    params: ['qPath', 'qValues', 'qToggleMode', 'qSoftLock'],
    run(ctx, p) {
      const { field, stateName } = listAt(ctx, p.string('qPath'));
      const values = integers(p.array('qValues'), 'qValues');
      const toggle = p.boolean('qToggleMode', false);
      p.boolean('qSoftLock', false);
      return { qSuccess: select(ctx, field, values, toggle ? 'toggle' : 'replace', stateName) };
    },
  },
  SelectListObjectPossible: { params: ['qPath', 'qSoftLock'], run: (ctx, p) => listSelect(ctx, p, (s) => s === 'O' || s === 'S' || s === 'L') },
  SelectListObjectAlternative: { params: ['qPath', 'qSoftLock'], run: (ctx, p) => listSelect(ctx, p, (s) => s === 'A') },
  SelectListObjectExcluded: { params: ['qPath', 'qSoftLock'], run: (ctx, p) => listSelect(ctx, p, (s) => s === 'X' || s === 'A') },
  SelectListObjectAll: { params: ['qPath', 'qSoftLock'], run: (ctx, p) => listSelect(ctx, p, (s) => s !== 'X' && s !== 'XS') },
  SelectListObjectContinuousRange: {
    params: ['qPath', 'qRanges', 'qSoftLock'],
    run(ctx, p) {
      const { field, stateName } = listAt(ctx, p.string('qPath'));
      const ranges = p.array('qRanges').map((r) => readRange(r, 'qRanges'));
      return { qSuccess: select(ctx, field, field.values.flatMap((v, i) => (ranges.some((r) => inRange(v.num, r)) ? [i] : [])), 'replace', stateName) };
    },
  },
  SearchListObjectFor: {
    params: ['qPath', 'qMatch'],
    run(ctx, p) {
      const path = p.string('qPath');
      const { id } = listAt(ctx, path);
      const match = checkMatchLength(p.string('qMatch', ''), 'qMatch');
      ctx.session.setSearch(id, path, match === '' ? undefined : match);
      return { qSuccess: true };
    },
  },
  AcceptListObjectSearch: {
    params: ['qPath', 'qToggleMode', 'qSoftLock'],
    run(ctx, p) {
      const path = p.string('qPath');
      const toggle = p.boolean('qToggleMode', false);
      p.boolean('qSoftLock', false);
      const { id, list, field, stateName } = listAt(ctx, path);
      if (ctx.session.search(id, path) === undefined) return {};
      ctx.session.setSearch(id, path, undefined);
      // The engine selects the matches that are still possible (not excluded).
      const possible = list.order.filter((v) => ['O', 'S', 'A', 'L'].includes(list.states.get(v) ?? 'X'));
      const chosen = possible.length > 0 ? possible : list.order;
      if (chosen.length > 0) select(ctx, field, chosen, toggle ? 'add' : 'replace', stateName);
      return {};
    },
  },
  AbortListObjectSearch: {
    params: ['qPath'],
    run(ctx, p) {
      ctx.session.setSearch(objectOf(ctx).id, p.string('qPath'), undefined);
      return {};
    },
  },
  ClearSelections: {
    params: ['qPath', 'qColIndices'],
    run(ctx, p) {
      const path = p.string('qPath');
      const columns = integers(p.array('qColIndices', []), 'qColIndices');
      if (path.endsWith('/qListObjectDef')) {
        const { field, stateName } = listAt(ctx, path);
        select(ctx, field, [], 'replace', stateName);
        return {};
      }
      const { cube, stateName } = cubeAt(ctx, path);
      cube.fields.forEach((f, i) => (columns.length === 0 || columns.includes(i)) && select(ctx, f, [], 'replace', stateName));
      return {};
    },
  },
  Lock: { params: ['qPath', 'qColIndices'], run: (ctx, p) => lockAt(ctx, p, true) },
  Unlock: { params: ['qPath', 'qColIndices'], run: (ctx, p) => lockAt(ctx, p, false) },
  ExportData: {
    params: ['qFileType', 'qPath', 'qFileName', 'qExportState', 'qServeOnce'],
    run(ctx, p) {
      const { id, effective } = objectOf(ctx);
      const path = p.string('qPath', '/qHyperCubeDef');
      const def = defAt(effective, path, 'qHyperCubeDef');
      const exportState = p.string('qExportState', 'EXPORT_POSSIBLE');
      if (exportState !== 'EXPORT_POSSIBLE' && exportState !== 'EXPORT_ALL') throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, `Invalid method parameter(s): qExportState ${exportState}; use EXPORT_POSSIBLE or EXPORT_ALL`, 'qExportState');
      const cube = exportState === 'EXPORT_ALL' ? ctx.session.cubeOverAll(id, def) : cubeAt(ctx, path).cube;
      const title = typeof effective.title === 'string' && effective.title ? effective.title : id;
      const file = exportCube(cube, p.string('qFileType'), p.string('qFileName', '') || title);
      if (!ctx.storeExport) throw new QixError(ErrorCode.JSON_RPC_METHOD_NOT_FOUND, 'ExportData is not served by this engine (no download route)', 'ExportData');
      return { qUrl: ctx.storeExport(file, p.boolean('qServeOnce', false)), qWarnings: [] };
    },
  },
};
