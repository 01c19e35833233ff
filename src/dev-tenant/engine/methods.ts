/**
 * The QIX methods this engine answers, per handle type (Global, Doc, GenericObject, Field).
 * Parameter names and order follow the engine schema, so positional and named params both work.
 * Results use the schema's out-parameter names (`qLayout`, `qProp`, `qDataPages`, …) and
 * `qReturn` for return values.
 */
import type { LoadedApp } from './app.ts';
import { objectType } from './app.ts';
import type { Field } from './data-model.ts';
import { readPages } from './definitions.ts';
import { hyperCubePages } from './hypercube.ts';
import { applyPatchOperation, cloneJson, getAtPointer, isRecord, type JsonObject } from './json.ts';
import { ENGINE_VERSION, appLayout, appProperties, containerEntry, evaluateScalar, localeInfo, objectLayout } from './layout.ts';
import { listObjectPages } from './list-object.ts';
import { ErrorCode, Params, QixError, methodNotFound } from './rpc.ts';
import { DOC_HANDLE, type EngineSession } from './session.ts';

export interface CallContext {
  session: EngineSession;
  handle: number;
  /** Apps this session's user may open (for GetDocList). */
  listApps(): LoadedApp[];
}

type Result = Record<string, unknown>;

interface MethodDef {
  params: readonly string[];
  run(ctx: CallContext, p: Params): Result;
}

type MethodTable = Record<string, MethodDef>;

const NOT_FOUND = { qType: null, qHandle: null };

function docReturn(session: EngineSession): Result {
  return { qReturn: { qType: 'Doc', qHandle: DOC_HANDLE, qGenericId: session.app.id } };
}

function objectReturn(session: EngineSession, id: string): Result {
  const handle = session.objectHandle(id);
  const properties = session.properties(id);
  if (handle === undefined || !properties) return { qReturn: NOT_FOUND };
  return { qReturn: { qType: 'GenericObject', qHandle: handle, qGenericType: objectType(properties), qGenericId: id } };
}

/**
 * The object on the call's handle: its own properties, and the effective ones (with
 * `qExtendsId` resolved) that layouts, data and selections are computed from.
 */
function objectOf(ctx: CallContext): { id: string; properties: JsonObject; effective: JsonObject } {
  const entry = ctx.session.handles.get(ctx.handle);
  const properties = entry?.kind === 'GenericObject' ? ctx.session.properties(entry.id) : undefined;
  if (entry?.kind !== 'GenericObject' || !properties) throw new QixError(ErrorCode.GENERIC_NOT_FOUND, 'Object not found', 'handle');
  return { id: entry.id, properties, effective: ctx.session.effectiveProperties(entry.id) ?? properties };
}

function fieldOf(ctx: CallContext): Field {
  const entry = ctx.session.handles.get(ctx.handle);
  if (entry?.kind !== 'Field') throw new QixError(ErrorCode.GENERIC_NOT_FOUND, 'Field not found', 'handle');
  return entry.field;
}

/** The `…Def` at `qPath` in an object's properties, checked to be of the expected kind. */
function defAt(properties: JsonObject, path: string, kind: 'qHyperCubeDef' | 'qListObjectDef'): JsonObject {
  const def = path.endsWith(`/${kind}`) ? getAtPointer(properties, path) : undefined;
  if (!isRecord(def)) throw new QixError(ErrorCode.GENERIC_INVALID_PATH, `Invalid path: no ${kind} at ${path || '""'}`, 'qPath');
  return def;
}

function listField(ctx: CallContext, id: string, path: string): Field {
  const list = ctx.session.list(id, path, defAt(ctx.session.effectiveProperties(id) ?? {}, path, 'qListObjectDef'));
  if (!list.field) throw new QixError(ErrorCode.GENERIC_NOT_FOUND, 'The list object has no valid field', 'qPath');
  return list.field;
}

function integers(values: unknown[], parameter: string): number[] {
  if (!values.every((v): v is number => typeof v === 'number' && Number.isInteger(v))) {
    throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, `Invalid method parameter(s): ${parameter} must hold integers`, parameter);
  }
  return values;
}

function entriesOf(ctx: CallContext, ids: string[], data: unknown): JsonObject[] {
  return ids.flatMap((id): JsonObject[] => {
    const entry = containerEntry(ctx.session, id, data);
    return entry ? [entry] : [];
  });
}

