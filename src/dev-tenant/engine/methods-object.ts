/** Methods on a GenericObject handle: properties, layout, children and modal selections. */
import { cloneJson, isRecord, type JsonObject } from './json.ts';
import { objectLayout } from './layout.ts';
import { infoOf, infosOf, type MethodTable, objectOf, objectReturn, patched, strings } from './method-kit.ts';
import { objectDataMethods } from './methods-object-data.ts';
import { ErrorCode, QixError } from './rpc.ts';
import type { EngineSession } from './session.ts';

function propertyTree(session: EngineSession, id: string): JsonObject {
  return { qProperty: cloneJson(session.properties(id) ?? {}), qChildren: session.childIds(id).map((child) => propertyTree(session, child)), qEmbeddedSnapshotRef: null };
}

/** Replaces an object and its children from a GenericObjectEntry tree. */
function setPropertyTree(session: EngineSession, id: string, entry: JsonObject): void {
  if (!isRecord(entry.qProperty)) throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, 'Invalid method parameter(s): qPropEntry needs qProperty', 'qPropEntry');
  session.setProperties(id, entry.qProperty);
  const wanted = new Set<string>();
  for (const child of Array.isArray(entry.qChildren) ? entry.qChildren : []) {
    if (!isRecord(child) || !isRecord(child.qProperty)) continue;
    const childInfo = isRecord(child.qProperty.qInfo) ? child.qProperty.qInfo : {};
    const childId = typeof childInfo.qId === 'string' && session.properties(childInfo.qId) ? childInfo.qId : session.createObject(child.qProperty, session.isSessionObject(id), id);
    wanted.add(childId);
    setPropertyTree(session, childId, child);
  }
  for (const child of session.childIds(id)) if (!wanted.has(child) && session.parentId(child) === id) session.destroyObject(child, false);
}

export const objectMethods: MethodTable = {
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
  SetProperties: { params: ['qProp'], run: (ctx, p) => (ctx.session.setProperties(objectOf(ctx).id, p.object('qProp')), {}) },
  ApplyPatches: {
    params: ['qPatches', 'qSoftPatch'],
    run(ctx, p) {
      const { id, properties } = objectOf(ctx);
      const next = patched(properties, p.array('qPatches'));
      p.boolean('qSoftPatch', false);
      ctx.session.setProperties(id, next);
      return {};
    },
  },
  // Soft patches are applied like hard ones in this session, so there is nothing separate to clear.
  ClearSoftPatches: { params: [], run: (ctx) => (objectOf(ctx), {}) },
  CopyFrom: {
    params: ['qFromId'],
    run(ctx, p) {
      const source = ctx.session.properties(p.string('qFromId'));
      if (!source) throw new QixError(ErrorCode.GENERIC_NOT_FOUND, `Object not found: ${p.string('qFromId')}`, 'qFromId');
      ctx.session.setProperties(objectOf(ctx).id, source);
      return {};
    },
  },
  GetChildInfos: { params: [], run: (ctx) => ({ qInfos: infosOf(ctx, ctx.session.childIds(objectOf(ctx).id)) }) },
  GetChild: {
    params: ['qId'],
    run(ctx, p) {
      const child = p.string('qId');
      return ctx.session.childIds(objectOf(ctx).id).includes(child) ? objectReturn(ctx.session, child) : objectReturn(ctx.session, '');
    },
  },
  GetParent: {
    params: [],
    run(ctx) {
      const parent = ctx.session.parentId(objectOf(ctx).id);
      return objectReturn(ctx.session, parent ?? '');
    },
  },
  CreateChild: {
    params: ['qProp', 'qPropForThis'],
    run(ctx, p) {
      const { id } = objectOf(ctx);
      const own = p.object('qPropForThis', {});
      const childId = ctx.session.createObject(p.object('qProp'), ctx.session.isSessionObject(id), id);
      if (Object.keys(own).length) ctx.session.setProperties(id, own);
      return { ...objectReturn(ctx.session, childId), qInfo: infoOf(ctx.session.properties(childId) ?? {}) };
    },
  },
  DestroyChild: {
    params: ['qId', 'qPropForThis'],
    run(ctx, p) {
      const { id } = objectOf(ctx);
      const child = p.string('qId');
      const ok = ctx.session.parentId(child) === id && ctx.session.destroyObject(child, false);
      const own = p.object('qPropForThis', {});
      if (ok && Object.keys(own).length) ctx.session.setProperties(id, own);
      return { qSuccess: ok };
    },
  },
  DestroyAllChildren: {
    params: ['qPropForThis'],
    run(ctx, p) {
      const { id } = objectOf(ctx);
      for (const child of ctx.session.childIds(id)) if (ctx.session.parentId(child) === id) ctx.session.destroyObject(child, false);
      const own = p.object('qPropForThis', {});
      if (Object.keys(own).length) ctx.session.setProperties(id, own);
      return {};
    },
  },
  GetLinkedObjects: {
    params: [],
    run(ctx) {
      const { id } = objectOf(ctx);
      const linked = ctx.session.objectIds(true).filter((other) => ctx.session.properties(other)?.qExtendsId === id);
      return { qItems: linked.map((other) => ({ qRootId: other, qInfo: cloneJson(ctx.session.properties(other)?.qInfo) })) };
    },
  },
  GetFullPropertyTree: { params: [], run: (ctx) => ({ qPropEntry: propertyTree(ctx.session, objectOf(ctx).id) }) },
  SetFullPropertyTree: { params: ['qPropEntry'], run: (ctx, p) => (setPropertyTree(ctx.session, objectOf(ctx).id, p.object('qPropEntry')), {}) },
  BeginSelections: {
    params: ['qPaths'],
    run(ctx, p) {
      objectOf(ctx);
      strings(p.array('qPaths'), 'qPaths');
      ctx.session.selections.beginSelections(ctx.handle);
      return {};
    },
  },
  EndSelections: {
    params: ['qAccept'],
    run(ctx, p) {
      objectOf(ctx);
      ctx.session.selections.endSelections(p.boolean('qAccept'));
      return {};
    },
  },
  ResetMadeSelections: { params: [], run: (ctx) => (objectOf(ctx), {}) },
  ...objectDataMethods,
};
