/**
 * What every QIX method table shares: the call context, the table shape, and helpers to read
 * the handle a call is on and to answer object-returning methods (`qReturn`). Parameter names
 * and order follow the engine schema, so positional and named params both work.
 */
import type { LoadedApp } from './app.ts';
import { objectType } from './app.ts';
import type { Field } from './data-model.ts';
import { applyPatchOperation, cloneJson, getAtPointer, isRecord, type JsonObject } from './json.ts';
import { containerEntry } from './layout.ts';
import { HANDLE_TYPES, type LibraryItem, type LibraryKind } from './library.ts';
import { ErrorCode, type Params, QixError } from './rpc.ts';
import { DOC_HANDLE, type EngineSession } from './session.ts';

export interface CallContext {
  session: EngineSession;
  handle: number;
  /** Apps this session's user may open (for GetDocList). */
  listApps(): LoadedApp[];
  /** Keeps an export's bytes and returns the URL it is served at (ExportData); `serveOnce` drops it after one download. */
  storeExport?(file: { name: string; contentType: string; body: Buffer }, serveOnce: boolean): string;
}

export type Result = Record<string, unknown>;

export interface MethodDef {
  params: readonly string[];
  run(ctx: CallContext, p: Params): Result;
}

export type MethodTable = Record<string, MethodDef>;

export const NOT_FOUND = { qType: null, qHandle: null };

export function docReturn(session: EngineSession): Result {
  return { qReturn: { qType: 'Doc', qHandle: DOC_HANDLE, qGenericId: session.app.id } };
}

export function objectReturn(session: EngineSession, id: string): Result {
  const handle = session.objectHandle(id);
  const properties = session.properties(id);
  if (handle === undefined || !properties) return { qReturn: NOT_FOUND };
  return { qReturn: { qType: 'GenericObject', qHandle: handle, qGenericType: objectType(properties), qGenericId: id } };
}

export function libraryReturn(session: EngineSession, kind: LibraryKind, id: string | undefined): Result {
  const handle = id === undefined ? undefined : session.libraryHandle(kind, id);
  if (handle === undefined || id === undefined) return { qReturn: NOT_FOUND };
  return { qReturn: { qType: HANDLE_TYPES[kind], qHandle: handle, qGenericType: kind, qGenericId: id } };
}

/**
 * The object on the call's handle: its own properties, and the effective ones (with
 * `qExtendsId` resolved) that layouts, data and selections are computed from.
 */
export function objectOf(ctx: CallContext): { id: string; properties: JsonObject; effective: JsonObject } {
  const entry = ctx.session.handles.get(ctx.handle);
  const properties = entry?.kind === 'GenericObject' ? ctx.session.properties(entry.id) : undefined;
  if (entry?.kind !== 'GenericObject' || !properties) throw new QixError(ErrorCode.GENERIC_NOT_FOUND, 'Object not found', 'handle');
  return { id: entry.id, properties, effective: ctx.session.effectiveProperties(entry.id) ?? properties };
}

export function fieldOf(ctx: CallContext): { field: Field; stateName: string } {
  const entry = ctx.session.handles.get(ctx.handle);
  if (entry?.kind !== 'Field') throw new QixError(ErrorCode.GENERIC_NOT_FOUND, 'Field not found', 'handle');
  return { field: entry.field, stateName: entry.stateName };
}

/** The library item on the call's handle. */
export function libraryItemOf(ctx: CallContext): { kind: LibraryKind; item: LibraryItem } {
  const entry = ctx.session.handles.get(ctx.handle);
  const kind = entry && 'libraryKind' in entry ? entry.libraryKind : undefined;
  const item = kind && entry && 'id' in entry ? ctx.session.library.get(kind, entry.id) : undefined;
  if (!kind || !item) throw new QixError(ErrorCode.GENERIC_NOT_FOUND, 'Library item not found', 'handle');
  return { kind, item };
}

/** The `…Def` at `qPath` in an object's properties, checked to be of the expected kind. */
export function defAt(properties: JsonObject, path: string, kind: 'qHyperCubeDef' | 'qListObjectDef'): JsonObject {
  const def = path.endsWith(`/${kind}`) ? getAtPointer(properties, path) : undefined;
  if (!isRecord(def)) throw new QixError(ErrorCode.GENERIC_INVALID_PATH, `Invalid path: no ${kind} at ${path || '""'}`, 'qPath');
  return def;
}

export function integers(values: unknown[], parameter: string): number[] {
  if (!values.every((v): v is number => typeof v === 'number' && Number.isInteger(v))) {
    throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, `Invalid method parameter(s): ${parameter} must hold integers`, parameter);
  }
  return values;
}

export function strings(values: unknown[], parameter: string): string[] {
  if (!values.every((v): v is string => typeof v === 'string')) {
    throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, `Invalid method parameter(s): ${parameter} must hold strings`, parameter);
  }
  return values;
}

export function entriesOf(ctx: CallContext, ids: string[], data: unknown): JsonObject[] {
  return ids.flatMap((id): JsonObject[] => {
    const entry = containerEntry(ctx.session, id, data);
    return entry ? [entry] : [];
  });
}

export function infosOf(ctx: CallContext, ids: string[]): JsonObject[] {
  return ids.flatMap((id) => {
    const p = ctx.session.properties(id);
    return p ? [{ qId: id, qType: objectType(p) }] : [];
  });
}

/** Properties with `qPatches` (NxPatch: qOp, qPath, qValue as JSON text) applied. */
export function patched(properties: JsonObject, patches: unknown[]): JsonObject {
  let next: unknown = cloneJson(properties);
  for (const patch of patches) {
    if (!isRecord(patch) || typeof patch.qPath !== 'string' || typeof patch.qOp !== 'string') {
      throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, 'Invalid method parameter(s): a patch needs qOp and qPath', 'qPatches');
    }
    const op = patch.qOp.toLowerCase();
    if (op !== 'add' && op !== 'replace' && op !== 'remove') throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, `Invalid method parameter(s): unknown qOp ${patch.qOp}`, 'qPatches');
    try {
      const value = op === 'remove' ? undefined : JSON.parse(typeof patch.qValue === 'string' ? patch.qValue : 'null');
      next = applyPatchOperation(next, op, patch.qPath, value);
    } catch (err) {
      throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, `Invalid method parameter(s): ${(err as Error).message}`, 'qPatches');
    }
  }
  if (!isRecord(next)) throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, 'Invalid method parameter(s): properties must stay an object', 'qPatches');
  return next;
}

/** A created object's `qInfo` out-parameter. */
export function infoOf(properties: JsonObject): JsonObject {
  return cloneJson(isRecord(properties.qInfo) ? properties.qInfo : {});
}
