/**
 * Bookmarks store selections per state and restore them: captured by CreateBookmark, applied
 * by ApplyBookmark / GenericBookmark.Apply. Values are kept by text (numbers by number), so a
 * bookmark survives a reload that renumbers a field's values, as in the engine.
 */
import type { DataModel, Field } from './data-model.ts';
import { isRecord, type JsonObject } from './json.ts';
import type { BookmarkField, BookmarkSelections, LibraryItem } from './library.ts';
import { meta } from './layout.ts';
import { SelectionState } from './selection.ts';
import type { EngineSession } from './session.ts';

export function captureSelections(session: EngineSession): BookmarkSelections {
  const out: BookmarkSelections = {};
  for (const [name, history] of session.states.entries()) {
    const state = history.current;
    out[name] = [...state.selections].map(([index, values]): BookmarkField => {
      const field = session.app.model.fields[index] as Field;
      const locked = state.locked.has(index);
      return {
        field: field.name,
        values: [...values].map((v) => {
          const value = field.values[v] as { text: string; num: number };
          return field.isNumeric && !field.tags.includes('$text') ? value.num : value.text;
        }),
        ...(locked ? { locked } : {}),
      };
    });
  }
  return out;
}

function stateFrom(model: DataModel, fields: readonly BookmarkField[]): SelectionState {
  const selections = new Map<number, Set<number>>();
  const locked = new Set<number>();
  for (const entry of fields) {
    const field = model.field(entry.field);
    if (!field) continue;
    const chosen = new Set<number>();
    for (const wanted of entry.values) field.values.forEach((value, i) => (typeof wanted === 'number' ? value.num === wanted : value.text === wanted) && chosen.add(i));
    if (chosen.size > 0) selections.set(field.index, chosen);
    if (entry.locked && chosen.size > 0) locked.add(field.index);
  }
  return new SelectionState(model, selections, locked);
}

/** Applies a bookmark's selections to each state it stores that the session has. */
export function applyBookmark(session: EngineSession, item: LibraryItem): boolean {
  let applied = false;
  for (const [name, fields] of Object.entries(item.selections)) {
    if (!session.states.has(name)) continue;
    session.selections.replaceState(name, stateFrom(session.app.model, fields));
    applied = true;
  }
  return applied || Object.keys(item.selections).length === 0;
}

/** NxBookmark: the stored selections as `qStateData`. */
function nxBookmark(item: LibraryItem): JsonObject {
  return {
    qStateData: Object.entries(item.selections).map(([name, fields]) => ({
      qStateName: name,
      qFieldItems: fields.map((entry) => ({
        qDef: { qName: entry.field, qType: 'PRESENT' },
        qLocked: entry.locked === true,
        qSelectInfo: { qTextSearch: '', qRangeLo: 'NaN', qRangeHi: 'NaN', qNumberFormat: {}, qRangeInfo: [], qSoftLock: false, qContinuousRangeInfo: [], qSelectFieldSearch: false },
        qValues: entry.values.map((v) => (typeof v === 'number' ? { qText: String(v), qIsNumeric: true, qNumber: v } : { qText: v, qIsNumeric: false, qNumber: 'NaN' })),
        qExcludedValues: [],
        qAndMode: false,
        qOneAndOnlyOne: false,
      })),
    })),
    qUtcModifyTime: item.modified / 86_400_000 + 25_569,
    qVariableItems: [],
    qPatches: [],
  };
}

export function bookmarkLayout(item: LibraryItem): JsonObject {
  const { qInfo, qMetaDef, ...rest } = item.properties;
  void qMetaDef;
  const qFieldInfos = Object.values(item.selections)
    .flat()
    .map((entry) => ({ qFieldName: entry.field, qValuesCount: entry.values.length, qExcludedValuesCount: 0 }));
  return { ...rest, qInfo, qMeta: meta(item.properties), qBookmark: nxBookmark(item), qFieldInfos };
}

/** Bookmark properties for CreateBookmark: the client's, with a creation date if missing. */
export function bookmarkProperties(properties: JsonObject): JsonObject {
  const info = isRecord(properties.qInfo) ? properties.qInfo : {};
  return { ...properties, qInfo: { ...info, qType: typeof info.qType === 'string' && info.qType ? info.qType : 'bookmark' }, creationDate: properties.creationDate ?? new Date().toISOString() };
}

