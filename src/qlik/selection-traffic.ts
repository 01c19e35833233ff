/**
 * Selections another library makes through the kit's session (nebula.js charts call the engine
 * themselves): read from enigma.js's traffic events, so the kit can tell the page about them.
 */
import type { EnigmaSession } from './qix-types.ts';

/** A selection call on an object's handle that the engine accepted. */
export interface TrafficSelection {
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
  result?: { qReturn?: { qHandle?: number; qGenericId?: string } | boolean };
  error?: unknown;
}

/** Engine methods that change selections from a generic object. */
const SELECTING = /^(Select|RangeSelect|MultiRangeSelect)\w*$|^ClearSelections$/;

/**
 * Calls `onSelection` for every accepted selection call on `objectId`'s handles: the one the
 * kit holds and any another library opens with `GetObject`. Returns the stop function.
 */
export function watchSelectionTraffic(session: EnigmaSession, objectId: string, handle: number, onSelection: (call: TrafficSelection) => void): () => void {
  const handles = new Set([handle]);
  const pending = new Map<number, Sent>();
  const sent = (request: Sent) => {
    if (request.method === 'GetObject' || (handles.has(request.handle) && SELECTING.test(request.method))) pending.set(request.id, request);
  };
  const received = (response: Received) => {
    const request = pending.get(response.id);
    if (!request) return;
    pending.delete(response.id);
    if (response.error !== undefined) return;
    const qReturn = response.result?.qReturn;
    if (request.method === 'GetObject') {
      if (typeof qReturn === 'object' && qReturn.qGenericId === objectId && typeof qReturn.qHandle === 'number') handles.add(qReturn.qHandle);
      return;
    }
    onSelection({ method: request.method, params: request.params });
  };
  session.on('traffic:sent', sent as (...args: never[]) => void);
  session.on('traffic:received', received as (...args: never[]) => void);
  return () => {
    session.removeListener('traffic:sent', sent as (...args: never[]) => void);
    session.removeListener('traffic:received', received as (...args: never[]) => void);
  };
}
