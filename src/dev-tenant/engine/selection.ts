/**
 * Selection state, QIX style: a set of selected values per field. A state is immutable; every
 * change makes a new one, so history (Back/Forward) is a list of states and derived data (the
 * included rows, the possible values of a field) is cached on the state itself.
 */
import type { DataModel, Field } from './data-model.ts';

/** QIX cell states: selected, optional (possible), alternative, excluded, selected-excluded. */
export type CellState = 'S' | 'O' | 'A' | 'X' | 'XS' | 'L';

export interface StateCounts {
  qLocked: number;
  qSelected: number;
  qOption: number;
  qDeselected: number;
  qAlternative: number;
  qExcluded: number;
  qSelectedExcluded: number;
  qLockedExcluded: number;
}

export class SelectionState {
  readonly model: DataModel;
  /** field index → selected value indexes, in selection order. Never holds an empty set. */
  readonly selections: ReadonlyMap<number, ReadonlySet<number>>;
  /** Locked field indexes: their selections stay until unlocked (`Field.Lock`, `Doc.LockAll`). */
  readonly locked: ReadonlySet<number>;
  #included: Uint32Array | null | undefined;
  readonly #possibleExcept = new Map<number, Uint8Array | null>();

  constructor(model: DataModel, selections: ReadonlyMap<number, ReadonlySet<number>> = new Map(), locked: ReadonlySet<number> = new Set()) {
    this.model = model;
    this.selections = selections;
    this.locked = locked;
  }

  isLocked(field: Field): boolean {
    return this.locked.has(field.index);
  }

  /** A state with these fields locked or unlocked; only a field with a selection can be locked. */
  withLocks(fields: Iterable<number>, lock: boolean): SelectionState {
    const locked = new Set(this.locked);
    for (const f of fields) {
      if (lock && this.selections.has(f)) locked.add(f);
      else if (!lock) locked.delete(f);
    }
    return new SelectionState(this.model, this.selections, locked);
  }

  /** A state with every selection cleared, except those of locked fields unless `lockedAlso`. */
  cleared(lockedAlso: boolean): SelectionState {
    if (lockedAlso) return new SelectionState(this.model);
    const kept = new Map([...this.selections].filter(([f]) => this.locked.has(f)));
    return new SelectionState(this.model, kept, this.locked);
  }

  get isEmpty(): boolean {
    return this.selections.size === 0;
  }

  selected(field: Field): ReadonlySet<number> | undefined {
    return this.selections.get(field.index);
  }

  /** A new state with `field`'s selection replaced (an empty set clears it). */
  with(field: Field, values: Iterable<number>): SelectionState {
    const next = new Map(this.selections);
    const set = new Set(values);
    const locked = new Set(this.locked);
    if (set.size === 0) {
      next.delete(field.index);
      locked.delete(field.index);
    } else next.set(field.index, set);
    return new SelectionState(this.model, next, locked);
  }

  /** A state with only `field`'s own selection and the locked ones kept (when a choice excludes everything). */
  only(field: Field): SelectionState {
    const kept = new Map([...this.selections].filter(([f]) => f === field.index || this.locked.has(f)));
    return new SelectionState(this.model, kept, this.locked);
  }

  equals(other: SelectionState): boolean {
    if (other.selections.size !== this.selections.size || other.locked.size !== this.locked.size) return false;
    for (const f of this.locked) if (!other.locked.has(f)) return false;
    for (const [field, values] of this.selections) {
      const o = other.selections.get(field);
      if (!o || o.size !== values.size) return false;
      for (const v of values) if (!o.has(v)) return false;
    }
    return true;
  }

