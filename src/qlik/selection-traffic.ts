/**
 * Selections another library makes through the kit's session (nebula.js charts call the engine
 * themselves): read from enigma.js's traffic events, so the kit can tell the page about them.
 */
import { rowsOf, textOf } from './hypercube.ts';
import type { QlikSelectionDetail } from './selections.ts';
import type { EnigmaSession, GenericObjectLayout } from './qix-types.ts';

/** A selection call on a followed handle that the engine accepted. */
export interface TrafficSelection {
  /** The handle the call was made on. */
  handle: number;
  method: string;
  params: unknown[] | Record<string, unknown>;
}

interface Sent {
  id: number;
  handle: number;
  method: string;
  params: unknown[] | Record<string, unknown>;
}

interface Received {
  id: number;
  error?: unknown;
}

/** Engine methods that change selections from a generic object. */
const SELECTING = /^(Select|RangeSelect|MultiRangeSelect)\w*$|^ClearSelections$/;

interface TrafficListener {
  sent(request: Sent): void;
  received(response: Received): void;
}

/** One pair of traffic listeners per session, shared by every watcher (enigma warns past ten). */
const watchers = new WeakMap<EnigmaSession, Set<TrafficListener>>();

function listen(session: EnigmaSession, listener: TrafficListener): () => void {
  let set = watchers.get(session);
  if (!set) {
    const all = new Set<TrafficListener>();
    set = all;
    watchers.set(session, all);
    session.on('traffic:sent', ((request: Sent) => all.forEach((l) => l.sent(request))) as (...args: never[]) => void);
    session.on('traffic:received', ((response: Received) => all.forEach((l) => l.received(response))) as (...args: never[]) => void);
  }
  set.add(listener);
  return () => set.delete(listener);
}

/**
 * Calls `onAnswer` for each request sent from now on that the engine answers without an error:
 * evidence that it works again. Requests already on their way (one that timed out and is
 * answered late) do not count. Returns the function that stops listening.
 */
export function watchFreshAnswers(session: EnigmaSession, onAnswer: () => void): () => void {
  const fresh = new Set<number>();
  return listen(session, {
    sent: (request) => void fresh.add(request.id),
    received(response) {
      if (fresh.delete(response.id) && response.error === undefined) onAnswer();
    },
  });
}

/** Follows the selection calls on a set of object handles; `follow` adds one, `stop` ends it. */
export interface SelectionTrafficWatch {
  follow(handle: number): void;
  stop(): void;
}

/**
 * Calls `onSelection` for every accepted selection call on the followed handles. The engine
 * gives one handle per object and session, so the handle the kit holds for an object is the one
 * another library's `GetObject` gets too; a filter pane's listboxes are followed by their own
 * handles (`follow`), as nebula.js selects on those.
 */
export function watchSelectionTraffic(session: EnigmaSession, handles: Iterable<number>, onSelection: (call: TrafficSelection) => void): SelectionTrafficWatch {
  const followed = new Set(handles);
  const pending = new Map<number, Sent>();
  const stop = listen(session, {
    sent(request) {
      if (followed.has(request.handle) && SELECTING.test(request.method)) pending.set(request.id, request);
    },
    received(response) {
      const request = pending.get(response.id);
      if (!request) return;
      pending.delete(response.id);
      if (response.error === undefined) onSelection({ handle: request.handle, method: request.method, params: request.params });
    },
  });
  return { follow: (handle) => followed.add(handle), stop };
}

/** What a selection call on an object with `layout` chose, in the kit's event detail. */
export function selectionDetail(objectId: string, layout: GenericObjectLayout | undefined, call: TrafficSelection): QlikSelectionDetail {
  const params = Array.isArray(call.params) ? call.params : Object.values(call.params);
  if (call.method === 'ClearSelections') return { action: 'clear-field', objectId };
  const list = layout?.qListObject;
  if (list) {
    const values = Array.isArray(params[1]) ? (params[1] as number[]) : [];
    const cells = rowsOf(list.qDataPages).map((row) => row[0]);
    return { action: 'select', objectId, field: list.qDimensionInfo.qFallbackTitle, values: values.map((n) => textOf(cells.find((c) => c?.qElemNumber === n))) };
  }
  const cube = layout?.qHyperCube;
  const dimension = typeof params[1] === 'number' ? params[1] : 0;
  const values = Array.isArray(params[2]) ? (params[2] as number[]) : [];
  const cells = rowsOf(cube?.qDataPages).map((row) => row[dimension]);
  return { action: 'select', objectId, field: cube?.qDimensionInfo[dimension]?.qFallbackTitle, values: values.map((n) => textOf(cells.find((c) => c?.qElemNumber === n))) };
}
