/** What an app is to the engine: data plus the generic objects defined on it. */
import { DataModel, type TableInput } from './data-model.ts';
import type { JsonObject } from './json.ts';
import type { AppLibrary } from './library.ts';

export interface AppObjectDef {
  /** Generic object properties, with `qInfo: { qId, qType }`. */
  properties: JsonObject;
  /** Ids of child objects (a filter pane's list boxes). A sheet's children are its `cells`. */
  children?: readonly string[];
}

export interface SampleApp {
  id: string;
  title: string;
  description: string;
  /** ISO time of the (simulated) last reload. */
  lastReloadTime: string;
  /** Builds the app's data table. Called once, when the engine starts. */
  load(): TableInput;
  objects: readonly AppObjectDef[];
  /** Master dimensions and measures, variables and bookmarks. */
  library?: AppLibrary;
}

/** An app with its data loaded and its objects indexed. */
export class LoadedApp {
  readonly def: SampleApp;
  readonly model: DataModel;
  readonly objects: ReadonlyMap<string, AppObjectDef>;
  readonly parents: ReadonlyMap<string, string>;

  constructor(def: SampleApp) {
    this.def = def;
    this.model = new DataModel(def.load());
    const objects = new Map<string, AppObjectDef>();
    const parents = new Map<string, string>();
    for (const object of def.objects) {
      const id = objectId(object.properties);
      if (!id) throw new TypeError(`app ${def.id}: an object lacks qInfo.qId`);
      if (objects.has(id)) throw new TypeError(`app ${def.id}: duplicate object id ${id}`);
      objects.set(id, object);
      for (const child of object.children ?? []) parents.set(child, id);
    }
    this.objects = objects;
    this.parents = parents;
  }

  get id(): string {
    return this.def.id;
  }
}

export function objectId(properties: JsonObject): string | undefined {
  const info = properties.qInfo;
  return typeof info === 'object' && info !== null && 'qId' in info && typeof info.qId === 'string' && info.qId ? info.qId : undefined;
}

export function objectType(properties: JsonObject): string {
  const info = properties.qInfo;
  return typeof info === 'object' && info !== null && 'qType' in info && typeof info.qType === 'string' ? info.qType : '';
}
