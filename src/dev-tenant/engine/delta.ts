/**
 * The QIX delta protocol: when a request carries `delta: true`, each key of the result is sent
 * as JSON-Patch operations against the value last sent for the same method, key and handle.
 *
 * The patches must survive enigma.js's own patch applier, which is simpler than RFC 6902:
 * it does not unescape `~0`/`~1`, treats any numeric-looking path token as an array index,
 * and replaces objects by emptying and refilling them. So paths are only ever built through
 * keys that applier reads back exactly; anything else is replaced one level up.
 */
import { isRecord, jsonEqual } from './json.ts';

export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

/** True when enigma.js's applier reads `key` back as the same object key. */
function isPathSafeKey(key: string): boolean {
  return (
    key !== '' &&
    key !== '-' &&
    !key.includes('/') &&
    !key.includes('~') &&
    Number.isNaN(Number(key)) &&
    key !== '__proto__' &&
    key !== 'constructor' &&
    key !== 'prototype'
  );
}

function diffInto(prev: unknown, next: unknown, path: string, out: PatchOperation[]): void {
  if (jsonEqual(prev, next)) return;
  if (isRecord(prev) && isRecord(next)) {
    const keys = Object.keys(next).filter((k) => next[k] !== undefined);
    const removed = Object.keys(prev).filter((k) => prev[k] !== undefined && next[k] === undefined);
    if (![...keys, ...removed].every(isPathSafeKey)) {
      out.push({ op: 'replace', path: path || '/', value: next });
      return;
    }
    for (const key of keys) {
      const child = `${path}/${key}`;
      if (prev[key] === undefined) out.push({ op: 'add', path: child, value: next[key] });
      else diffInto(prev[key], next[key], child, out);
    }
    for (const key of removed) out.push({ op: 'remove', path: `${path}/${key}` });
    return;
  }
  if (Array.isArray(prev) && Array.isArray(next)) {
    const start = out.length;
    const common = Math.min(prev.length, next.length);
    for (let i = 0; i < common; i += 1) diffInto(prev[i], next[i], `${path}/${i}`, out);
    for (let i = common; i < next.length; i += 1) out.push({ op: 'add', path: `${path}/${i}`, value: next[i] });
    for (let i = prev.length - 1; i >= next.length; i -= 1) out.push({ op: 'remove', path: `${path}/${i}` });
    // When most of an array changed (a new data page, say), one replace is smaller and cheaper.
    if (out.length - start > 1 && JSON.stringify(out.slice(start)).length > JSON.stringify(next).length) {
      out.length = start;
      out.push({ op: 'replace', path: path || '/', value: next });
    }
    return;
  }
  out.push({ op: 'replace', path: path || '/', value: next });
}

/**
 * Patches that turn `prev` into `next`. With no previous value the whole value is added at
 * the root, as the engine does on first use of a method on a handle.
 */
export function diff(prev: unknown, next: unknown): PatchOperation[] {
  if (prev === undefined) return [{ op: 'add', path: '/', value: next }];
  const out: PatchOperation[] = [];
  diffInto(prev, next, '', out);
  return out;
}

/**
 * What one socket has been sent, per handle and `method-key`, so the next delta answer is
 * computed against exactly what that client holds. Kept per socket rather than per engine
 * session: a client that attaches to an existing session, or resumes on a new socket, gets
 * whole values first and never patches against a value it never received.
 */
export class DeltaCache {
  readonly #byHandle = new Map<number, Map<string, unknown>>();

  /** Encodes `result` for a `delta: true` response and remembers each value. */
  encode(handle: number, method: string, result: Record<string, unknown>): Record<string, PatchOperation[]> {
    let entries = this.#byHandle.get(handle);
    if (!entries) {
      entries = new Map();
      this.#byHandle.set(handle, entries);
    }
    const encoded: Record<string, PatchOperation[]> = {};
    for (const [key, value] of Object.entries(result)) {
      if (value === undefined) continue;
      const cacheKey = `${method}-${key}`;
      encoded[key] = diff(entries.get(cacheKey), value);
      entries.set(cacheKey, value);
    }
    return encoded;
  }

  /** Forgets a handle the engine closed (the client drops its cache on `close` too). */
  forget(handle: number): void {
    this.#byHandle.delete(handle);
  }
}
