/**
 * One engine session: a user's view of one app (per identity). It owns the handles, the
 * selection state and its history, and the session's own objects. Sockets come and go; a
 * session outlives them by its TTL, so a reconnect attaches with every handle still valid.
 */
import { randomBytes } from 'node:crypto';
import { type LoadedApp, objectType } from './app.ts';
import type { Field } from './data-model.ts';
import { readHyperCubeDef, readListObjectDef } from './definitions.ts';
import { type CubeResult, computeHyperCube } from './hypercube.ts';
import { cloneJson, isRecord, type JsonObject } from './json.ts';
import { type LayoutSource, type ObjectView, dependsOnSelections } from './layout.ts';
import { computeListObject, searchMatcher, type ListResult } from './list-object.ts';
import { SelectionHistory, SelectionState } from './selection.ts';

export type HandleEntry = { kind: 'Doc' } | { kind: 'GenericObject'; id: string } | { kind: 'Field'; field: Field };

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
}

interface Modal {
  handle: number;
  /** Whether a history step was recorded for this modal session yet. */
  pushed: boolean;
}

export const DOC_HANDLE = 1;

export class EngineSession implements LayoutSource {
  readonly key: string;
  readonly app: LoadedApp;
  readonly user: EngineSessionUser;
  readonly identity: string;
  readonly peers = new Set<SessionPeer>();
  ttlMs: number;
  expiry: NodeJS.Timeout | undefined;
  docOpen = false;
  /** Handles whose layouts changed or that closed since the last flush. */
  readonly pendingChanges = new Set<number>();
  readonly pendingCloses = new Set<number>();
  readonly handles = new Map<number, HandleEntry>();

  #nextHandle = DOC_HANDLE + 1;
  readonly #objectHandles = new Map<string, number>();
  readonly #fieldHandles = new Map<number, number>();
  readonly #overrides = new Map<string, ObjectOverride>();
  readonly #history: SelectionHistory;
  #modal: Modal | undefined;
  readonly #searches = new Map<string, Map<string, string>>();
  readonly #cubes = new Map<string, { version: number; state: SelectionState; cube: CubeResult }>();

  constructor(key: string, app: LoadedApp, user: EngineSessionUser, identity: string, ttlMs: number) {
    this.key = key;
    this.app = app;
    this.user = user;
    this.identity = identity;
    this.ttlMs = ttlMs;
    this.#history = new SelectionHistory(new SelectionState(app.model));
  }

  // ---- LayoutSource

  get state(): SelectionState {
    return this.#history.current;
  }

  get backCount(): number {
    return this.#history.backCount;
  }

  get forwardCount(): number {
    return this.#history.forwardCount;
  }

  properties(id: string): JsonObject | undefined {
    return this.#overrides.get(id)?.properties ?? this.app.objects.get(id)?.properties;
  }

