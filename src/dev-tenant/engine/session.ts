/**
 * One engine session: a user's view of one app (per identity). It owns the handles, the
 * selection states and their history, the session's own objects and its copy of the app's
 * library. Sockets come and go; a session outlives them by its TTL, so a reconnect attaches
 * with every handle still valid.
 */
import { randomBytes } from 'node:crypto';
import { type LoadedApp, objectType } from './app.ts';
import type { Field } from './data-model.ts';
import { readHyperCubeDef, readListObjectDef } from './definitions.ts';
import { expandDollars, setSelection, type SetExpr } from './expression.ts';
import { type CubeEnv, type CubeResult, computeHyperCube } from './hypercube.ts';
import { cloneJson, isRecord, type JsonObject } from './json.ts';
import { type LayoutSource, type ObjectView, dependsOnSelections, evaluateScalar } from './layout.ts';
import { HANDLE_TYPES, type LibraryHandleType, type LibraryKind, SessionLibrary, resolveLibraryRefs, resolveListLibraryRef } from './library.ts';
import { computeListObject, type ListResult } from './list-object.ts';
import { SelectionState } from './selection.ts';
import { SelectionControl } from './selection-control.ts';
import { DEFAULT_STATE, type SelectionStates, stateKey } from './states.ts';

export type HandleEntry =
  | { kind: 'Doc' }
  | { kind: 'GenericObject'; id: string }
  | { kind: 'Field'; field: Field; stateName: string }
  | { kind: LibraryHandleType; libraryKind: LibraryKind; id: string };

export interface EngineSessionUser {
  id: string;
  subject: string;
  name: string;
  email?: string;
}

/** Anything that can receive a message pushed by the session (a socket). */
export interface SessionPeer {
  push(message: JsonObject): void;
}

interface ObjectOverride {
  properties: JsonObject;
  isSessionObject: boolean;
  version: number;
  /** Set for a child made with CreateChild (or SetFullPropertyTree). */
  parentId?: string;
}

export const DOC_HANDLE = 1;

export class EngineSession implements LayoutSource {
  readonly key: string;
  readonly app: LoadedApp;
  readonly user: EngineSessionUser;
  readonly identity: string;
  readonly peers = new Set<SessionPeer>();
  readonly selections: SelectionControl;
  readonly library: SessionLibrary;
  ttlMs: number;
  expiry: NodeJS.Timeout | undefined;
  docOpen = false;
  /** Handles whose layouts changed or that closed since the last flush. */
  readonly pendingChanges = new Set<number>();
  readonly pendingCloses = new Set<number>();
  readonly handles = new Map<number, HandleEntry>();

  #nextHandle = DOC_HANDLE + 1;
  readonly #objectHandles = new Map<string, number>();
  readonly #otherHandles = new Map<string, number>();
  readonly #overrides = new Map<string, ObjectOverride>();
  /** App objects destroyed in this session (DestroyObject). */
  readonly #removed = new Set<string>();
  readonly #searches = new Map<string, Map<string, string>>();
  readonly #cubes = new Map<string, { version: string; state: SelectionState; cube: CubeResult }>();

  constructor(key: string, app: LoadedApp, user: EngineSessionUser, identity: string, ttlMs: number) {
    this.key = key;
    this.app = app;
    this.user = user;
    this.identity = identity;
    this.ttlMs = ttlMs;
    this.selections = new SelectionControl(app.model, {
      changed: () => this.#selectionsChanged(),
      touch: (handle) => this.pendingChanges.add(handle),
    });
    this.library = new SessionLibrary(app.def.library);
  }

  // ---- LayoutSource

  /** The default state's current selections. */
  get states(): SelectionStates {
    return this.selections.states;
  }

  get state(): SelectionState {
    return this.states.current(DEFAULT_STATE);
  }

  stateOf(name: string | undefined): SelectionState {
    return this.states.current(name);
  }

  get backCount(): number {
    return this.states.history(DEFAULT_STATE).backCount;
  }

  get forwardCount(): number {
    return this.states.history(DEFAULT_STATE).forwardCount;
  }

