/**
 * Selections of a session across its states: Field/hypercube/list selections, locks, Back and
 * Forward, and modal selection sessions (BeginSelections/EndSelections), with the engine's rules
 * for locked fields and for a choice that would exclude every row.
 */
import type { DataModel, Field } from './data-model.ts';
import type { SelectionState } from './selection.ts';
import { DEFAULT_STATE, SelectionStates, stateKey } from './states.ts';

export type SelectMode = 'replace' | 'toggle' | 'add';

interface Modal {
  handle: number;
  /** States a history step was recorded in for this modal session. */
  pushed: Set<string>;
}

export interface SelectionHooks {
  /** Selections changed: layouts that read them are invalid. */
  changed(): void;
  /** One handle's layout changed (its modal flag). */
  touch(handle: number): void;
}

export class SelectionControl {
  readonly states: SelectionStates;
  readonly #hooks: SelectionHooks;
  #modal: Modal | undefined;

  constructor(model: DataModel, hooks: SelectionHooks) {
    this.states = new SelectionStates(model);
    this.#hooks = hooks;
  }

  get modalHandle(): number | undefined {
    return this.#modal?.handle;
  }

  /** A destroyed object's modal session simply ends. */
  forgetModal(handle: number): void {
    if (this.#modal?.handle === handle) this.#modal = undefined;
  }

  stateOf(name: string | undefined): SelectionState {
    return this.states.current(name);
  }

  /**
   * Changes one field's selection in a state. `replace` sets it, `toggle` flips each value,
   * `add` adds. A locked field refuses any change. If the result would exclude every row, the
   * other unlocked fields' selections are dropped, as the engine does when an excluded value is
   * picked. Returns whether the selection was taken.
   */
  selectValues(field: Field, values: Iterable<number>, mode: SelectMode, origin?: number, stateName: string = DEFAULT_STATE): boolean {
    const current = this.stateOf(stateName);
    if (current.isLocked(field)) return false;
    this.#closeOtherModal(origin);
    const own = current.selected(field) ?? new Set<number>();
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
    let state = current.with(field, next);
    if (!state.isEmpty && state.includedRowCount === 0) state = state.only(field);
    if (!state.isEmpty && state.includedRowCount === 0) return false;
    this.#commit(stateName, state, origin);
    return true;
  }

  /** Locks or unlocks fields (all selected fields when `fields` is undefined). */
  lock(stateName: string, fields: Field[] | undefined, lock: boolean): void {
    const current = this.stateOf(stateName);
    const indexes = fields ? fields.map((f) => f.index) : lock ? [...current.selections.keys()] : [...current.locked];
    this.#commit(stateName, current.withLocks(indexes, lock), undefined);
  }

  clearAll(lockedAlso = false, stateName?: string): void {
    this.#closeOtherModal(undefined);
    const names = stateName ? [stateKey(stateName)] : [DEFAULT_STATE, ...this.states.alternateNames()];
    for (const name of names) this.#commit(name, this.stateOf(name).cleared(lockedAlso), undefined);
  }

  /** Sets a state's selections wholesale (a bookmark being applied). */
  replaceState(stateName: string, state: SelectionState): void {
    this.#closeOtherModal(undefined);
    this.#commit(stateName, state, undefined);
  }

  addState(name: string): void {
    if (this.states.add(name)) this.#hooks.changed();
  }

  removeState(name: string): boolean {
    const removed = this.states.remove(name);
    if (removed) this.#hooks.changed();
    return removed;
  }

  back(): boolean {
    this.#closeOtherModal(undefined);
    if (!this.states.history(DEFAULT_STATE).back()) return false;
    this.#hooks.changed();
    return true;
  }

  forward(): boolean {
    this.#closeOtherModal(undefined);
    if (!this.states.history(DEFAULT_STATE).forward()) return false;
    this.#hooks.changed();
    return true;
  }

  beginSelections(handle: number): void {
    this.#closeOtherModal(handle);
    if (this.#modal?.handle === handle) return;
    this.#modal = { handle, pushed: new Set() };
    this.#hooks.touch(handle);
  }

  /** Ends a modal selection session: keeps the selections (accept) or returns to before it. */
  endSelections(accept: boolean): void {
    const modal = this.#modal;
    if (!modal) return;
    this.#modal = undefined;
    this.#hooks.touch(modal.handle);
    if (!accept && modal.pushed.size > 0) {
      for (const name of modal.pushed) if (this.states.has(name)) this.states.history(name).discardCurrent();
      this.#hooks.changed();
    }
  }

  #closeOtherModal(origin: number | undefined): void {
    if (this.#modal && this.#modal.handle !== origin) this.endSelections(true);
  }

  #commit(stateName: string, state: SelectionState, origin: number | undefined): boolean {
    const name = stateKey(stateName);
    const history = this.states.history(name);
    if (state.equals(history.current)) return false;
    const modal = this.#modal;
    if (modal && modal.handle === origin) {
      if (modal.pushed.has(name)) history.replaceCurrent(state);
      else {
        history.push(state);
        modal.pushed.add(name);
      }
    } else {
      history.push(state);
    }
    this.#hooks.changed();
    return true;
  }
}