function infosOf(ctx: CallContext, ids: string[]): JsonObject[] {
  return ids.flatMap((id) => {
    const p = ctx.session.properties(id);
    return p ? [{ qId: id, qType: objectType(p) }] : [];
  });
}

const globalMethods: MethodTable = {
  OpenDoc: {
    params: ['qDocName', 'qUserName', 'qPassword', 'qSerial', 'qNoData'],
    run(ctx, p) {
      const name = p.string('qDocName');
      p.boolean('qNoData', false);
      // The socket is bound to the app in its URL, as on Qlik Cloud. Opening it again on an
      // attached session answers the open doc rather than LOCERR_APP_ALREADY_OPEN, so a second
      // tab of the same session can join it.
      if (name !== ctx.session.app.id) throw new QixError(ErrorCode.APP_NOT_FOUND, `App not found: ${name}`, 'qDocName');
      ctx.session.openDoc();
      return docReturn(ctx.session);
    },
  },
  GetActiveDoc: {
    params: [],
    run(ctx) {
      if (!ctx.session.docOpen) throw new QixError(ErrorCode.APP_NOT_OPEN, 'App not open', '');
      return docReturn(ctx.session);
    },
  },
  EngineVersion: { params: [], run: () => ({ qVersion: { qComponentVersion: ENGINE_VERSION } }) },
  ProductVersion: { params: [], run: () => ({ qReturn: ENGINE_VERSION }) },
  IsDesktopMode: { params: [], run: () => ({ qReturn: false }) },
  GetAuthenticatedUser: { params: [], run: (ctx) => ({ qReturn: `UserDirectory=; UserId=${ctx.session.user.subject}` }) },
  GetDocList: {
    params: [],
    run: (ctx) => ({
      qDocList: ctx.listApps().map((app) => ({
        qDocName: app.def.title,
        qConnectedUsers: 0,
        qFileTime: 0,
        qFileSize: 0,
        qDocId: app.id,
        qMeta: { description: app.def.description, privileges: ['read'] },
        qLastReloadTime: app.def.lastReloadTime,
        qReadOnly: false,
        qTitle: app.def.title,
        qThumbnail: { qUrl: '' },
      })),
    }),
  },
};