  properties(id: string): JsonObject | undefined {
    if (this.#removed.has(id)) return undefined;
    return this.#overrides.get(id)?.properties ?? this.app.objects.get(id)?.properties;
  }

  childIds(id: string): string[] {
    const properties = this.properties(id);
    if (!properties) return [];
    let ids: string[];
    if (objectType(properties) === 'sheet' && Array.isArray(properties.cells)) {
      ids = properties.cells.flatMap((cell: unknown) => (isRecord(cell) && typeof cell.name === 'string' ? [cell.name] : []));
    } else {
      ids = [...(this.app.objects.get(id)?.children ?? [])];
      for (const [other, o] of this.#overrides) if (o.parentId === id) ids.push(other);
    }
    return [...new Set(ids)].filter((child) => this.properties(child) !== undefined);
  }

  parentId(id: string): string | undefined {
    return this.#removed.has(id) ? undefined : (this.#overrides.get(id)?.parentId ?? this.app.parents.get(id));
  }

  /** Properties with `qExtendsId` resolved: the base object's, overlaid by the object's own. */
  effectiveProperties(id: string, depth = 0): JsonObject | undefined {
    const own = this.properties(id);
    const baseId = own?.qExtendsId;
    if (!own || typeof baseId !== 'string' || !baseId || depth > 8) return own;
    const base = this.effectiveProperties(baseId, depth + 1);
    if (!base) return own;
    const merge = (a: unknown, b: unknown): unknown => {
      if (!isRecord(a) || !isRecord(b)) return b === undefined ? a : b;
      const out: JsonObject = { ...a };
      for (const [k, v] of Object.entries(b)) out[k] = merge(a[k], v);
      return out;
    };
    return merge(base, own) as JsonObject;
  }

  objectIds(includeSessionObjects: boolean): string[] {
    const ids = [...this.app.objects.keys()].filter((id) => !this.#removed.has(id));
    for (const [id, o] of this.#overrides) if (!this.app.objects.has(id) && (includeSessionObjects || !o.isSessionObject)) ids.push(id);
    return ids;
  }

  /** Expression context: `$(…)` from this session's variables, sets against its states. */
  env(stateName: string | undefined, base?: SelectionState): CubeEnv {
    const state = base ?? this.stateOf(stateName);
    return {
      state,
      setState: (set: SetExpr) => setSelection(set, this.app.model, state, (name) => this.stateOf(name)),
      expand: (text) => expandDollars(text, (name) => this.library.variableText(name), (expression) => evaluateScalar(this, expression, stateName).text),
    };
  }

  // ---- handles

  /** The handle for an object, opening one if needed; undefined when there is no such object. */
  objectHandle(id: string): number | undefined {
    if (!this.properties(id)) return undefined;
    let handle = this.#objectHandles.get(id);
    if (handle === undefined) {
      handle = this.#nextHandle++;
      this.#objectHandles.set(id, handle);
      this.handles.set(handle, { kind: 'GenericObject', id });
    }
    return handle;
  }

  #handleFor(key: string, entry: HandleEntry): number {
    let handle = this.#otherHandles.get(key);
    if (handle === undefined) {
      handle = this.#nextHandle++;
      this.#otherHandles.set(key, handle);
      this.handles.set(handle, entry);
    }
    return handle;
  }

  fieldHandle(field: Field, stateName = DEFAULT_STATE): number {
    const state = stateKey(stateName);
    this.states.history(state);
    return this.#handleFor(`field|${state}|${field.index}`, { kind: 'Field', field, stateName: state });
  }

  /** The handle of a library item (variable, bookmark, master dimension or measure); undefined if none. */
  libraryHandle(kind: LibraryKind, id: string): number | undefined {
    if (!this.library.get(kind, id)) return undefined;
    return this.#handleFor(`${kind}|${id}`, { kind: HANDLE_TYPES[kind], libraryKind: kind, id });
  }

  #closeHandle(key: string): void {
    const handle = this.#otherHandles.get(key);
    if (handle === undefined) return;
    this.#otherHandles.delete(key);
    this.handles.delete(handle);
    this.pendingCloses.add(handle);
  }

  openDoc(): void {
    this.docOpen = true;
    this.handles.set(DOC_HANDLE, { kind: 'Doc' });
  }

  // ---- library

  /** A library item changed: its handle, and everything whose expressions may read it. */
  libraryChanged(kind: LibraryKind, id: string): void {
    const handle = this.#otherHandles.get(`${kind}|${id}`);
    if (handle !== undefined) this.pendingChanges.add(handle);
    for (const [h, entry] of this.handles) if (entry.kind === 'Doc' || entry.kind === 'GenericObject') this.pendingChanges.add(h);
  }

  destroyLibraryItem(kind: LibraryKind, id: string): boolean {
    if (!this.library.destroy(kind, id)) return false;
    this.#closeHandle(`${kind}|${id}`);
    this.libraryChanged(kind, id);
    return true;
  }

  // ---- objects

  /** Changes whenever the object's effective properties may have (its own or its base's). */
  version(id: string, depth = 0): number {
    const own = this.#overrides.get(id)?.version ?? 0;
    const baseId = this.properties(id)?.qExtendsId;
    return typeof baseId === 'string' && baseId && depth < 8 ? own + this.version(baseId, depth + 1) : own;
  }

  isSessionObject(id: string): boolean {
    return this.#overrides.get(id)?.isSessionObject === true;
  }

  /** Creates an object (a session object unless `isSessionObject` is false); returns its id. */
  createObject(properties: JsonObject, isSessionObject = true, parentId?: string): string {
    const info = isRecord(properties.qInfo) ? properties.qInfo : {};
    const id = typeof info.qId === 'string' && info.qId ? info.qId : randomBytes(6).toString('base64url');
    const copy = cloneJson(properties);
    copy.qInfo = { ...info, qId: id, qType: typeof info.qType === 'string' ? info.qType : '' };
    this.#removed.delete(id);
    this.#overrides.set(id, { properties: copy, isSessionObject, version: (this.#overrides.get(id)?.version ?? 0) + 1, ...(parentId ? { parentId } : {}) });
    if (parentId) this.#invalidate(parentId);
    return id;
  }

  /** Replaces an object's properties (for app objects, in this session only). */
  setProperties(id: string, properties: JsonObject): void {
    const current = this.properties(id);
    if (!current) return;
    const copy = cloneJson(properties);
    copy.qInfo = cloneJson(current.qInfo);
    const previous = this.#overrides.get(id);
    this.#overrides.set(id, { properties: copy, isSessionObject: previous?.isSessionObject ?? false, version: (previous?.version ?? 0) + 1, ...(previous?.parentId ? { parentId: previous.parentId } : {}) });
    this.#invalidate(id);
  }

  /** Destroys an object and its children; session objects only when `sessionOnly`. */
  destroyObject(id: string, sessionOnly: boolean): boolean {
    if (!this.properties(id) || (sessionOnly && !this.isSessionObject(id))) return false;
    for (const child of this.childIds(id)) if (this.#overrides.get(child)?.parentId === id) this.destroyObject(child, false);
    const parent = this.parentId(id);
    this.#overrides.delete(id);
    if (this.app.objects.has(id)) this.#removed.add(id);
    this.#searches.delete(id);
    for (const key of this.#cubes.keys()) if (key.startsWith(`${id}|`)) this.#cubes.delete(key);
    const handle = this.#objectHandles.get(id);
    if (handle !== undefined) {
      this.#objectHandles.delete(id);
      this.handles.delete(handle);
      this.pendingCloses.add(handle);
      this.selections.forgetModal(handle);
    }
    if (parent) this.#invalidate(parent);
    return true;
  }

  /** The object's layout changed, and so did those of open objects that extend it. */
  #invalidate(id: string): void {
    const handle = this.#objectHandles.get(id);
    if (handle !== undefined) this.pendingChanges.add(handle);
    for (const [other, h] of this.#objectHandles) if (other !== id && this.properties(other)?.qExtendsId === id) this.pendingChanges.add(h);
  }

  /** The per-object hooks a layout needs: cached hypercubes, list objects with searches. */
  view(id: string, handle: number): ObjectView {
    return {
      inSelections: this.selections.modalHandle === handle,
      cube: (path, def) => this.cube(id, path, def),
      list: (path, def) => this.list(id, path, def),
    };
  }

  /** The state an object's `…Def` reads: its own `qStateName`, else the object's, else `$`. */
  stateNameFor(id: string, def: JsonObject): string {
    const own = typeof def.qStateName === 'string' ? def.qStateName : '';
    const root = this.effectiveProperties(id)?.qStateName;
    return stateKey(own || (typeof root === 'string' ? root : ''));
  }

  /** A hypercube, cached until the object's properties, the selections or the library change. */
  cube(id: string, path: string, def: JsonObject): CubeResult {
    const key = `${id}|${path}`;
    const stateName = this.stateNameFor(id, def);
    const state = this.stateOf(stateName);
    const version = `${this.version(id)}|${this.library.version}|${stateName}`;
    const cached = this.#cubes.get(key);
    if (cached && cached.version === version && cached.state === state) return cached.cube;
    const cube = computeHyperCube(this.app.model, readHyperCubeDef(resolveLibraryRefs(def, this.library)), this.env(stateName));
    this.#cubes.set(key, { version, state, cube });
    return cube;
  }

  /** A hypercube over all the data, as if nothing were selected (ExportData with EXPORT_ALL); not cached. */
  cubeOverAll(id: string, def: JsonObject): CubeResult {
    return computeHyperCube(this.app.model, readHyperCubeDef(resolveLibraryRefs(def, this.library)), this.env(this.stateNameFor(id, def), new SelectionState(this.app.model)));
  }

  list(id: string, path: string, def: JsonObject): ListResult {
    return computeListObject(this.app.model, this.stateOf(this.stateNameFor(id, def)), readListObjectDef(resolveListLibraryRef(def, this.library)), this.#searches.get(id)?.get(path));
  }

  // ---- searches in list objects

  setSearch(id: string, path: string, text: string | undefined): void {
    let searches = this.#searches.get(id);
    if (text === undefined) searches?.delete(path);
    else {
      if (!searches) {
        searches = new Map();
        this.#searches.set(id, searches);
      }
      searches.set(path, text);
    }
    this.#invalidate(id);
  }

  search(id: string, path: string): string | undefined {
    return this.#searches.get(id)?.get(path);
  }

  /** Every open object whose layout reads the selections is now invalid, and so is the app layout. */
  #selectionsChanged(): void {
    for (const [handle, entry] of this.handles) {
      if (entry.kind === 'Doc') this.pendingChanges.add(handle);
      else if (entry.kind === 'GenericObject' && dependsOnSelections(this.effectiveProperties(entry.id))) this.pendingChanges.add(handle);
      else if (entry.kind === 'GenericVariable') this.pendingChanges.add(handle);
    }
  }
}
