/**
 * One evaluator for the expression language of expression-parse.ts, with the functions of
 * functions.ts. An expression is evaluated over a domain: the groups of a chart (where an
 * aggregation folds the rows of each group) or, inside an aggregation, the rows themselves.
 * Operators and scalar functions work the same way in both.
 */
import type { DataModel, Field } from './data-model.ts';
import { type Expr, ExpressionError, type SetExpr, parseExpression } from './expression-parse.ts';
import { AGGREGATIONS, BINARY_OPERATORS, SCALAR_FUNCTIONS } from './functions.ts';
import { SelectionState } from './selection.ts';
import { wildcardMatcher } from './text-match.ts';

export { ExpressionError, parseExpression, type Expr, type SetExpr } from './expression-parse.ts';

/** Rows to aggregate: the listed row indexes, or every row when `null`. */
export interface AggregationScope {
  rows: Uint32Array | null;
  rowCount: number;
  /** Group of each scoped row (parallel to `rows`), or `null` for a single group. */
  rowGroup: Int32Array | null;
  groupCount: number;
}

/** Resolves the rows of an aggregation that has set analysis; absent where sets are unavailable. */
export type SetScope = (set: SetExpr) => AggregationScope;

type Domain = { kind: 'groups'; model: DataModel; scope: AggregationScope; setScope: SetScope | undefined } | { kind: 'rows'; model: DataModel; rows: Uint32Array | null; rowCount: number };

const lengthOf = (d: Domain): number => (d.kind === 'groups' ? d.scope.groupCount : d.rowCount);

/** Names of every field an expression reads, set modifiers included. */
export function fieldNames(expr: Expr, out = new Set<string>()): Set<string> {
  switch (expr.kind) {
    case 'field':
      out.add(expr.name);
      break;
    case 'negate':
    case 'not':
      fieldNames(expr.arg, out);
      break;
    case 'aggregate':
      for (const m of expr.set?.modifiers ?? []) out.add(m.field);
      fieldNames(expr.arg, out);
      break;
    case 'binary':
      fieldNames(expr.left, out);
      fieldNames(expr.right, out);
      break;
    case 'call':
      for (const arg of expr.args) fieldNames(arg, out);
      break;
    default:
  }
  return out;
}

/** Throws for a field the model lacks. */
export function checkFields(expr: Expr, model: DataModel): void {
  for (const name of fieldNames(expr)) if (!model.field(name)) throw new ExpressionError(`Field not found: ${name}`);
}

function gather<T extends Float64Array | Int32Array>(column: T, rows: Uint32Array | null, rowCount: number, make: (n: number) => T): T {
  if (!rows) return column.subarray(0, rowCount) as T;
  const out = make(rowCount);
  for (let i = 0; i < rowCount; i += 1) out[i] = column[rows[i] as number] as number;
  return out;
}

function run(expr: Expr, d: Domain): Float64Array {
  switch (expr.kind) {
    case 'number':
      return new Float64Array(lengthOf(d)).fill(expr.value);
    case 'string':
      return new Float64Array(lengthOf(d)).fill(expr.value.trim() === '' ? Number.NaN : Number(expr.value));
    case 'negate':
      return run(expr.arg, d).map((v) => -v);
    case 'not':
      return run(expr.arg, d).map((v) => (v === v && v !== 0 ? 0 : -1));
    case 'binary': {
      const apply = BINARY_OPERATORS[expr.op] as (a: number, b: number) => number;
      const l = run(expr.left, d);
      const r = run(expr.right, d);
      return l.map((a, i) => apply(a, r[i] as number));
    }
    case 'call': {
      const fn = SCALAR_FUNCTIONS[expr.name];
      if (!fn) throw new ExpressionError(`Unsupported function "${expr.name}"`);
      const args = expr.args.map((a) => run(a, d));
      const out = new Float64Array(lengthOf(d));
      for (let i = 0; i < out.length; i += 1) out[i] = fn.apply(args.map((a) => a[i] as number));
      return out;
    }
    case 'field': {
      if (d.kind !== 'rows') throw new ExpressionError(`Field "${expr.name}" must be inside an aggregation`);
      const field = d.model.field(expr.name);
      if (!field) throw new ExpressionError(`Field not found: ${expr.name}`);
      return gather(field.nums, d.rows, d.rowCount, (n) => new Float64Array(n));
    }
    case 'aggregate':
      if (d.kind !== 'groups') throw new ExpressionError('Nested aggregations are not supported');
      return aggregate(expr, d);
    default:
      throw new ExpressionError('Unknown expression');
  }
}

