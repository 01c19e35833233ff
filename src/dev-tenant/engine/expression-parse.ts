/**
 * Parses the subset of the Qlik expression language the dev tenant evaluates: numbers, strings,
 * fields, `+ - * /`, comparisons, `and`/`or`, function calls (aggregations and scalar functions
 * from the table in functions.ts), `distinct`, and set analysis inside aggregations
 * (`Sum({1} Sales)`, `Sum({$<Region={'Europe'}, Year=>} Sales)`, `Sum({State1} Sales)`).
 * `$(…)` is expanded before parsing (expandDollars in expression.ts).
 */
import { AGGREGATIONS, SCALAR_FUNCTIONS, type AggregationName } from './functions.ts';

export type BinaryOp = '+' | '-' | '*' | '/' | '=' | '<>' | '<' | '>' | '<=' | '>=' | 'and' | 'or';

/** A value in a set modifier's element list: a literal, or a search string (`"Eu*"`). */
export type SetValue = { kind: 'literal'; text: string; num: number } | { kind: 'search'; text: string };

export interface SetModifier {
  field: string;
  /** `Field=` (no element list) clears the field's selection: null. */
  values: SetValue[] | null;
}

export interface SetExpr {
  /** `''` for the object's own state, `'$'` default state, `'1'` all data, else a state name. */
  identifier: string;
  modifiers: SetModifier[];
}

export type Expr =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'negate'; arg: Expr }
  | { kind: 'not'; arg: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'field'; name: string }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'aggregate'; fn: AggregationName; distinct: boolean; set: SetExpr | undefined; arg: Expr };

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
}

type Token = { type: 'num'; value: number } | { type: 'ident'; value: string } | { type: 'field'; value: string } | { type: 'str'; value: string; quote: string } | { type: 'op'; value: string };

const TWO_CHAR_OPS = new Set(['<=', '>=', '<>']);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    const two = source.slice(i, i + 2);
    if (/\s/.test(ch)) {
      i += 1;
    } else if (/[0-9.]/.test(ch)) {
      const m = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(i, i + 64));
      if (!m) throw new ExpressionError(`Unexpected "${ch}" at ${i}`);
      tokens.push({ type: 'num', value: Number(m[0]) });
      i += m[0].length;
    } else if (ch === '[') {
      const end = source.indexOf(']', i);
      if (end < 0) throw new ExpressionError('Unclosed "["');
      tokens.push({ type: 'field', value: source.slice(i + 1, end) });
      i = end + 1;
    } else if (ch === "'" || ch === '"') {
      // A doubled quote inside the literal stands for one quote.
      let text = '';
      let j = i + 1;
      for (;;) {
        const end = source.indexOf(ch, j);
        if (end < 0) throw new ExpressionError(`Unclosed ${ch}`);
        text += source.slice(j, end);
        if (source[end + 1] === ch) {
          text += ch;
          j = end + 2;
        } else {
          j = end + 1;
          break;
        }
      }
      tokens.push({ type: 'str', value: text, quote: ch });
      i = j;
    } else if (/[\p{L}_$]/u.test(ch)) {
      const m = /^[\p{L}_$][\p{L}\p{N}_$.]*/u.exec(source.slice(i, i + 256)) as RegExpExecArray;
      tokens.push({ type: 'ident', value: m[0] });
      i += m[0].length;
    } else if (TWO_CHAR_OPS.has(two)) {
      tokens.push({ type: 'op', value: two });
      i += 2;
    } else if ('+-*/(),{}<>='.includes(ch)) {
      tokens.push({ type: 'op', value: ch });
      i += 1;
    } else {
      throw new ExpressionError(`Unexpected "${ch}" at ${i}`);
    }
  }
  return tokens;
}

const MAX_DEPTH = 64;