  childIds(id: string): string[] {
    const properties = this.properties(id);
    if (!properties) return [];
    let ids: string[];
    if (objectType(properties) === 'sheet' && Array.isArray(properties.cells)) {
      ids = properties.cells.flatMap((cell: unknown) =>
        typeof cell === 'object' && cell !== null && 'name' in cell && typeof cell.name === 'string' ? [cell.name] : [],
      );
    } else {
      ids = [...(this.app.objects.get(id)?.children ?? [])];
    }
    return [...new Set(ids)].filter((child) => this.properties(child) !== undefined);
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
    const ids = [...this.app.objects.keys()];
    if (includeSessionObjects) for (const [id, o] of this.#overrides) if (o.isSessionObject) ids.push(id);
    return ids;
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

  fieldHandle(field: Field): number {
    let handle = this.#fieldHandles.get(field.index);
    if (handle === undefined) {
      handle = this.#nextHandle++;
      this.#fieldHandles.set(field.index, handle);
      this.handles.set(handle, { kind: 'Field', field });
    }
    return handle;
  }

  openDoc(): void {
    this.docOpen = true;
    this.handles.set(DOC_HANDLE, { kind: 'Doc' });
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

  createSessionObject(properties: JsonObject): string {
    const info = typeof properties.qInfo === 'object' && properties.qInfo !== null ? (properties.qInfo as JsonObject) : {};
    const id = typeof info.qId === 'string' && info.qId ? info.qId : randomBytes(6).toString('base64url');
    const copy = cloneJson(properties);
    copy.qInfo = { ...info, qId: id, qType: typeof info.qType === 'string' ? info.qType : '' };
    this.#overrides.set(id, { properties: copy, isSessionObject: true, version: 1 });
    return id;
  }

  /** Replaces an object's properties (for app objects, in this session only). */
  setProperties(id: string, properties: JsonObject): void {
    const current = this.properties(id);
    if (!current) return;
    const copy = cloneJson(properties);
    copy.qInfo = cloneJson(current.qInfo);
    const previous = this.#overrides.get(id);
    this.#overrides.set(id, { properties: copy, isSessionObject: previous?.isSessionObject ?? false, version: (previous?.version ?? 0) + 1 });
    this.#invalidate(id);
  }

  destroySessionObject(id: string): boolean {
    if (!this.isSessionObject(id)) return false;
    this.#overrides.delete(id);
    this.#searches.delete(id);
    for (const key of this.#cubes.keys()) if (key.startsWith(`${id}|`)) this.#cubes.delete(key);
    const handle = this.#objectHandles.get(id);
    if (handle !== undefined) {
      this.#objectHandles.delete(id);
      this.handles.delete(handle);
      this.pendingCloses.add(handle);
      if (this.#modal?.handle === handle) this.#modal = undefined;
    }
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
      inSelections: this.#modal?.handle === handle,
      cube: (path, def) => this.cube(id, path, def),
      list: (path, def) => this.list(id, path, def),
    };
  }

  /** A hypercube, cached until the object's properties or the selections change. */
  cube(id: string, path: string, def: JsonObject): CubeResult {
    const key = `${id}|${path}`;
    const version = this.version(id);
    const cached = this.#cubes.get(key);
    if (cached && cached.version === version && cached.state === this.state) return cached.cube;
    const cube = computeHyperCube(this.app.model, this.state, readHyperCubeDef(def));
    this.#cubes.set(key, { version, state: this.state, cube });
    return cube;
  }

  list(id: string, path: string, def: JsonObject): ListResult {
    return computeListObject(this.app.model, this.state, readListObjectDef(def), this.#searches.get(id)?.get(path));
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

  // ---- selections

  /**
   * Changes one field's selection. `replace` sets it, `toggle` flips each value, `add` adds.
   * If the result would exclude every row, the other fields' selections are dropped, as the
   * engine does when an excluded value is picked. Returns whether anything changed.
   */
  selectValues(field: Field, values: Iterable<number>, mode: 'replace' | 'toggle' | 'add', origin?: number): boolean {
    this.#closeOtherModal(origin);
    const own = this.state.selected(field) ?? new Set<number>();
    const valid = [...values].filter((v) => Number.isInteger(v) && v >= 0 && v < field.cardinal);
    let next: Set<number>;
    if (mode === 'replace') next = new Set(valid);
    else {
      next = new Set(own);
      for (const v of valid) {
        if (mode === 'toggle' && next.has(v)) next.delete(v);
        else next.add(v);
      }
    }
    let state = this.state.with(field, next);
    if (!state.isEmpty && state.includedRowCount === 0) state = state.only(field);
    return this.#commit(state, origin);
  }

  /** Values of `field` matching a QIX search string (`Select`/`ToggleSelect` on a field). */
  matchValues(field: Field, match: string): number[] {
    const numeric = /^\s*(>=|<=|>|<|=)?\s*(-?\d+(?:\.\d+)?)\s*$/.exec(match);
    const out: number[] = [];
    if (numeric && numeric[1]) {
      const [, op, n] = numeric;
      const target = Number(n);
      field.values.forEach((value, i) => {
        const x = value.num;
        if (Number.isNaN(x)) return;
        if ((op === '>' && x > target) || (op === '<' && x < target) || (op === '>=' && x >= target) || (op === '<=' && x <= target) || (op === '=' && x === target)) out.push(i);
      });
      return out;
    }
    const wildcard = /[*?]/.test(match);
    const test = wildcard ? searchMatcher(match) : undefined;
    const lower = match.toLowerCase();
    const asNumber = match.trim() !== '' ? Number(match) : Number.NaN;
    field.values.forEach((value, i) => {
      if (test ? test(value.text) : value.text.toLowerCase() === lower || value.num === asNumber) out.push(i);
    });
    return out;
  }

  clearAll(): boolean {
    this.#closeOtherModal(undefined);
    return this.#commit(new SelectionState(this.app.model), undefined);
  }

  back(): boolean {
    this.#closeOtherModal(undefined);
    if (!this.#history.back()) return false;
    this.#selectionsChanged();
    return true;
  }

  forward(): boolean {
    this.#closeOtherModal(undefined);
    if (!this.#history.forward()) return false;
    this.#selectionsChanged();
    return true;
  }

  beginSelections(handle: number): void {
    this.#closeOtherModal(handle);
    if (this.#modal?.handle === handle) return;
    this.#modal = { handle, pushed: false };
    this.pendingChanges.add(handle);
  }

  /** Ends a modal selection session: keeps the selections (accept) or returns to before it. */
  endSelections(accept: boolean): void {
    const modal = this.#modal;
    if (!modal) return;
    this.#modal = undefined;
    this.pendingChanges.add(modal.handle);
    if (!accept && modal.pushed) {
      this.#history.discardCurrent();
      this.#selectionsChanged();
    }
  }

  #closeOtherModal(origin: number | undefined): void {
    if (this.#modal && this.#modal.handle !== origin) this.endSelections(true);
  }

  #commit(state: SelectionState, origin: number | undefined): boolean {
    if (state.equals(this.state)) return false;
    const modal = this.#modal;
    if (modal && modal.handle === origin) {
      if (modal.pushed) this.#history.replaceCurrent(state);
      else {
        this.#history.push(state);
        modal.pushed = true;
      }
    } else {
      this.#history.push(state);
    }
    this.#selectionsChanged();
    return true;
  }

  /** Every open object whose layout reads the selections is now invalid, and so is the app layout. */
  #selectionsChanged(): void {
    for (const [handle, entry] of this.handles) {
      if (entry.kind === 'Doc') this.pendingChanges.add(handle);
      else if (entry.kind === 'GenericObject' && dependsOnSelections(this.effectiveProperties(entry.id))) this.pendingChanges.add(handle);
    }
  }
}
