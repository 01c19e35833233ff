/**
 * The app API the elements expose (`select`, `search`, `clearField`, `back`, `applyBookmark`,
 * `setVariable`…), as plain functions on an enigma Doc, so pages without the elements (or with
 * their own enigma session) can use the same calls. Every function rejects with a typed error:
 * `TypeError` for a bad argument, `QlikApiError` for something the page can fix (an unknown
 * field, bookmark or variable), `EngineRequestError` for any other engine failure.
 */
import { EmbedKitError } from '../auth/errors.ts';
import { QlikApiError, toEngineRequestError } from './errors.ts';
import type { NxCurrentSelectionItem, QixDoc, QixField, SelectionObject } from './qix-types.ts';

/** A field value: a text, or a number for numeric fields (years, ids). */
export type FieldValue = string | number;

export interface StateOptions {
  /** An alternate state's name; default the app's default state. */
  state?: string;
}

export interface SelectOptions extends StateOptions {
  /** Toggle the values in or out of the field's selection instead of replacing it. */
  toggle?: boolean;
}

/** One field's selection, as `element.selections` lists them. */
export interface FieldSelection {
  field: string;
  /** The selected values' texts (the engine lists up to a few; `count` has them all). */
  values: string[];
  /** How many values are selected, and out of how many. */
  count: number;
  total: number;
  locked: boolean;
  /** The alternate state, when not the default. */
  state?: string;
}

/** A variable's value as the engine holds it. */
export interface VariableValue {
  name: string;
  /** The value's text. */
  text: string;
  /** The value as a number, or NaN when it is not numeric. */
  number: number;
}

/** enigma's OBJECT_NOT_FOUND: the engine answered a `Get…` with no handle. */
const OBJECT_NOT_FOUND = -2;

function requireName(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`${what} must be a non-empty string, got ${JSON.stringify(value)}.`);
  return value;
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === OBJECT_NOT_FOUND;
}

/** Runs an engine call; an unknown object becomes `notFound()`, other failures typed engine errors. */
async function attempt<T>(what: string, call: () => Promise<T>, notFound?: (cause?: unknown) => QlikApiError): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (notFound && isNotFound(error)) throw notFound(error);
    throw error instanceof EmbedKitError ? error : toEngineRequestError(error, what);
  }
}

async function fieldOf(app: QixDoc, field: string, state: string | undefined): Promise<QixField> {
  requireName(field, 'field');
  return attempt(
    `Getting field ${field}`,
    () => (state ? app.getField(field, state) : app.getField(field)),
    (cause) => new QlikApiError('field_not_found', `The app has no field "${field}".`, { cause, hint: 'Check the field name: it is case-sensitive and must be a field of the app\'s data model.' }),
  );
}

/** The values as the engine's `SelectValues` takes them: numbers by number, texts by text. */
export function toFieldValues(values: readonly FieldValue[]): { qText?: string; qNumber?: number; qIsNumeric?: boolean }[] {
  return values.map((value) => {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new TypeError(`values must be texts or finite numbers, got ${value}.`);
      return { qText: String(value), qNumber: value, qIsNumeric: true };
    }
    if (typeof value !== 'string') throw new TypeError(`values must be texts or numbers, got ${JSON.stringify(value)}.`);
    return { qText: value };
  });
}

/** Selects `values` in `field` (replacing its selection, or toggling them with `toggle`). */
export async function selectValues(app: QixDoc, field: string, values: readonly FieldValue[], options: SelectOptions = {}): Promise<void> {
  if (!Array.isArray(values)) throw new TypeError('values must be an array of texts or numbers.');
  const fieldValues = toFieldValues(values);
  const handle = await fieldOf(app, field, options.state);
  await attempt(`Selecting in ${field}`, () => handle.selectValues(fieldValues, options.toggle === true, false));
}

/**
 * Selects the values of `field` that match a Qlik search string (`Eur*`, `>1000`, `Europe`).
 * Resolves true when something matched.
 */
export async function searchField(app: QixDoc, field: string, text: string, options: StateOptions = {}): Promise<boolean> {
  if (typeof text !== 'string') throw new TypeError(`text must be a string, got ${JSON.stringify(text)}.`);
  const handle = await fieldOf(app, field, options.state);
  return attempt(`Searching ${field}`, () => handle.select(text, false, 0));
}

