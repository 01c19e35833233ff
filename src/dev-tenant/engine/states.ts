/**
 * Selection states of a session: the default state `$` and alternate states
 * (`AddAlternateState`), each with its own selections, locks and Back/Forward history.
 */
import type { DataModel } from './data-model.ts';
import { ErrorCode, QixError } from './rpc.ts';
import { SelectionHistory, SelectionState } from './selection.ts';

export const DEFAULT_STATE = '$';

/** `''` and `'$'` both name the default state, as in the engine. */
export function stateKey(name: string | undefined): string {
  return name === undefined || name === '' ? DEFAULT_STATE : name;
}

export class SelectionStates {
  readonly #model: DataModel;
  readonly #histories = new Map<string, SelectionHistory>();

  constructor(model: DataModel) {
    this.#model = model;
    this.#histories.set(DEFAULT_STATE, new SelectionHistory(new SelectionState(model)));
  }

  /** The alternate state names, in the order they were added (as `qStateNames`). */
  alternateNames(): string[] {
    return [...this.#histories.keys()].filter((n) => n !== DEFAULT_STATE);
  }

  has(name: string): boolean {
    return this.#histories.has(stateKey(name));
  }

  add(name: string): boolean {
    if (name === '' || name === DEFAULT_STATE || /[{}<>$]/.test(name)) throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, `Invalid method parameter(s): "${name}" is not a valid state name`, 'qStateName');
    if (this.#histories.has(name)) return false;
    this.#histories.set(name, new SelectionHistory(new SelectionState(this.#model)));
    return true;
  }

  remove(name: string): boolean {
    if (stateKey(name) === DEFAULT_STATE) throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, 'Invalid method parameter(s): the default state cannot be removed', 'qStateName');
    return this.#histories.delete(name);
  }

  /** The history of a state; an unknown name is a typed error naming it. */
  history(name: string | undefined): SelectionHistory {
    const history = this.#histories.get(stateKey(name));
    if (!history) throw new QixError(ErrorCode.GENERIC_NOT_FOUND, `Unknown state name "${name ?? ''}": add it with AddAlternateState first`, 'qStateName');
    return history;
  }

  current(name: string | undefined): SelectionState {
    return this.history(name).current;
  }

  entries(): Array<[string, SelectionHistory]> {
    return [...this.#histories];
  }
}
