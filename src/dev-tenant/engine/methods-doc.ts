/** Methods on the Doc handle: the app, its objects, fields, selections and expressions. */
import { objectType } from './app.ts';
import { cloneJson, isRecord, type JsonObject } from './json.ts';
import { appLayout, appProperties, evaluateScalar, localeInfo } from './layout.ts';
import { type CallContext, entriesOf, infoOf, infosOf, type MethodTable, NOT_FOUND, objectReturn } from './method-kit.ts';
import { ErrorCode, type Params, QixError } from './rpc.ts';

/** `qProp` of CreateObject/CreateSessionObject; an id already in use is refused, as the engine does. */
function newObjectProperties(ctx: CallContext, p: Params): JsonObject {
  const properties = p.object('qProp');
  const info = properties.qInfo;
  const id = isRecord(info) && typeof info.qId === 'string' ? info.qId : '';
  if (id && ctx.session.properties(id)) throw new QixError(ErrorCode.GENERIC_ALREADY_EXISTS, `An object with id ${id} already exists`, 'qProp');
  return properties;
}

export const docMethods: MethodTable = {
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
  GetAllInfos: {
    params: [],
    run: (ctx) => ({
      // Library items are generic objects too: master dimensions and measures, bookmarks, variables.
      qInfos: [
        ...infosOf(ctx, ctx.session.objectIds(true)),
        ...(['dimension', 'measure', 'bookmark', 'variable'] as const).flatMap((kind) => ctx.session.library.list(kind).map((item) => infoOf(item.properties))),
      ],
    }),
  },
  CreateSessionObject: {
    params: ['qProp'],
    run(ctx, p) {
      const properties = newObjectProperties(ctx, p);
      return objectReturn(ctx.session, ctx.session.createObject(properties, true));
    },
  },
  DestroySessionObject: { params: ['qId'], run: (ctx, p) => ({ qSuccess: ctx.session.destroyObject(p.string('qId'), true) }) },
  CreateObject: {
    params: ['qProp'],
    run(ctx, p) {
      const properties = newObjectProperties(ctx, p);
      const created = ctx.session.createObject(properties, false);
      return { ...objectReturn(ctx.session, created), qInfo: infoOf(ctx.session.properties(created) ?? {}) };
    },
  },
  DestroyObject: { params: ['qId'], run: (ctx, p) => ({ qSuccess: ctx.session.destroyObject(p.string('qId'), false) }) },
  CloneObject: {
    params: ['qId'],
    run(ctx, p) {
      const source = ctx.session.properties(p.string('qId'));
      if (!source) throw new QixError(ErrorCode.GENERIC_NOT_FOUND, `Object not found: ${p.string('qId')}`, 'qId');
      const copy = cloneJson(source);
      copy.qInfo = { ...(isRecord(copy.qInfo) ? copy.qInfo : {}), qId: '' };
      return { qCloneId: ctx.session.createObject(copy, ctx.session.isSessionObject(p.string('qId'))) };
    },
  },
  GetField: {
    params: ['qFieldName', 'qStateName'],
    run(ctx, p) {
      const field = ctx.session.app.model.field(p.string('qFieldName'));
      return { qReturn: field ? { qType: 'Field', qHandle: ctx.session.fieldHandle(field, p.string('qStateName', '')) } : NOT_FOUND };
    },
  },
  ClearAll: {
    params: ['qLockedAlso', 'qStateName'],
    run(ctx, p) {
      const state = p.string('qStateName', '');
      ctx.session.selections.clearAll(p.boolean('qLockedAlso', false), state === '' ? undefined : state);
      return {};
    },
  },
  Back: { params: [], run: (ctx) => (ctx.session.selections.back(), {}) },
  Forward: { params: [], run: (ctx) => (ctx.session.selections.forward(), {}) },
  AbortModal: { params: ['qAccept'], run: (ctx, p) => (ctx.session.selections.endSelections(p.boolean('qAccept', false)), {}) },
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