export function parseExpression(source: string): Expr {
  const text = source.trim().replace(/^=/, '');
  const tokens = tokenize(text);
  let pos = 0;
  let depth = 0;
  const peek = (offset = 0): Token | undefined => tokens[pos + offset];
  const isOp = (value: string, offset = 0): boolean => {
    const t = peek(offset);
    return t?.type === 'op' && t.value === value;
  };
  const isWord = (word: string): boolean => {
    const t = peek();
    return t?.type === 'ident' && t.value.toLowerCase() === word;
  };
  const expect = (value: string): void => {
    if (!isOp(value)) throw new ExpressionError(`Expected "${value}"`);
    pos += 1;
  };
  const nest = <T>(inner: () => T): T => {
    depth += 1;
    if (depth > MAX_DEPTH) throw new ExpressionError('Expression nested too deeply');
    const result = inner();
    depth -= 1;
    return result;
  };

  // Precedence, lowest first: or, and, comparison, + -, * /, unary.
  function parseOr(inAggregation: boolean): Expr {
    let left = parseAnd(inAggregation);
    while (isWord('or')) {
      pos += 1;
      left = { kind: 'binary', op: 'or', left, right: parseAnd(inAggregation) };
    }
    return left;
  }
  function parseAnd(inAggregation: boolean): Expr {
    let left = parseComparison(inAggregation);
    while (isWord('and')) {
      pos += 1;
      left = { kind: 'binary', op: 'and', left, right: parseComparison(inAggregation) };
    }
    return left;
  }
  function parseComparison(inAggregation: boolean): Expr {
    let left = parseSum(inAggregation);
    for (const op of ['=', '<>', '<', '>', '<=', '>='] as const) {
      if (isOp(op)) {
        pos += 1;
        left = { kind: 'binary', op, left, right: parseSum(inAggregation) };
        break;
      }
    }
    return left;
  }
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
      return { kind: 'negate', arg: nest(() => parseUnary(inAggregation)) };
    }
    if (isOp('+')) {
      pos += 1;
      return nest(() => parseUnary(inAggregation));
    }
    if (isWord('not')) {
      pos += 1;
      return { kind: 'not', arg: nest(() => parseUnary(inAggregation)) };
    }
    return parsePrimary(inAggregation);
  }
  function parseSetValue(): SetValue {
    const t = peek();
    pos += 1;
    if (t?.type === 'num') return { kind: 'literal', text: String(t.value), num: t.value };
    if (isOp('-', -1) && peek()?.type === 'num') {
      const n = -(tokens[pos++] as { value: number }).value;
      return { kind: 'literal', text: String(n), num: n };
    }
    if (t?.type === 'str') return t.quote === '"' || /[*?]/.test(t.value) ? { kind: 'search', text: t.value } : { kind: 'literal', text: t.value, num: Number.NaN };
    if (t?.type === 'ident' || t?.type === 'field') return { kind: 'literal', text: t.value, num: Number.NaN };
    throw new ExpressionError('Expected a value in a set element list');
  }
  function parseSet(): SetExpr {
    expect('{');
    let identifier = '';
    const t = peek();
    if (t?.type === 'num' && t.value === 1) {
      identifier = '1';
      pos += 1;
    } else if (t?.type === 'ident' || t?.type === 'field') {
      identifier = t.value;
      pos += 1;
    }
    const modifiers: SetModifier[] = [];
    if (isOp('<')) {
      pos += 1;
      while (!isOp('>')) {
        const f = peek();
        if (f?.type !== 'ident' && f?.type !== 'field') throw new ExpressionError('Expected a field name in a set modifier');
        pos += 1;
        expect('=');
        let values: SetValue[] | null = null;
        if (isOp('{')) {
          pos += 1;
          values = [];
          while (!isOp('}')) {
            values.push(parseSetValue());
            if (!isOp('}')) expect(',');
          }
          pos += 1;
        }
        modifiers.push({ field: f.value, values });
        if (!isOp('>')) expect(',');
      }
      pos += 1;
    }
    expect('}');
    return { identifier, modifiers };
  }
  function parseCall(name: string, inAggregation: boolean): Expr {
    const lower = name.toLowerCase();
    const fn = AGGREGATIONS[lower];
    expect('(');
    if (fn) {
      if (inAggregation) throw new ExpressionError('Nested aggregations are not supported');
      const set = isOp('{') ? parseSet() : undefined;
      let distinct = false;
      if (isWord('distinct') && peek(1) !== undefined && !isOp(')', 1)) {
        distinct = true;
        pos += 1;
      }
      const arg = nest(() => parseOr(true));
      expect(')');
      return { kind: 'aggregate', fn: fn.name, distinct, set, arg };
    }
    const scalar = SCALAR_FUNCTIONS[lower];
    if (!scalar) throw new ExpressionError(`Unsupported function "${name}"`);
    const args: Expr[] = [];
    while (!isOp(')')) {
      args.push(nest(() => parseOr(inAggregation)));
      if (!isOp(')')) expect(',');
    }
    pos += 1;
    if (args.length < scalar.minArgs || args.length > scalar.maxArgs) throw new ExpressionError(`${name} takes ${scalar.minArgs === scalar.maxArgs ? scalar.minArgs : `${scalar.minArgs} to ${scalar.maxArgs}`} arguments`);
    return { kind: 'call', name: lower, args };
  }
  function parsePrimary(inAggregation: boolean): Expr {
    const t = peek();
    if (!t) throw new ExpressionError('Unexpected end of expression');
    pos += 1;
    if (t.type === 'num') return { kind: 'number', value: t.value };
    if (t.type === 'str') return { kind: 'string', value: t.value };
    if (t.type === 'op' && t.value === '(') {
      const inner = nest(() => parseOr(inAggregation));
      expect(')');
      return inner;
    }
    if (t.type === 'ident' && isOp('(')) return parseCall(t.value, inAggregation);
    if (t.type === 'field' || t.type === 'ident') {
      if (!inAggregation) throw new ExpressionError(`Field "${t.value}" must be inside an aggregation such as Sum(${t.value})`);
      return { kind: 'field', name: t.value };
    }
    throw new ExpressionError(`Unexpected "${t.value}"`);
  }

  if (tokens.length === 0) throw new ExpressionError('Empty expression');
  const expr = parseOr(false);
  if (pos < tokens.length) throw new ExpressionError(`Unexpected "${String((tokens[pos] as Token).value)}"`);
  return expr;
}
