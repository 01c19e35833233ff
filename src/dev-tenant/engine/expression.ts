/**
 * A small subset of the Qlik expression language, enough for chart measures:
 * `Sum(Sales)`, `Sum([Sales])`, `Count(distinct Customer)`, `Avg`, `Min`, `Max`, `Count`,
 * numbers, `+ - * /`, parentheses, and row-level arithmetic inside an aggregation
 * (`Sum(Quantity * 2)`). A leading `=` is allowed. Set analysis and other functions are not.
 */
import type { DataModel, Field } from './data-model.ts';

export type AggregationName = 'Sum' | 'Count' | 'Avg' | 'Min' | 'Max';

export type Expr =
  | { kind: 'number'; value: number }
  | { kind: 'negate'; arg: Expr }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: Expr; right: Expr }
  | { kind: 'field'; name: string }
  | { kind: 'aggregate'; fn: AggregationName; distinct: boolean; arg: Expr };

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
}

const AGGREGATIONS: Record<string, AggregationName> = { sum: 'Sum', count: 'Count', avg: 'Avg', min: 'Min', max: 'Max' };

type Token = { type: 'num'; value: number } | { type: 'ident'; value: string } | { type: 'field'; value: string } | { type: 'op'; value: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    if (/\s/.test(ch)) {
      i += 1;
    } else if (/[0-9.]/.test(ch)) {
      const m = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(i));
      if (!m) throw new ExpressionError(`Unexpected "${ch}" at ${i}`);
      tokens.push({ type: 'num', value: Number(m[0]) });
      i += m[0].length;
    } else if (ch === '[') {
      const end = source.indexOf(']', i);
      if (end < 0) throw new ExpressionError('Unclosed "["');
      tokens.push({ type: 'field', value: source.slice(i + 1, end) });
      i = end + 1;
    } else if (/[\p{L}_$]/u.test(ch)) {
      const m = /^[\p{L}_$][\p{L}\p{N}_$.]*/u.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ type: 'ident', value: m[0] });
      i += m[0].length;
    } else if ('+-*/(),'.includes(ch)) {
      tokens.push({ type: 'op', value: ch });
      i += 1;
    } else {
      throw new ExpressionError(`Unexpected "${ch}" at ${i}`);
    }
  }
  return tokens;
}

export function parseExpression(source: string): Expr {
  const text = source.trim().replace(/^=/, '');
  const tokens = tokenize(text);
  let pos = 0;
  let depth = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isOp = (value: string): boolean => {
    const t = peek();
    return t?.type === 'op' && t.value === value;
  };
  const expect = (value: string): void => {
    if (!isOp(value)) throw new ExpressionError(`Expected "${value}"`);
    pos += 1;
  };

  function parseSum(inAggregation: boolean): Expr {
    let left = parseProduct(inAggregation);
    while (isOp('+') || isOp('-')) {
      const op = (tokens[pos++] as Token).value as '+' | '-';
      left = { kind: 'binary', op, left, right: parseProduct(inAggregation) };
    }
    return left;
  }
  function parseProduct(inAggregation: boolean): Expr {
    let left = parseUnary(inAggregation);
    while (isOp('*') || isOp('/')) {
      const op = (tokens[pos++] as Token).value as '*' | '/';
      left = { kind: 'binary', op, left, right: parseUnary(inAggregation) };
    }
    return left;
  }
  function parseUnary(inAggregation: boolean): Expr {
    if (isOp('-')) {
      pos += 1;
      return { kind: 'negate', arg: parseUnary(inAggregation) };
    }
    if (isOp('+')) {
      pos += 1;
      return parseUnary(inAggregation);
    }
    return parsePrimary(inAggregation);
  }
  function parsePrimary(inAggregation: boolean): Expr {
    const t = peek();
    if (!t) throw new ExpressionError('Unexpected end of expression');
    pos += 1;
    if (t.type === 'num') return { kind: 'number', value: t.value };
    if (t.type === 'op' && t.value === '(') {
      depth += 1;
      if (depth > 64) throw new ExpressionError('Expression nested too deeply');
      const inner = parseSum(inAggregation);
      expect(')');
      depth -= 1;
      return inner;
    }
    if (t.type === 'field' || (t.type === 'ident' && !isOp('('))) {
      if (!inAggregation) throw new ExpressionError(`Field "${t.value}" must be inside an aggregation such as Sum(${t.value})`);
      return { kind: 'field', name: t.value };
    }
    if (t.type === 'ident') {
      const fn = AGGREGATIONS[t.value.toLowerCase()];
      if (!fn) throw new ExpressionError(`Unsupported function "${t.value}"`);
      if (inAggregation) throw new ExpressionError('Nested aggregations are not supported');
      expect('(');
      let distinct = false;
      const next = peek();
      if (next?.type === 'ident' && next.value.toLowerCase() === 'distinct') {
        distinct = true;
        pos += 1;
      }
      const arg = parseSum(true);
      expect(')');
      return { kind: 'aggregate', fn, distinct, arg };
    }
    throw new ExpressionError(`Unexpected "${t.value}"`);
  }

  if (tokens.length === 0) throw new ExpressionError('Empty expression');
  const expr = parseSum(false);
  if (pos < tokens.length) throw new ExpressionError(`Unexpected "${String((tokens[pos] as Token).value)}"`);
  return expr;
}

