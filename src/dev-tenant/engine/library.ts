/**
 * An app's library: master dimensions and measures, variables and bookmarks, in the property
 * shapes the engine stores them (`GenericDimensionProperties`, `GenericMeasureProperties`,
 * `GenericVariableProperties`, `GenericBookmarkProperties`). A session works on its own copy:
 * what it creates or changes lives as long as the session, as the dev tenant persists nothing.
 */
import { randomBytes } from 'node:crypto';
import { cloneJson, isRecord, type JsonObject } from './json.ts';
import { ErrorCode, QixError } from './rpc.ts';

export type LibraryKind = 'dimension' | 'measure' | 'variable' | 'bookmark';

/** The handle type (`qType` of a `qReturn`) of each kind. */
export const HANDLE_TYPES = { dimension: 'GenericDimension', measure: 'GenericMeasure', variable: 'GenericVariable', bookmark: 'GenericBookmark' } as const;
export type LibraryHandleType = (typeof HANDLE_TYPES)[LibraryKind];

/** One field's selection in a bookmark: values by text, numbers for numeric values. */
export interface BookmarkField {
  field: string;
  values: Array<string | number>;
  locked?: boolean;
}

/** A bookmark's selections per state name (`$` is the default state). */
export type BookmarkSelections = Record<string, BookmarkField[]>;

export interface LibraryItemDef {
  properties: JsonObject;
  /** Bookmarks only: the selections the bookmark restores. */
  selections?: BookmarkSelections;
}

export interface AppLibrary {
  dimensions?: readonly LibraryItemDef[];
  measures?: readonly LibraryItemDef[];
  variables?: readonly LibraryItemDef[];
  bookmarks?: readonly LibraryItemDef[];
}

export interface LibraryItem {
  id: string;
  properties: JsonObject;
  /** Created with CreateSession… (not part of the app). */
  isSession: boolean;
  /** Defined by the app (as by its load script), not by this session. */
  fromApp: boolean;
  selections: BookmarkSelections;
  modified: number;
}

function idOf(properties: JsonObject): string {
  return isRecord(properties.qInfo) && typeof properties.qInfo.qId === 'string' ? properties.qInfo.qId : '';
}

export class SessionLibrary {
  readonly #items: Record<LibraryKind, Map<string, LibraryItem>> = { dimension: new Map(), measure: new Map(), variable: new Map(), bookmark: new Map() };
  /** Bumped on every change, so cached hypercubes that resolved library items or variables recompute. */
  version = 0;

  constructor(app: AppLibrary | undefined) {
    const load = (kind: LibraryKind, defs: readonly LibraryItemDef[] | undefined): void => {
      for (const def of defs ?? []) this.create(kind, def.properties, { isSession: false, fromApp: true, selections: def.selections ?? {} });
    };
    load('dimension', app?.dimensions);
    load('measure', app?.measures);
    load('variable', app?.variables);
    load('bookmark', app?.bookmarks);
  }

  get(kind: LibraryKind, id: string): LibraryItem | undefined {
    return this.#items[kind].get(id);
  }

