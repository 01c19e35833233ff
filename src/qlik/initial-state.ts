/**
 * Selections, variables and a bookmark declared up front (in markup, as `<qlik-selection>` and
 * `<qlik-variable>` children and a `bookmark` attribute), applied to an app before anything is
 * rendered from it, and re-applied as the declaration changes.
 */
import { applyBookmark, clearField, searchField, selectValues, setVariable, type FieldValue, type VariableValue } from './app-actions.ts';
import type { QixDoc } from './qix-types.ts';

export interface SelectionSpec {
  field: string;
  /** Values to select; numeric texts are selected as numbers. */
  values: FieldValue[];
  /** A Qlik search string (`Eur*`, `>1000`) to select by instead of `values`. */
  match?: string;
  /** An alternate state's name. */
  state?: string;
}

export interface VariableSpec {
  name: string;
  value: string | number;
}

export interface InitialState {
  bookmark?: string;
  variables: VariableSpec[];
  selections: SelectionSpec[];
}

/** What applying changed, for the element's events. */
export interface AppliedState {
  bookmark?: string;
  variables: VariableValue[];
}

/**
 * `values="Europe;Americas"` → `['Europe', 'Americas']`; `values="2023; 2024"` → `[2023, 2024]`.
 * Values are split on `;` and trimmed; a plain decimal number (no leading zeros, so codes like
 * `007` stay text) is a number.
 */
export function parseValues(text: string | null | undefined): FieldValue[] {
  return (text ?? '')
    .split(';')
    .map((value) => value.trim())
    .filter((value) => value !== '')
    .map((value) => (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(value) ? Number(value) : value));
}

/** A variable's markup value: a plain decimal number is a number, anything else text. */
export function parseVariableValue(text: string): string | number {
  const trimmed = text.trim();
  return /^-?(0|[1-9]\d*)(\.\d+)?$/.test(trimmed) ? Number(trimmed) : text;
}

/** Stable identity of a selection declaration: a field in a state. */
const selectionKey = (spec: Pick<SelectionSpec, 'field' | 'state'>) => `${spec.state ?? ''}\u0000${spec.field}`;

export async function applySelection(app: QixDoc, spec: SelectionSpec): Promise<void> {
  const options = spec.state ? { state: spec.state } : {};
  if (spec.match) await searchField(app, spec.field, spec.match, options);
  else if (spec.values.length > 0) await selectValues(app, spec.field, spec.values, options);
  else await clearField(app, spec.field, options);
}

/**
 * Applies a whole declaration: the bookmark first (it replaces selections), then variables,
 * then selections, in order. The first failure rejects, typed.
 */
export async function applyInitialState(app: QixDoc, state: InitialState): Promise<AppliedState> {
  if (state.bookmark) await applyBookmark(app, state.bookmark);
  const variables: VariableValue[] = [];
  for (const variable of state.variables) variables.push(await setVariable(app, variable.name, variable.value));
  for (const selection of state.selections) await applySelection(app, selection);
  return { ...(state.bookmark ? { bookmark: state.bookmark } : {}), variables };
}

/**
 * Brings the app from the `before` declaration to the `after` one: fields no longer declared
 * are cleared, changed ones applied again, a new bookmark applied, changed variables set.
 */
export async function applyStateChange(app: QixDoc, before: InitialState, after: InitialState): Promise<AppliedState> {
  const applied: AppliedState = { variables: [] };
  if (after.bookmark && after.bookmark !== before.bookmark) {
    await applyBookmark(app, after.bookmark);
    applied.bookmark = after.bookmark;
  }
  const previousVariables = new Map(before.variables.map((v) => [v.name, v.value]));
  for (const variable of after.variables) {
    if (previousVariables.get(variable.name) !== variable.value) applied.variables.push(await setVariable(app, variable.name, variable.value));
  }
  const next = new Map(after.selections.map((s) => [selectionKey(s), s]));
  for (const old of before.selections) {
    if (!next.has(selectionKey(old))) await clearField(app, old.field, old.state ? { state: old.state } : {});
  }
  const previous = new Map(before.selections.map((s) => [selectionKey(s), JSON.stringify(s)]));
  for (const spec of after.selections) {
    if (applied.bookmark || previous.get(selectionKey(spec)) !== JSON.stringify(spec)) await applySelection(app, spec);
  }
  return applied;
}