/** Names of every field an expression reads; throws for a field the model lacks. */
export function checkFields(expr: Expr, model: DataModel): void {
  switch (expr.kind) {
    case 'field':
      if (!model.field(expr.name)) throw new ExpressionError(`Field not found: ${expr.name}`);
      return;
    case 'negate':
    case 'aggregate':
      checkFields(expr.arg, model);
      return;
    case 'binary':
      checkFields(expr.left, model);
      checkFields(expr.right, model);
      return;
    default:
  }
}

/** Rows to aggregate: the listed row indexes, or every row when `null`. */
export interface AggregationScope {
  rows: Uint32Array | null;
  rowCount: number;
  /** Group of each scoped row (parallel to `rows`), or `null` for a single group. */
  rowGroup: Int32Array | null;
  groupCount: number;
}

type RowFn = (row: number) => number;

function compileRow(expr: Expr, model: DataModel): RowFn {
  switch (expr.kind) {
    case 'number': {
      const v = expr.value;
      return () => v;
    }
    case 'field': {
      const nums = (model.field(expr.name) as Field).nums;
      return (r) => nums[r] as number;
    }
    case 'negate': {
      const f = compileRow(expr.arg, model);
      return (r) => -f(r);
    }
    case 'binary': {
      const l = compileRow(expr.left, model);
      const rt = compileRow(expr.right, model);
      switch (expr.op) {
        case '+':
          return (r) => l(r) + rt(r);
        case '-':
          return (r) => l(r) - rt(r);
        case '*':
          return (r) => l(r) * rt(r);
        default:
          return (r) => {
            const d = rt(r);
            return d === 0 ? Number.NaN : l(r) / d;
          };
      }
    }
    default:
      throw new ExpressionError('Nested aggregations are not supported');
  }
}

/** Evaluates an expression for every group of the scope. */
export function evaluate(expr: Expr, model: DataModel, scope: AggregationScope): Float64Array {
  switch (expr.kind) {
    case 'number':
      return new Float64Array(scope.groupCount).fill(expr.value);
    case 'negate':
      return evaluate(expr.arg, model, scope).map((v) => -v);
    case 'binary': {
      const l = evaluate(expr.left, model, scope);
      const r = evaluate(expr.right, model, scope);
      const out = new Float64Array(scope.groupCount);
      for (let g = 0; g < out.length; g += 1) {
        const a = l[g] as number;
        const b = r[g] as number;
        out[g] = expr.op === '+' ? a + b : expr.op === '-' ? a - b : expr.op === '*' ? a * b : b === 0 ? Number.NaN : a / b;
      }
      return out;
    }
    case 'aggregate':
      return aggregate(expr, model, scope);
    default:
      throw new ExpressionError(`Field "${expr.name}" must be inside an aggregation`);
  }
}

/**
 * Per-group values plus the value over every scoped row (a hypercube's grand total). The total
 * of `Sum`, `Count`, `Min` and `Max` is folded from the group values rather than recomputed,
 * since every scoped row falls in exactly one group; other aggregations take a second pass.
 */
export function evaluateWithTotal(expr: Expr, model: DataModel, scope: AggregationScope): { values: Float64Array; total: number } {
  switch (expr.kind) {
    case 'number':
      return { values: new Float64Array(scope.groupCount).fill(expr.value), total: expr.value };
    case 'negate': {
      const inner = evaluateWithTotal(expr.arg, model, scope);
      return { values: inner.values.map((v) => -v), total: -inner.total };
    }
    case 'binary': {
      const l = evaluateWithTotal(expr.left, model, scope);
      const r = evaluateWithTotal(expr.right, model, scope);
      const combine = (a: number, b: number): number => (expr.op === '+' ? a + b : expr.op === '-' ? a - b : expr.op === '*' ? a * b : b === 0 ? Number.NaN : a / b);
      return { values: l.values.map((a, g) => combine(a, r.values[g] as number)), total: combine(l.total, r.total) };
    }
    case 'aggregate': {
      const values = aggregate(expr, model, scope);
      if (!scope.rowGroup) return { values, total: values[0] as number };
      let total: number;
      if (expr.fn === 'Sum' || (expr.fn === 'Count' && !expr.distinct)) total = values.reduce((a, b) => a + b, 0);
      else if (expr.fn === 'Min' || expr.fn === 'Max') {
        total = Number.NaN;
        for (const v of values) if (!Number.isNaN(v) && (Number.isNaN(total) || (expr.fn === 'Min' ? v < total : v > total))) total = v;
      } else {
        total = aggregate(expr, model, { ...scope, rowGroup: null, groupCount: 1 })[0] as number;
      }
      return { values, total };
    }
    default:
      throw new ExpressionError(`Field "${expr.name}" must be inside an aggregation`);
  }
}