  list(kind: LibraryKind): LibraryItem[] {
    return [...this.#items[kind].values()];
  }

  variableByName(name: string): LibraryItem | undefined {
    for (const item of this.#items.variable.values()) if (item.properties.qName === name) return item;
    return undefined;
  }

  /** The text a `$(name)` expands to: the variable's definition; undefined for no such variable. */
  variableText(name: string): string | undefined {
    const def = this.variableByName(name)?.properties.qDefinition;
    return def === undefined ? undefined : typeof def === 'string' ? def : String(def);
  }

  create(kind: LibraryKind, properties: JsonObject, options: { isSession: boolean; fromApp?: boolean; selections?: BookmarkSelections }): LibraryItem {
    const copy = cloneJson(properties);
    const info = isRecord(copy.qInfo) ? copy.qInfo : {};
    const id = idOf(copy) || randomBytes(6).toString('base64url');
    if (this.#items[kind].has(id)) throw new QixError(ErrorCode.GENERIC_ALREADY_EXISTS, `A ${kind} with id ${id} already exists`, 'qProp');
    if (kind === 'variable') {
      const name = copy.qName;
      if (typeof name !== 'string' || name.trim() === '') throw new QixError(18000, 'A variable needs a name (qName)', 'qProp');
      if (this.variableByName(name)) throw new QixError(18001, `A variable named ${name} already exists`, 'qProp');
      copy.qDefinition = typeof copy.qDefinition === 'string' ? copy.qDefinition : '';
    }
    copy.qInfo = { ...info, qId: id, qType: typeof info.qType === 'string' && info.qType ? info.qType : kind };
    const item: LibraryItem = { id, properties: copy, isSession: options.isSession, fromApp: options.fromApp ?? false, selections: options.selections ?? {}, modified: Date.now() };
    this.#items[kind].set(id, item);
    this.version += 1;
    return item;
  }

  setProperties(kind: LibraryKind, id: string, properties: JsonObject): void {
    const item = this.#required(kind, id);
    const copy = cloneJson(properties);
    copy.qInfo = cloneJson(item.properties.qInfo);
    if (kind === 'variable') {
      const name = copy.qName;
      if (typeof name !== 'string' || name.trim() === '') throw new QixError(18000, 'A variable needs a name (qName)', 'qProp');
      const other = this.variableByName(name);
      if (other && other !== item) throw new QixError(18001, `A variable named ${name} already exists`, 'qProp');
      if (typeof copy.qDefinition !== 'string') copy.qDefinition = '';
    }
    item.properties = copy;
    item.modified = Date.now();
    this.version += 1;
  }

  destroy(kind: LibraryKind, id: string): boolean {
    const removed = this.#items[kind].delete(id);
    if (removed) this.version += 1;
    return removed;
  }

  #required(kind: LibraryKind, id: string): LibraryItem {
    const item = this.#items[kind].get(id);
    if (!item) throw new QixError(ErrorCode.GENERIC_NOT_FOUND, `${kind} not found: ${id}`, 'qId');
    return item;
  }
}

/**
 * A hypercube definition with `qLibraryId` references replaced by the master item's definition,
 * as the engine resolves them. An unknown id stays, and the cube reports it as an error.
 */
export function resolveLibraryRefs(def: JsonObject, library: SessionLibrary): JsonObject {
  const resolve = (entries: unknown, kind: 'dimension' | 'measure'): unknown => {
    if (!Array.isArray(entries)) return entries;
    return entries.map((entry: unknown) => {
      if (!isRecord(entry) || typeof entry.qLibraryId !== 'string' || entry.qLibraryId === '') return entry;
      const item = library.get(kind, entry.qLibraryId);
      if (!item) return entry;
      const own = isRecord(entry.qDef) ? entry.qDef : {};
      if (kind === 'dimension') {
        const qDim = isRecord(item.properties.qDim) ? item.properties.qDim : {};
        const labels = Array.isArray(qDim.qFieldLabels) && qDim.qFieldLabels.some((l) => typeof l === 'string' && l) ? qDim.qFieldLabels : [typeof qDim.title === 'string' ? qDim.title : ''];
        return { ...entry, qDef: { ...own, qFieldDefs: qDim.qFieldDefs ?? [], qFieldLabels: labels, qGrouping: qDim.qGrouping ?? 'N' }, resolvedLibraryId: entry.qLibraryId, qLibraryId: '' };
      }
      const qMeasure = isRecord(item.properties.qMeasure) ? item.properties.qMeasure : {};
      return {
        ...entry,
        qDef: { ...own, qDef: qMeasure.qDef ?? '', qLabel: qMeasure.qLabel ?? '', ...(qMeasure.qNumFormat ? { qNumFormat: qMeasure.qNumFormat } : {}) },
        resolvedLibraryId: entry.qLibraryId,
        qLibraryId: '',
      };
    });
  };
  return { ...def, qDimensions: resolve(def.qDimensions, 'dimension'), qMeasures: resolve(def.qMeasures, 'measure') };
}

/** A list object definition with `qLibraryId` replaced by the master dimension's fields, as the engine resolves it. */
export function resolveListLibraryRef(def: JsonObject, library: SessionLibrary): JsonObject {
  if (typeof def.qLibraryId !== 'string' || def.qLibraryId === '') return def;
  const qDim = library.get('dimension', def.qLibraryId)?.properties.qDim;
  if (!isRecord(qDim)) return def;
  const own = isRecord(def.qDef) ? def.qDef : {};
  return { ...def, qDef: { ...own, qFieldDefs: qDim.qFieldDefs ?? [], qFieldLabels: qDim.qFieldLabels ?? [] } };
}
