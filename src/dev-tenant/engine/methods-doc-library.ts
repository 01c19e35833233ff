/**
 * Doc methods for the library (variables, bookmarks, master dimensions and measures) and for
 * selection states (alternate states, locks, temporary selection states).
 */
import { randomBytes } from 'node:crypto';
import { applyBookmark, bookmarkProperties, captureSelections } from './bookmarks.ts';
import type { JsonObject } from './json.ts';
import type { BookmarkSelections, LibraryKind } from './library.ts';
import { type CallContext, infoOf, libraryReturn, type MethodDef, type MethodTable } from './method-kit.ts';
import { ErrorCode, type Params, QixError } from './rpc.ts';

function create(ctx: CallContext, kind: LibraryKind, properties: JsonObject, isSession: boolean, selections?: BookmarkSelections): { qInfo: JsonObject; qReturn: unknown } {
  const item = ctx.session.library.create(kind, properties, { isSession, ...(selections ? { selections } : {}) });
  ctx.session.libraryChanged(kind, item.id);
  return { qInfo: infoOf(item.properties), ...(libraryReturn(ctx.session, kind, item.id) as { qReturn: unknown }) };
}

function getter(kind: LibraryKind): MethodDef {
  return { params: ['qId'], run: (ctx, p) => libraryReturn(ctx.session, kind, p.string('qId')) };
}

function destroyer(kind: LibraryKind, sessionOnly = false): MethodDef {
  return {
    params: ['qId'],
    run(ctx, p) {
      const item = ctx.session.library.get(kind, p.string('qId'));
      if (!item || (sessionOnly && !item.isSession)) return { qSuccess: false };
      return { qSuccess: ctx.session.destroyLibraryItem(kind, item.id) };
    },
  };
}

function cloner(kind: LibraryKind): MethodDef {
  return {
    params: ['qId'],
    run(ctx, p) {
      const item = ctx.session.library.get(kind, p.string('qId'));
      if (!item) throw new QixError(ErrorCode.GENERIC_NOT_FOUND, `${kind} not found: ${p.string('qId')}`, 'qId');
      const copy: JsonObject = { ...item.properties, qInfo: { qType: kind } };
      if (kind === 'variable') copy.qName = `${String(item.properties.qName)}_copy`;
      return { qCloneId: ctx.session.library.create(kind, copy, { isSession: item.isSession, selections: item.selections }).id };
    },
  };
}

function variableIdByName(ctx: CallContext, p: Params): string | undefined {
  return ctx.session.library.variableByName(p.string('qName'))?.id;
}

function destroyVariableByName(sessionOnly: boolean): MethodDef {
  return {
    params: ['qName'],
    run(ctx, p) {
      const item = ctx.session.library.variableByName(p.string('qName'));
      if (!item || (sessionOnly && !item.isSession)) return { qSuccess: false };
      return { qSuccess: ctx.session.destroyLibraryItem('variable', item.id) };
    },
  };
}

function setLocks(ctx: CallContext, p: Params, lock: boolean): Record<string, never> {
  const state = p.string('qStateName', '');
  ctx.session.selections.lock(state, undefined, lock);
  return {};
}

/** Selections captured by StoreTempSelectionState, per session (they die with it). */
const tempStates = new WeakMap<object, Map<string, BookmarkSelections>>();

function storeTemp(ctx: CallContext): string {
  let stored = tempStates.get(ctx.session);
  if (!stored) tempStates.set(ctx.session, (stored = new Map()));
  if (stored.size >= 100) stored.delete(stored.keys().next().value as string);
  const id = randomBytes(9).toString('base64url');
  stored.set(id, captureSelections(ctx.session));
  return id;
}

function restoreTemp(ctx: CallContext, id: string): void {
  const selections = tempStates.get(ctx.session)?.get(id);
  if (!selections) throw new QixError(ErrorCode.GENERIC_NOT_FOUND, `No temporary selection state ${id}`, 'qId');
  applyBookmark(ctx.session, { id: '', properties: {}, isSession: true, fromApp: false, selections, modified: 0 });
}

