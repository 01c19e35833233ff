/**
 * Text matching for searches and `Field.Select`: case-insensitive, `*` for any run and `?` for
 * one character. No regular expression is built from client text: a pattern is cut at its
 * stars and each piece is found left to right, so a match costs at most text length × pattern
 * length and never backtracks (a hostile pattern cannot stall the engine). Patterns are capped.
 */
import type { Field } from './data-model.ts';
import { ErrorCode, QixError } from './rpc.ts';

/** The longest search or match string the engine takes. */
export const MAX_MATCH_LENGTH = 1024;

export function checkMatchLength(text: string, parameter: string): string {
  if (text.length > MAX_MATCH_LENGTH) {
    throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, `Invalid method parameter(s): ${parameter} is ${text.length} characters long; the limit is ${MAX_MATCH_LENGTH}`, parameter);
  }
  return text;
}

function matchesAt(text: string, at: number, piece: string): boolean {
  for (let i = 0; i < piece.length; i += 1) {
    const c = piece[i];
    if (c !== '?' && c !== text[at + i]) return false;
  }
  return true;
}

function findFrom(text: string, piece: string, from: number, end: number): number {
  for (let i = from; i + piece.length <= end; i += 1) if (matchesAt(text, i, piece)) return i;
  return -1;
}

/** A matcher for a wildcard pattern over whole values. */
export function wildcardMatcher(pattern: string): (text: string) => boolean {
  const pieces = pattern.toLowerCase().split('*');
  const first = pieces[0] as string;
  const last = pieces[pieces.length - 1] as string;
  const middle = pieces.slice(1, -1).filter((p) => p !== '');
  return (value) => {
    const text = value.toLowerCase();
    if (pieces.length === 1) return text.length === first.length && matchesAt(text, 0, first);
    if (text.length < first.length + last.length) return false;
    if (!matchesAt(text, 0, first) || !matchesAt(text, text.length - last.length, last)) return false;
    let at = first.length;
    const end = text.length - last.length;
    for (const piece of middle) {
      const found = findFrom(text, piece, at, end);
      if (found < 0) return false;
      at = found + piece.length;
    }
    return true;
  };
}

/**
 * Search semantics close to the engine's default: a plain string matches values with a word
 * starting with it (case-insensitive); `*` and `?` make it a wildcard match on the whole value.
 */
export function searchMatcher(search: string): (text: string) => boolean {
  const trimmed = search.trim().toLowerCase();
  if (!trimmed) return () => true;
  if (/[*?]/.test(trimmed)) return wildcardMatcher(trimmed);
  return (text) => {
    const lower = text.toLowerCase();
    if (lower.startsWith(trimmed)) return true;
    return lower.split(/[^\p{L}\p{N}]+/u).some((word) => word.startsWith(trimmed));
  };
}

/**
 * Values of `field` matching a QIX match string, as `Field.Select` reads it: a numeric
 * comparison (`>=2023`), a wildcard pattern (`Eu*`), or a value's text (case-insensitive) or number.
 */
export function matchFieldValues(field: Field, match: string): number[] {
  checkMatchLength(match, 'qMatch');
  const numeric = /^\s*(>=|<=|>|<|=)\s*(-?\d{1,20}(?:\.\d{1,20})?)\s*$/.exec(match);
  const out: number[] = [];
  if (numeric) {
    const op = numeric[1] as string;
    const target = Number(numeric[2]);
    const test: (x: number) => boolean = op === '>' ? (x) => x > target : op === '<' ? (x) => x < target : op === '>=' ? (x) => x >= target : op === '<=' ? (x) => x <= target : (x) => x === target;
    field.values.forEach((value, i) => {
      if (!Number.isNaN(value.num) && test(value.num)) out.push(i);
    });
    return out;
  }
  const test = /[*?]/.test(match) ? wildcardMatcher(match) : undefined;
  const lower = match.toLowerCase();
  const asNumber = match.trim() !== '' ? Number(match) : Number.NaN;
  field.values.forEach((value, i) => {
    if (test ? test(value.text) : value.text.toLowerCase() === lower || value.num === asNumber) out.push(i);
  });
  return out;
}