/** Sum of a stored column: the hot loop of most charts, kept free of branches it does not need. */
function sumColumn(nums: Float64Array, scope: AggregationScope, out: Float64Array): void {
  const { rows, rowCount, rowGroup } = scope;
  if (rows && rowGroup) {
    for (let i = 0; i < rowCount; i += 1) {
      const v = nums[rows[i] as number] as number;
      if (v === v) out[rowGroup[i] as number] += v;
    }
  } else if (rowGroup) {
    for (let i = 0; i < rowCount; i += 1) {
      const v = nums[i] as number;
      if (v === v) out[rowGroup[i] as number] += v;
    }
  } else {
    let sum = 0;
    for (let i = 0; i < rowCount; i += 1) {
      const v = nums[rows ? (rows[i] as number) : i] as number;
      if (v === v) sum += v;
    }
    out[0] = sum;
  }
}

function aggregate(expr: Extract<Expr, { kind: 'aggregate' }>, model: DataModel, scope: AggregationScope): Float64Array {
  const { rows, rowCount, rowGroup, groupCount } = scope;
  const out = new Float64Array(groupCount);
  const field = expr.arg.kind === 'field' ? (model.field(expr.arg.name) as Field) : undefined;

  if (expr.fn === 'Sum' && field) {
    sumColumn(field.nums, scope, out);
    return out;
  }

  if (expr.fn === 'Count' && expr.distinct) {
    const seen = new Set<number>();
    if (field) {
      const codes = field.codes;
      const card = field.cardinal;
      for (let i = 0; i < rowCount; i += 1) {
        const r = rows ? (rows[i] as number) : i;
        const g = rowGroup ? (rowGroup[i] as number) : 0;
        const key = g * card + (codes[r] as number);
        if (!seen.has(key)) {
          seen.add(key);
          out[g] = (out[g] as number) + 1;
        }
      }
    } else {
      const f = compileRow(expr.arg, model);
      const perGroup = Array.from({ length: groupCount }, () => new Set<number>());
      for (let i = 0; i < rowCount; i += 1) {
        const v = f(rows ? (rows[i] as number) : i);
        if (!Number.isNaN(v)) (perGroup[rowGroup ? (rowGroup[i] as number) : 0] as Set<number>).add(v);
      }
      perGroup.forEach((s, g) => (out[g] = s.size));
    }
    return out;
  }

  if (expr.fn === 'Count' && field) {
    // Every row holds a value of every field in this single-table model.
    for (let i = 0; i < rowCount; i += 1) {
      const g = rowGroup ? (rowGroup[i] as number) : 0;
      out[g] = (out[g] as number) + 1;
    }
    return out;
  }

  const nums = field?.nums;
  const f = nums ? undefined : compileRow(expr.arg, model);
  const counts = new Float64Array(groupCount);
  if (expr.fn === 'Min') out.fill(Number.POSITIVE_INFINITY);
  if (expr.fn === 'Max') out.fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < rowCount; i += 1) {
    const r = rows ? (rows[i] as number) : i;
    const v = nums ? (nums[r] as number) : (f as RowFn)(r);
    if (v !== v) continue; // NaN: text or null, skipped like the engine does
    const g = rowGroup ? (rowGroup[i] as number) : 0;
    counts[g] = (counts[g] as number) + 1;
    switch (expr.fn) {
      case 'Min':
        if (v < (out[g] as number)) out[g] = v;
        break;
      case 'Max':
        if (v > (out[g] as number)) out[g] = v;
        break;
      case 'Count':
        break;
      default:
        out[g] = (out[g] as number) + v;
    }
  }
  for (let g = 0; g < groupCount; g += 1) {
    const n = counts[g] as number;
    if (expr.fn === 'Count') out[g] = n;
    else if (expr.fn === 'Avg') out[g] = n === 0 ? Number.NaN : (out[g] as number) / n;
    else if ((expr.fn === 'Min' || expr.fn === 'Max') && n === 0) out[g] = Number.NaN;
  }
  return out;
}