const docMethods: MethodTable = {
  GetAppLayout: { params: [], run: (ctx) => ({ qLayout: appLayout(ctx.session) }) },
  GetAppProperties: { params: [], run: (ctx) => ({ qProp: appProperties(ctx.session) }) },
  GetLocaleInfo: { params: [], run: () => ({ qReturn: localeInfo() }) },
  GetObject: { params: ['qId'], run: (ctx, p) => objectReturn(ctx.session, p.string('qId')) },
  GetObjects: {
    params: ['qOptions'],
    run(ctx, p) {
      const options = p.object('qOptions', {});
      const types = Array.isArray(options.qTypes) ? options.qTypes.filter((t): t is string => typeof t === 'string' && t !== '') : [];
      const ids = ctx.session.objectIds(options.qIncludeSessionObjects === true).filter((id) => {
        const props = ctx.session.properties(id);
        return props !== undefined && (types.length === 0 || types.includes(objectType(props)));
      });
      return { qList: entriesOf(ctx, ids, options.qData) };
    },
  },
  GetAllInfos: { params: [], run: (ctx) => ({ qInfos: infosOf(ctx, ctx.session.objectIds(true)) }) },
  CreateSessionObject: {
    params: ['qProp'],
    run(ctx, p) {
      const properties = p.object('qProp');
      const info = properties.qInfo;
      const id = isRecord(info) && typeof info.qId === 'string' ? info.qId : '';
      if (id && ctx.session.properties(id)) throw new QixError(ErrorCode.GENERIC_ALREADY_EXISTS, `An object with id ${id} already exists`, 'qProp');
      return objectReturn(ctx.session, ctx.session.createSessionObject(properties));
    },
  },
  DestroySessionObject: { params: ['qId'], run: (ctx, p) => ({ qSuccess: ctx.session.destroySessionObject(p.string('qId')) }) },
  GetField: {
    params: ['qFieldName', 'qStateName'],
    run(ctx, p) {
      const field = ctx.session.app.model.field(p.string('qFieldName'));
      p.string('qStateName', '');
      return { qReturn: field ? { qType: 'Field', qHandle: ctx.session.fieldHandle(field) } : NOT_FOUND };
    },
  },
  ClearAll: {
    params: ['qLockedAlso', 'qStateName'],
    run(ctx, p) {
      p.boolean('qLockedAlso', false);
      p.string('qStateName', '');
      ctx.session.clearAll();
      return {};
    },
  },
  Back: { params: [], run: (ctx) => (ctx.session.back(), {}) },
  Forward: { params: [], run: (ctx) => (ctx.session.forward(), {}) },
  AbortModal: { params: ['qAccept'], run: (ctx, p) => (ctx.session.endSelections(p.boolean('qAccept', false)), {}) },
  Evaluate: { params: ['qExpression'], run: (ctx, p) => ({ qReturn: evaluateScalar(ctx.session, p.string('qExpression')).text }) },
  EvaluateEx: {
    params: ['qExpression'],
    run(ctx, p) {
      const v = evaluateScalar(ctx.session, p.string('qExpression'));
      const numeric = Number.isFinite(v.num);
      return { qValue: { qText: v.text, qIsNumeric: numeric, qNumber: numeric ? v.num : 'NaN' } };
    },
  },
  GetTablesAndKeys: {
    params: ['qWindowSize', 'qNullSize', 'qCellHeight', 'qSyntheticMode', 'qIncludeSysVars', 'qIncludeProfiling'],
    run(ctx, p) {
      p.object('qWindowSize', {});
      p.object('qNullSize', {});
      const { model } = ctx.session.app;
      const qFields = model.fields.map((f) => ({
        qName: f.name,
        qOriginalFields: [],
        qPresent: true,
        qHasNull: false,
        qHasWild: false,
        qHasDuplicates: f.cardinal < model.rowCount,
        qIsSynthetic: false,
        qInformationDensity: 100,
        qnNonNulls: model.rowCount,
        qnRows: model.rowCount,
        qSubsetRatio: 1,
        qnTotalDistinctValues: f.cardinal,
        qnPresentDistinctValues: f.cardinal,
        qKeyType: 'NOT_KEY',
        qComment: f.spec.comment ?? '',
        qTags: [...f.tags],
        qDerivedFields: [],
        qIsFieldOnTheFly: false,
        qReadableName: f.name,
      }));
      return {
        qtr: [{ qName: model.tableName, qLoose: false, qNoOfRows: model.rowCount, qFields, qPos: { qx: 0, qy: 0 }, qComment: '', qIsDirectDiscovery: false, qIsSynthetic: false, qTableTags: [], qProfilingData: {} }],
        qk: [],
      };
    },
  },
};