export async function clearField(app: QixDoc, field: string, options: StateOptions = {}): Promise<void> {
  const handle = await fieldOf(app, field, options.state);
  await attempt(`Clearing ${field}`, () => handle.clear());
}

/** Clears every field's selection (locked fields stay). */
export async function clearAll(app: QixDoc, options: StateOptions = {}): Promise<void> {
  await attempt('Clearing all selections', () => (options.state ? app.clearAll(false, options.state) : app.clearAll(false)));
}

/** Steps back (or forward) in the session's selection history. */
export async function back(app: QixDoc): Promise<void> {
  await attempt('Stepping back', () => app.back());
}

export async function forward(app: QixDoc): Promise<void> {
  await attempt('Stepping forward', () => app.forward());
}

/** Locks a field's selection, so that other selections and clears leave it alone. */
export async function lockField(app: QixDoc, field: string, options: StateOptions = {}): Promise<void> {
  const handle = await fieldOf(app, field, options.state);
  await attempt(`Locking ${field}`, () => handle.lock());
}

export async function unlockField(app: QixDoc, field: string, options: StateOptions = {}): Promise<void> {
  const handle = await fieldOf(app, field, options.state);
  await attempt(`Unlocking ${field}`, () => handle.unlock());
}

function selectionOf(item: NxCurrentSelectionItem): FieldSelection {
  const info = item.qSelectedFieldSelectionInfo;
  const values = info && info.length > 0 ? info.map((value) => value.qName) : item.qSelectedCount <= 1 || item.qSelected.includes(', ') ? item.qSelected.split(', ').filter(Boolean) : [];
  return {
    field: item.qField,
    values,
    count: item.qSelectedCount,
    total: item.qTotal,
    locked: item.qLocked === true,
    ...(item.qStateName && item.qStateName !== '$' ? { state: item.qStateName } : {}),
  };
}

/** The engine's current selections (`qSelectionObject`) as plain field selections. */
export function fieldSelections(selections: SelectionObject | undefined): FieldSelection[] {
  return (selections?.qSelections ?? []).map(selectionOf);
}

/** Applies a bookmark's selections (and variables, if it stores them). */
export async function applyBookmark(app: QixDoc, id: string): Promise<void> {
  requireName(id, 'bookmark id');
  const notFound = (cause?: unknown) => new QlikApiError('bookmark_not_found', `The app has no bookmark "${id}".`, { cause, hint: 'Check the bookmark id: it is the id, not the title, and the user must be allowed to see the bookmark.' });
  const applied = await attempt(`Applying bookmark ${id}`, () => app.applyBookmark(id), notFound);
  if (!applied) throw notFound();
}

/** Stores the current selections as a new bookmark; resolves its id. */
export async function createBookmark(app: QixDoc, title: string, options: { description?: string } = {}): Promise<string> {
  requireName(title, 'title');
  const bookmark = await attempt('Creating a bookmark', () =>
    app.createBookmark({ qInfo: { qType: 'bookmark' }, qMetaDef: { title, description: options.description ?? '' }, creationDate: new Date().toISOString() }),
  );
  return bookmark.id;
}

const variableNotFound = (name: string, cause?: unknown) =>
  new QlikApiError('variable_not_found', `The app has no variable "${name}".`, { cause, hint: 'Check the variable name (case-sensitive), or create the variable in the app.' });

async function variableOf(app: QixDoc, name: string) {
  requireName(name, 'variable name');
  return attempt(`Getting variable ${name}`, () => app.getVariableByName(name), (cause) => variableNotFound(name, cause));
}

export async function getVariable(app: QixDoc, name: string): Promise<VariableValue> {
  const variable = await variableOf(app, name);
  const layout = await attempt(`Reading variable ${name}`, () => variable.getLayout());
  const number = typeof layout.qNum === 'number' ? layout.qNum : Number.NaN;
  return { name, text: layout.qText ?? (Number.isFinite(number) ? String(number) : ''), number };
}

/** Sets a variable: a number as a number, anything else as text. Resolves its new value. */
export async function setVariable(app: QixDoc, name: string, value: string | number): Promise<VariableValue> {
  if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
    throw new TypeError(`value must be a text or a finite number, got ${JSON.stringify(value)}.`);
  }
  const variable = await variableOf(app, name);
  await attempt(`Setting variable ${name}`, () => (typeof value === 'number' ? variable.setNumValue(value) : variable.setStringValue(value)));
  return getVariable(app, name);
}