function aggregate(expr: Extract<Expr, { kind: 'aggregate' }>, d: Extract<Domain, { kind: 'groups' }>): Float64Array {
  let scope = d.scope;
  if (expr.set) {
    if (!d.setScope) throw new ExpressionError('Set analysis is not available here');
    scope = d.setScope(expr.set);
  }
  const field: Field | undefined = expr.arg.kind === 'field' ? d.model.field(expr.arg.name) : undefined;
  const def = AGGREGATIONS[expr.fn.toLowerCase()];
  if (!def) throw new ExpressionError(`Unsupported aggregation ${expr.fn}`);
  const { groupCount } = scope;
  if (!expr.distinct) {
    // A stored column is read in place through the scope's rows; an expression is computed per row first.
    if (field) return def.fold({ values: field.nums, keys: expr.fn === 'Count' ? field.codes : undefined, rows: scope.rows, rowCount: scope.rowCount, rowGroup: scope.rowGroup, groupCount });
    const values = run(expr.arg, { kind: 'rows', model: d.model, rows: scope.rows, rowCount: scope.rowCount });
    return def.fold({ values, keys: undefined, rows: null, rowCount: scope.rowCount, rowGroup: scope.rowGroup, groupCount });
  }
  // Distinct: keep the first row of each (group, value), so the fold sees every distinct value once.
  const values = field ? gather(field.nums, scope.rows, scope.rowCount, (n) => new Float64Array(n)) : run(expr.arg, { kind: 'rows', model: d.model, rows: scope.rows, rowCount: scope.rowCount });
  const keys = field ? gather(field.codes, scope.rows, scope.rowCount, (n) => new Int32Array(n)) : undefined;
  const rowGroup = scope.rowGroup;
  const seen = new Set<number | string>();
  const keep: number[] = [];
  const card = field?.cardinal ?? 0;
  for (let i = 0; i < values.length; i += 1) {
    const g = rowGroup ? (rowGroup[i] as number) : 0;
    const key = keys ? g * card + (keys[i] as number) : `${g}|${values[i] as number}`;
    if (!seen.has(key)) {
      seen.add(key);
      keep.push(i);
    }
  }
  return def.fold({
    values: Float64Array.from(keep, (i) => values[i] as number),
    keys: keys ? Int32Array.from(keep, (i) => keys[i] as number) : undefined,
    rows: null,
    rowCount: keep.length,
    rowGroup: rowGroup ? Int32Array.from(keep, (i) => rowGroup[i] as number) : null,
    groupCount,
  });
}

/** Evaluates an expression for every group of the scope. */
export function evaluate(expr: Expr, model: DataModel, scope: AggregationScope, setScope?: SetScope): Float64Array {
  return run(expr, { kind: 'groups', model, scope, setScope });
}

const parsed = new Map<string, Expr | ExpressionError>();

/** parseExpression with a small cache (charts parse the same measures on every layout). */
export function parseCached(expression: string): Expr {
  let result = parsed.get(expression);
  if (!result) {
    try {
      result = parseExpression(expression);
    } catch (err) {
      result = err instanceof ExpressionError ? err : new ExpressionError(String(err));
    }
    if (parsed.size > 1000) parsed.clear();
    parsed.set(expression, result);
  }
  if (result instanceof ExpressionError) throw result;
  return result;
}

const MAX_EXPANDED_LENGTH = 100_000;

/**
 * Dollar-sign expansion, done on the text before parsing as the engine does: `$(name)` becomes
 * the variable's definition (nothing for an unknown variable), `$(=expr)` the text of the
 * expression's value. Expansions nest up to 8 deep.
 */
export function expandDollars(text: string, variable: (name: string) => string | undefined, evaluateText?: (expression: string) => string, depth = 0): string {
  if (!text.includes('$(')) return text;
  if (depth > 8) throw new ExpressionError('Dollar-sign expansion nested too deeply');
  let out = '';
  let i = 0;
  for (;;) {
    const start = text.indexOf('$(', i);
    if (start < 0) break;
    let level = 1;
    let end = start + 2;
    for (; end < text.length && level > 0; end += 1) {
      if (text[end] === '(') level += 1;
      else if (text[end] === ')') level -= 1;
    }
    if (level > 0) throw new ExpressionError('Unclosed "$("');
    const inner = expandDollars(text.slice(start + 2, end - 1), variable, evaluateText, depth + 1).trim();
    let value: string;
    if (inner.startsWith('=')) value = evaluateText ? evaluateText(inner.slice(1)) : '';
    else value = expandDollars(variable(inner) ?? '', variable, evaluateText, depth + 1);
    out += text.slice(i, start) + value;
    if (out.length > MAX_EXPANDED_LENGTH) throw new ExpressionError('Dollar-sign expansion is too long');
    i = end;
  }
  return out + text.slice(i);
}

/**
 * The selection state a set expression stands for: its identifier's state (`1` none, `$` the
 * default, a name an alternate state, none the object's own `base`), with each modifier
 * replacing that field's selection. Null when a modifier's elements match no value (no rows).
 */
export function setSelection(set: SetExpr, model: DataModel, base: SelectionState, named: (name: string) => SelectionState): SelectionState | null {
  let state = set.identifier === '1' ? new SelectionState(model) : set.identifier === '' ? base : named(set.identifier);
  for (const modifier of set.modifiers) {
    const field = model.field(modifier.field);
    if (!field) throw new ExpressionError(`Field not found in set modifier: ${modifier.field}`);
    if (modifier.values === null) {
      state = state.with(field, []);
      continue;
    }
    const chosen = new Set<number>();
    for (const element of modifier.values) {
      const test = element.kind === 'search' ? wildcardMatcher(element.text) : undefined;
      field.values.forEach((value, i) => {
        if (test ? test(value.text) : element.kind === 'literal' && (value.text === element.text || (!Number.isNaN(element.num) && value.num === element.num))) chosen.add(i);
      });
    }
    if (chosen.size === 0) return null;
    state = state.with(field, chosen);
  }
  return state;
}