const objectMethods: MethodTable = {
  GetLayout: {
    params: [],
    run(ctx) {
      const { id, effective } = objectOf(ctx);
      return { qLayout: objectLayout(ctx.session, effective, ctx.session.view(id, ctx.handle)) };
    },
  },
  GetInfo: { params: [], run: (ctx) => ({ qInfo: cloneJson(objectOf(ctx).properties.qInfo) }) },
  GetProperties: { params: [], run: (ctx) => ({ qProp: cloneJson(objectOf(ctx).properties) }) },
  GetEffectiveProperties: { params: [], run: (ctx) => ({ qProp: cloneJson(objectOf(ctx).effective) }) },
  SetProperties: {
    params: ['qProp'],
    run(ctx, p) {
      const properties = p.object('qProp');
      ctx.session.setProperties(objectOf(ctx).id, properties);
      return {};
    },
  },
  ApplyPatches: {
    params: ['qPatches', 'qSoftPatch'],
    run(ctx, p) {
      const { id, properties } = objectOf(ctx);
      let next: unknown = cloneJson(properties);
      for (const patch of p.array('qPatches')) {
        if (!isRecord(patch) || typeof patch.qPath !== 'string' || typeof patch.qOp !== 'string') {
          throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, 'Invalid method parameter(s): a patch needs qOp and qPath', 'qPatches');
        }
        const op = patch.qOp.toLowerCase();
        if (op !== 'add' && op !== 'replace' && op !== 'remove') throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, `Invalid method parameter(s): unknown qOp ${patch.qOp}`, 'qPatches');
        let value: unknown;
        try {
          value = op === 'remove' ? undefined : JSON.parse(typeof patch.qValue === 'string' ? patch.qValue : 'null');
          next = applyPatchOperation(next, op, patch.qPath, value);
        } catch (err) {
          throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, `Invalid method parameter(s): ${(err as Error).message}`, 'qPatches');
        }
      }
      if (!isRecord(next)) throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, 'Invalid method parameter(s): properties must stay an object', 'qPatches');
      p.boolean('qSoftPatch', false);
      ctx.session.setProperties(id, next);
      return {};
    },
  },
  GetHyperCubeData: {
    params: ['qPath', 'qPages'],
    run(ctx, p) {
      const { id, effective: properties } = objectOf(ctx);
      const path = p.string('qPath');
      const pages = readPages(p.array('qPages'), 'qPages');
      return { qDataPages: hyperCubePages(ctx.session.cube(id, path, defAt(properties, path, 'qHyperCubeDef')), pages) };
    },
  },
  SelectHyperCubeValues: {
    params: ['qPath', 'qDimNo', 'qValues', 'qToggleMode'],
    run(ctx, p) {
      const { id, effective: properties } = objectOf(ctx);
      const path = p.string('qPath');
      const dimNo = p.integer('qDimNo');
      const values = integers(p.array('qValues'), 'qValues');
      const toggle = p.boolean('qToggleMode', false);
      const cube = ctx.session.cube(id, path, defAt(properties, path, 'qHyperCubeDef'));
      const field = cube.fields[dimNo];
      if (!field) return { qSuccess: false };
      ctx.session.selectValues(field, values.filter((v) => v >= 0), toggle ? 'toggle' : 'replace', ctx.handle);
      return { qSuccess: true };
    },
  },
  GetListObjectData: {
    params: ['qPath', 'qPages'],
    run(ctx, p) {
      const { id, effective: properties } = objectOf(ctx);
      const path = p.string('qPath');
      const pages = readPages(p.array('qPages'), 'qPages');
      return { qDataPages: listObjectPages(ctx.session.list(id, path, defAt(properties, path, 'qListObjectDef')), pages) };
    },
  },
  SelectListObjectValues: {
    params: ['qPath', 'qValues', 'qToggleMode', 'qSoftLock'],
    run(ctx, p) {
      const { id } = objectOf(ctx);
      const path = p.string('qPath');
      const values = integers(p.array('qValues'), 'qValues');
      const toggle = p.boolean('qToggleMode', false);
      p.boolean('qSoftLock', false);
      ctx.session.selectValues(listField(ctx, id, path), values, toggle ? 'toggle' : 'replace', ctx.handle);
      return { qSuccess: true };
    },
  },
  SearchListObjectFor: {
    params: ['qPath', 'qMatch'],
    run(ctx, p) {
      const { id } = objectOf(ctx);
      const path = p.string('qPath');
      listField(ctx, id, path);
      const match = p.string('qMatch', '');
      ctx.session.setSearch(id, path, match === '' ? undefined : match);
      return { qSuccess: true };
    },
  },
  AcceptListObjectSearch: {
    params: ['qPath', 'qToggleMode', 'qSoftLock'],
    run(ctx, p) {
      const { id, effective: properties } = objectOf(ctx);
      const path = p.string('qPath');
      const toggle = p.boolean('qToggleMode', false);
      p.boolean('qSoftLock', false);
      if (ctx.session.search(id, path) === undefined) return {};
      const list = ctx.session.list(id, path, defAt(properties, path, 'qListObjectDef'));
      ctx.session.setSearch(id, path, undefined);
      if (!list.field) return {};
      // The engine selects the matches that are still possible (not excluded).
      const possible = list.order.filter((v) => {
        const s = list.states.get(v);
        return s === 'O' || s === 'S' || s === 'A';
      });
      const chosen = possible.length > 0 ? possible : list.order;
      if (chosen.length > 0) ctx.session.selectValues(list.field, chosen, toggle ? 'add' : 'replace', ctx.handle);
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
  BeginSelections: {
    params: ['qPaths'],
    run(ctx, p) {
      objectOf(ctx);
      if (!p.array('qPaths').every((x) => typeof x === 'string')) throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, 'Invalid method parameter(s): qPaths must hold strings', 'qPaths');
      ctx.session.beginSelections(ctx.handle);
      return {};
    },
  },
  EndSelections: {
    params: ['qAccept'],
    run(ctx, p) {
      objectOf(ctx);
      ctx.session.endSelections(p.boolean('qAccept'));
      return {};
    },
  },
  ClearSelections: {
    params: ['qPath', 'qColIndices'],
    run(ctx, p) {
      const { id, effective: properties } = objectOf(ctx);
      const path = p.string('qPath');
      const columns = integers(p.array('qColIndices', []), 'qColIndices');
      let fields: Field[];
      if (path.endsWith('/qListObjectDef')) fields = [listField(ctx, id, path)];
      else {
        const cube = ctx.session.cube(id, path, defAt(properties, path, 'qHyperCubeDef'));
        fields = cube.fields.filter((f, i): f is Field => f !== undefined && (columns.length === 0 || columns.includes(i)));
      }
      for (const field of fields) ctx.session.selectValues(field, [], 'replace', ctx.handle);
      return {};
    },
  },
  GetChildInfos: {
    params: [],
    run: (ctx) => ({ qInfos: infosOf(ctx, ctx.session.childIds(objectOf(ctx).id)) }),
  },
  GetFullPropertyTree: {
    params: [],
    run(ctx) {
      const tree = (id: string): JsonObject => ({
        qProperty: cloneJson(ctx.session.properties(id) ?? {}),
        qChildren: ctx.session.childIds(id).map(tree),
        qEmbeddedSnapshotRef: null,
      });
      return { qPropEntry: tree(objectOf(ctx).id) };
    },
  },
};

