/**
 * Methods on library handles: GenericVariable, GenericBookmark, GenericDimension and
 * GenericMeasure. They share GetInfo/GetProperties/SetProperties/ApplyPatches; each has its own
 * layout and a few methods of its own.
 */
import { applyBookmark, bookmarkLayout } from './bookmarks.ts';
import { cloneJson, isRecord, type JsonObject } from './json.ts';
import { evaluateScalar, meta } from './layout.ts';
import type { LibraryItem, LibraryKind } from './library.ts';
import { type CallContext, libraryItemOf, type MethodTable, patched } from './method-kit.ts';
import { ErrorCode, QixError } from './rpc.ts';
import type { EngineSession } from './session.ts';

function setProperties(ctx: CallContext, properties: JsonObject): Record<string, never> {
  const { kind, item } = libraryItemOf(ctx);
  ctx.session.library.setProperties(kind, item.id, properties);
  ctx.session.libraryChanged(kind, item.id);
  return {};
}

/** The methods every library handle has, around a layout of its kind. */
function common(layout: (session: EngineSession, item: LibraryItem) => JsonObject): MethodTable {
  return {
    GetLayout: { params: [], run: (ctx) => ({ qLayout: layout(ctx.session, libraryItemOf(ctx).item) }) },
    GetInfo: { params: [], run: (ctx) => ({ qInfo: cloneJson(libraryItemOf(ctx).item.properties.qInfo) }) },
    GetProperties: { params: [], run: (ctx) => ({ qProp: cloneJson(libraryItemOf(ctx).item.properties) }) },
    SetProperties: { params: ['qProp'], run: (ctx, p) => setProperties(ctx, p.object('qProp')) },
    ApplyPatches: { params: ['qPatches'], run: (ctx, p) => setProperties(ctx, patched(libraryItemOf(ctx).item.properties, p.array('qPatches'))) },
  };
}

function layoutOf(item: LibraryItem): JsonObject {
  const { qMetaDef, ...rest } = cloneJson(item.properties);
  void qMetaDef;
  return { ...rest, qMeta: meta(item.properties) };
}

/** A variable's value: its definition, evaluated when it starts with `=`. */
function variableValue(session: EngineSession, item: LibraryItem): { text: string; num: number } {
  const definition = typeof item.properties.qDefinition === 'string' ? item.properties.qDefinition : '';
  if (definition.trim().startsWith('=')) return evaluateScalar(session, definition);
  return { text: definition, num: definition.trim() === '' ? Number.NaN : Number(definition) };
}

function setDefinition(ctx: CallContext, definition: string): Record<string, never> {
  const { item } = libraryItemOf(ctx);
  return setProperties(ctx, { ...item.properties, qDefinition: definition });
}

/** Objects whose properties reference a library item by `qLibraryId`. */
function linkedObjects(session: EngineSession, id: string): JsonObject[] {
  const refers = (value: unknown): boolean => {
    if (Array.isArray(value)) return value.some(refers);
    if (!isRecord(value)) return false;
    return value.qLibraryId === id || Object.values(value).some(refers);
  };
  return session.objectIds(true).flatMap((objectId) => {
    const properties = session.properties(objectId);
    if (!properties || !refers(properties)) return [];
    let root = objectId;
    for (let i = 0; i < 8; i += 1) root = session.parentId(root) ?? root;
    return [{ qRootId: root, qInfo: cloneJson(properties.qInfo) }];
  });
}

export const variableMethods: MethodTable = {
  ...common((session, item) => {
    const value = variableValue(session, item);
    return { ...layoutOf(item), qText: value.text, qNum: Number.isFinite(value.num) ? value.num : 'NaN', qIsScriptCreated: item.fromApp };
  }),
  SetStringValue: { params: ['qVal'], run: (ctx, p) => setDefinition(ctx, p.string('qVal')) },
  SetNumValue: {
    params: ['qVal'],
    run(ctx, p) {
      const value = p.number('qVal');
      return setDefinition(ctx, String(value));
    },
  },
  SetDualValue: { params: ['qText', 'qNum'], run: (ctx, p) => (p.number('qNum'), setDefinition(ctx, p.string('qText'))) },
  GetRawContent: { params: [], run: (ctx) => ({ qReturn: String(libraryItemOf(ctx).item.properties.qDefinition ?? '') }) },
};

export const bookmarkMethods: MethodTable = {
  ...common((_session, item) => bookmarkLayout(item)),
  Apply: { params: [], run: (ctx) => ({ qSuccess: applyBookmark(ctx.session, libraryItemOf(ctx).item) }) },
  ApplyAndVerify: { params: [], run: (ctx) => ({ qResult: { qApplySuccess: applyBookmark(ctx.session, libraryItemOf(ctx).item), qFieldsVerificationResult: [] } }) },
  GetFieldValues: {
    params: ['qField', 'qGetExcludedValues', 'qDataPage'],
    run(ctx, p) {
      const { item } = libraryItemOf(ctx);
      const name = p.string('qField');
      p.boolean('qGetExcludedValues');
      const page = p.object('qDataPage');
      const values = Object.values(item.selections)
        .flat()
        .filter((f) => f.field === name)
        .flatMap((f) => f.values);
      const start = typeof page.qStartIndex === 'number' ? Math.max(0, page.qStartIndex) : 0;
      const end = typeof page.qEndIndex === 'number' ? page.qEndIndex : values.length;
      return { qFieldValues: values.slice(start, end).map((v) => (typeof v === 'number' ? { qText: String(v), qIsNumeric: true, qNumber: v } : { qText: v, qIsNumeric: false, qNumber: 'NaN' })) };
    },
  },
};

function masterMethods(kind: LibraryKind, key: 'qDim' | 'qMeasure', extraLayout: (session: EngineSession, item: LibraryItem) => JsonObject): MethodTable {
  return {
    ...common((session, item) => ({ ...layoutOf(item), ...extraLayout(session, item) })),
    [kind === 'dimension' ? 'GetDimension' : 'GetMeasure']: { params: [], run: (ctx) => ({ [key]: cloneJson(libraryItemOf(ctx).item.properties[key] ?? {}) }) },
    GetLinkedObjects: { params: [], run: (ctx) => ({ qItems: linkedObjects(ctx.session, libraryItemOf(ctx).item.id) }) },
  };
}

export const dimensionMethods: MethodTable = {
  ...masterMethods('dimension', 'qDim', (session, item) => {
    const qDim = isRecord(item.properties.qDim) ? item.properties.qDim : {};
    const names = Array.isArray(qDim.qFieldDefs) ? qDim.qFieldDefs.filter((f): f is string => typeof f === 'string') : [];
    return { qDimInfos: names.map((qName) => ({ qName, qTags: [...(session.app.model.field(qName)?.tags ?? [])], qIsSemantic: false })) };
  }),
  // Master dimensions here are single-field (qGrouping N): field 0 is the only one, and cycling does nothing.
  GetActiveField: { params: [], run: () => ({ qReturn: 0 }) },
  SetActiveField: {
    params: ['qIx'],
    run(_ctx, p) {
      if (p.integer('qIx') !== 0) throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, 'Invalid method parameter(s): this dimension has one field (index 0)', 'qIx');
      return { qReturn: true };
    },
  },
  StepCycle: { params: ['qStep'], run: (_ctx, p) => (p.integer('qStep'), {}) },
};

export const measureMethods: MethodTable = masterMethods('measure', 'qMeasure', () => ({}));