  /** Rows that satisfy every selection, or `null` when every row does. */
  get includedRows(): Uint32Array | null {
    if (this.#included === undefined) this.#included = this.#filterRows(-1);
    return this.#included;
  }

  get includedRowCount(): number {
    return this.includedRows?.length ?? this.model.rowCount;
  }

  /**
   * Values of `field` that occur in rows satisfying the selections in every *other* field:
   * a flag per value, or `null` when all are possible.
   */
  possibleIgnoringOwn(field: Field): Uint8Array | null {
    if (!this.#possibleExcept.has(field.index)) {
      const others = [...this.selections.keys()].some((f) => f !== field.index);
      let flags: Uint8Array | null = null;
      if (others) {
        const rows = this.#filterRows(field.index) as Uint32Array;
        flags = new Uint8Array(field.cardinal);
        const codes = field.codes;
        for (let i = 0; i < rows.length; i += 1) flags[codes[rows[i] as number] as number] = 1;
      }
      this.#possibleExcept.set(field.index, flags);
    }
    return this.#possibleExcept.get(field.index) ?? null;
  }

  /** The state of one value of `field`, as a list box shows it. */
  stateOf(field: Field, value: number, showAlternatives: boolean): CellState {
    const selected = this.selections.get(field.index);
    const possible = this.possibleIgnoringOwn(field);
    const isPossible = possible === null || possible[value] === 1;
    if (selected) {
      if (selected.has(value)) return this.locked.has(field.index) ? 'L' : isPossible ? 'S' : 'XS';
      return isPossible && showAlternatives ? 'A' : 'X';
    }
    return isPossible ? 'O' : 'X';
  }

  stateCounts(field: Field, showAlternatives: boolean): StateCounts {
    const counts: StateCounts = { qLocked: 0, qSelected: 0, qOption: 0, qDeselected: 0, qAlternative: 0, qExcluded: 0, qSelectedExcluded: 0, qLockedExcluded: 0 };
    for (let v = 0; v < field.cardinal; v += 1) {
      const state = this.stateOf(field, v, showAlternatives);
      if (state === 'L') counts.qLocked += 1;
      else if (state === 'S') counts.qSelected += 1;
      else if (state === 'O') counts.qOption += 1;
      else if (state === 'A') counts.qAlternative += 1;
      else if (state === 'XS') counts.qSelectedExcluded += 1;
      else counts.qExcluded += 1;
    }
    return counts;
  }

  /** Rows satisfying every selection except the one on field `skip` (-1: skip none). */
  #filterRows(skip: number): Uint32Array | null {
    const filters: Array<{ codes: Int32Array; flags: Uint8Array }> = [];
    for (const [fieldIndex, values] of this.selections) {
      if (fieldIndex === skip) continue;
      const field = this.model.fields[fieldIndex] as Field;
      const flags = new Uint8Array(field.cardinal);
      for (const v of values) flags[v] = 1;
      filters.push({ codes: field.codes, flags });
    }
    if (filters.length === 0) return null;
    const out = new Uint32Array(this.model.rowCount);
    let n = 0;
    const rowCount = this.model.rowCount;
    if (filters.length === 1) {
      const { codes, flags } = filters[0] as { codes: Int32Array; flags: Uint8Array };
      for (let r = 0; r < rowCount; r += 1) if (flags[codes[r] as number]) out[n++] = r;
    } else {
      rows: for (let r = 0; r < rowCount; r += 1) {
        for (let f = 0; f < filters.length; f += 1) {
          const { codes, flags } = filters[f] as { codes: Int32Array; flags: Uint8Array };
          if (!flags[codes[r] as number]) continue rows;
        }
        out[n++] = r;
      }
    }
    return out.slice(0, n);
  }
}

/** Back/Forward over selection states, as `Doc.Back` and `Doc.Forward` walk them. */
export class SelectionHistory {
  #states: SelectionState[];
  #position = 0;
  readonly #limit: number;

  constructor(initial: SelectionState, limit = 100) {
    this.#states = [initial];
    this.#limit = limit;
  }

  get current(): SelectionState {
    return this.#states[this.#position] as SelectionState;
  }

  get backCount(): number {
    return this.#position;
  }

  get forwardCount(): number {
    return this.#states.length - 1 - this.#position;
  }

  /** Records a new current state, dropping any forward states. */
  push(state: SelectionState): void {
    this.#states = this.#states.slice(0, this.#position + 1);
    this.#states.push(state);
    if (this.#states.length > this.#limit) this.#states.shift();
    this.#position = this.#states.length - 1;
  }

  /** Replaces the current state without a history step (selections inside a modal session). */
  replaceCurrent(state: SelectionState): void {
    this.#states[this.#position] = state;
  }

  /** Drops the current state and steps back (a modal selection that was cancelled). */
  discardCurrent(): void {
    if (this.#position === 0) return;
    this.#states.splice(this.#position, 1);
    this.#position -= 1;
  }

  back(): boolean {
    if (this.#position === 0) return false;
    this.#position -= 1;
    return true;
  }

  forward(): boolean {
    if (this.#position >= this.#states.length - 1) return false;
    this.#position += 1;
    return true;
  }
}