const fieldMethods: MethodTable = {
  Select: {
    params: ['qMatch', 'qSoftLock', 'qExcludedValuesMode'],
    run(ctx, p) {
      const field = fieldOf(ctx);
      const matches = ctx.session.matchValues(field, p.string('qMatch'));
      p.boolean('qSoftLock', false);
      p.integer('qExcludedValuesMode', 0);
      ctx.session.selectValues(field, matches, 'replace', ctx.handle);
      return { qReturn: matches.length > 0 };
    },
  },
  ToggleSelect: {
    params: ['qMatch', 'qSoftLock', 'qExcludedValuesMode'],
    run(ctx, p) {
      const field = fieldOf(ctx);
      const matches = ctx.session.matchValues(field, p.string('qMatch'));
      ctx.session.selectValues(field, matches, 'toggle', ctx.handle);
      return { qReturn: matches.length > 0 };
    },
  },
  SelectValues: {
    params: ['qFieldValues', 'qToggleMode', 'qSoftLock'],
    run(ctx, p) {
      const field = fieldOf(ctx);
      const wanted = p.array('qFieldValues');
      const toggle = p.boolean('qToggleMode', false);
      p.boolean('qSoftLock', false);
      const values: number[] = [];
      for (const fv of wanted) {
        if (!isRecord(fv)) throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, 'Invalid method parameter(s): qFieldValues must hold objects', 'qFieldValues');
        const byNumber = fv.qIsNumeric === true && typeof fv.qNumber === 'number';
        field.values.forEach((value, i) => {
          if (byNumber ? value.num === fv.qNumber : value.text === fv.qText) values.push(i);
        });
      }
      ctx.session.selectValues(field, values, toggle ? 'toggle' : 'replace', ctx.handle);
      return { qReturn: true };
    },
  },
  SelectAll: {
    params: ['qSoftLock'],
    run(ctx) {
      const field = fieldOf(ctx);
      const possible = ctx.session.state.possibleIgnoringOwn(field);
      const all = Array.from({ length: field.cardinal }, (_, i) => i).filter((v) => possible === null || possible[v] === 1);
      ctx.session.selectValues(field, all, 'replace', ctx.handle);
      return { qReturn: true };
    },
  },
  Clear: { params: [], run: (ctx) => (ctx.session.selectValues(fieldOf(ctx), [], 'replace', ctx.handle), { qReturn: true }) },
  GetCardinal: { params: [], run: (ctx) => ({ qReturn: fieldOf(ctx).cardinal }) },
  GetNxProperties: { params: [], run: () => ({ qProperties: { qOneAndOnlyOne: false } }) },
};

const TABLES: Record<string, MethodTable> = { Global: globalMethods, Doc: docMethods, GenericObject: objectMethods, Field: fieldMethods };

/** Runs one method on a handle; throws QixError for unknown handles, methods and bad params. */
export function invoke(ctx: CallContext, method: string, params: unknown): Result {
  let type: string;
  if (ctx.handle === -1) type = 'Global';
  else {
    const entry = ctx.session.handles.get(ctx.handle);
    if (!entry) throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, `Invalid handle: ${ctx.handle}`, 'handle');
    type = entry.kind;
  }
  const table = TABLES[type] as MethodTable;
  const def = Object.hasOwn(table, method) ? table[method] : undefined;
  if (!def) throw methodNotFound(type, method);
  return def.run(ctx, new Params(params, def.params));
}