export const docLibraryMethods: MethodTable = {
  // ---- variables
  GetVariableByName: { params: ['qName'], run: (ctx, p) => libraryReturn(ctx.session, 'variable', variableIdByName(ctx, p)) },
  GetVariable: { params: ['qName'], run: (ctx, p) => libraryReturn(ctx.session, 'variable', variableIdByName(ctx, p)) },
  GetVariableById: getter('variable'),
  CreateVariableEx: { params: ['qProp'], run: (ctx, p) => create(ctx, 'variable', p.object('qProp'), false) },
  CreateSessionVariable: { params: ['qProp'], run: (ctx, p) => ({ qReturn: create(ctx, 'variable', p.object('qProp'), true).qReturn }) },
  CreateVariable: {
    params: ['qName'],
    run: (ctx, p) => (create(ctx, 'variable', { qName: p.string('qName'), qDefinition: '' }, false), { qReturn: true }),
  },
  RemoveVariable: destroyVariableByName(false),
  DestroyVariableById: destroyer('variable'),
  DestroyVariableByName: destroyVariableByName(false),
  DestroySessionVariable: destroyer('variable', true),
  DestroySessionVariableById: destroyer('variable', true),
  DestroySessionVariableByName: destroyVariableByName(true),
  GetVariables: {
    params: ['qListDef'],
    run(ctx, p) {
      const def = p.object('qListDef', {});
      return {
        qList: ctx.session.library
          .list('variable')
          .filter((v) => def.qShowSession === true || !v.isSession)
          .map((v) => ({ qName: v.properties.qName, qDefinition: v.properties.qDefinition, qDescription: v.properties.qComment ?? '', qInfo: infoOf(v.properties), qIsScriptCreated: v.fromApp, qIsReserved: false, qIsConfig: false })),
      };
    },
  },
  // ---- bookmarks
  CreateBookmark: { params: ['qProp'], run: (ctx, p) => create(ctx, 'bookmark', bookmarkProperties(p.object('qProp')), false, captureSelections(ctx.session)) },
  CreateBookmarkEx: { params: ['qProp', 'qObjectIdsToPatch'], run: (ctx, p) => create(ctx, 'bookmark', bookmarkProperties(p.object('qProp')), false, captureSelections(ctx.session)) },
  GetBookmark: getter('bookmark'),
  DestroyBookmark: destroyer('bookmark'),
  CloneBookmark: cloner('bookmark'),
  ApplyBookmark: {
    params: ['qId'],
    run(ctx, p) {
      const item = ctx.session.library.get('bookmark', p.string('qId'));
      return { qSuccess: item ? applyBookmark(ctx.session, item) : false };
    },
  },
  GetBookmarks: {
    params: ['qOptions'],
    run(ctx, p) {
      p.object('qOptions', {});
      return { qList: ctx.session.library.list('bookmark').map((b) => ({ qInfo: infoOf(b.properties), qMeta: { ...(b.properties.qMetaDef as JsonObject | undefined), privileges: ['read', 'update', 'delete'] }, qData: {} })) };
    },
  },
  // ---- master items
  GetDimension: getter('dimension'),
  CreateDimension: { params: ['qProp'], run: (ctx, p) => create(ctx, 'dimension', p.object('qProp'), false) },
  DestroyDimension: destroyer('dimension'),
  CloneDimension: cloner('dimension'),
  GetMeasure: getter('measure'),
  CreateMeasure: { params: ['qProp'], run: (ctx, p) => create(ctx, 'measure', p.object('qProp'), false) },
  DestroyMeasure: destroyer('measure'),
  CloneMeasure: cloner('measure'),
  GetMeasureWithLabel: {
    params: ['qLabel'],
    run(ctx, p) {
      const label = p.string('qLabel');
      const item = ctx.session.library.list('measure').find((m) => (m.properties.qMeasure as JsonObject | undefined)?.qLabel === label);
      return libraryReturn(ctx.session, 'measure', item?.id);
    },
  },
  // ---- selection states
  AddAlternateState: { params: ['qStateName'], run: (ctx, p) => (ctx.session.selections.addState(p.string('qStateName')), {}) },
  AddSessionAlternateState: {
    params: ['qStateName', 'qSourceStateName'],
    run(ctx, p) {
      const name = p.string('qStateName');
      const source = p.string('qSourceStateName', '');
      ctx.session.selections.addState(name);
      if (source) ctx.session.selections.replaceState(name, ctx.session.stateOf(source));
      return {};
    },
  },
  RemoveAlternateState: { params: ['qStateName'], run: (ctx, p) => (ctx.session.selections.removeState(p.string('qStateName')), {}) },
  RemoveSessionAlternateState: { params: ['qStateName'], run: (ctx, p) => ({ qSuccess: ctx.session.selections.removeState(p.string('qStateName')) }) },
  LockAll: { params: ['qStateName'], run: (ctx, p) => setLocks(ctx, p, true) },
  UnlockAll: { params: ['qStateName'], run: (ctx, p) => setLocks(ctx, p, false) },
  StoreTempSelectionState: { params: ['qTTLOfTempState'], run: (ctx) => ({ qId: storeTemp(ctx) }) },
  RestoreTempSelectionState: { params: ['qId'], run: (ctx, p) => (restoreTemp(ctx, p.string('qId')), { qReturn: true }) },
  // A temporary bookmark is the same thing here: selections kept for this session, restored by id.
  CreateTemporaryBookmark: { params: ['qOptions', 'qObjectIdsToPatch'], run: (ctx, p) => (p.object('qOptions', {}), { qId: storeTemp(ctx) }) },
  ApplyTemporaryBookmark: { params: ['qId'], run: (ctx, p) => (restoreTemp(ctx, p.string('qId')), { qReturn: true }) },
  ApplyAndVerifyBookmark: {
    params: ['qId'],
    run(ctx, p) {
      const item = ctx.session.library.get('bookmark', p.string('qId'));
      return { qResult: { qApplySuccess: item ? applyBookmark(ctx.session, item) : false, qFieldsVerificationResult: [] } };
    },
  },
};
