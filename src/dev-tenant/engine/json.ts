/** Small helpers for untyped JSON coming off the wire. */

export type JsonObject = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy through JSON: drops `undefined`, functions and prototypes, as the wire would. */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Structural equality of JSON values; keys whose value is `undefined` count as absent. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i += 1) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || !isRecord(a) || !isRecord(b)) return false;
  const ak = Object.keys(a).filter((k) => a[k] !== undefined);
  const bk = Object.keys(b).filter((k) => b[k] !== undefined);
  if (ak.length !== bk.length) return false;
  for (const k of ak) if (!Object.hasOwn(b, k) || !jsonEqual(a[k], b[k])) return false;
  return true;
}

/** Splits an RFC 6901 JSON pointer into unescaped tokens. `''` and `'/'` are the root. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  if (!pointer.startsWith('/')) throw new TypeError(`JSON pointer must start with "/": ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Reads the value a JSON pointer designates, or `undefined`. */
export function getAtPointer(root: unknown, pointer: string): unknown {
  let node = root;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isRecord(node) && Object.hasOwn(node, token)) node = node[token];
    else return undefined;
  }
  return node;
}

/**
 * Applies one JSON-Patch operation (`add`, `replace`, `remove`) in place, as QIX
 * `ApplyPatches` does on object properties. Returns the (possibly new) root.
 */
export function applyPatchOperation(root: unknown, op: string, pointer: string, value: unknown): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.some((t) => UNSAFE_KEYS.has(t))) throw new TypeError(`unsafe key in path ${pointer}`);
  if (tokens.length === 0) {
    if (op === 'remove') throw new TypeError('cannot remove the root');
    return value;
  }
  let parent: unknown = root;
  for (const token of tokens.slice(0, -1)) {
    let next: unknown = Array.isArray(parent) ? parent[Number(token)] : isRecord(parent) ? parent[token] : undefined;
    if (next === undefined && op !== 'remove' && isRecord(parent)) {
      next = {};
      parent[token] = next;
    }
    if (typeof next !== 'object' || next === null) throw new TypeError(`path not found: ${pointer}`);
    parent = next;
  }
  const last = tokens[tokens.length - 1] as string;
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) throw new TypeError(`bad array index in ${pointer}`);
    if (op === 'add') parent.splice(index, 0, value);
    else if (op === 'replace') parent.splice(index, 1, value);
    else parent.splice(index, 1);
  } else if (isRecord(parent)) {
    if (op === 'remove') Reflect.deleteProperty(parent, last);
    else parent[last] = value;
  } else {
    throw new TypeError(`path not found: ${pointer}`);
  }
  return root;
}
