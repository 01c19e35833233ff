/**
 * The expression functions the dev tenant knows, in one place: aggregations (which fold the
 * rows of each group) and scalar functions (which map values). Adding a function is one entry
 * here; the parser and the evaluator read these tables.
 */

/** What an aggregation folds: one value per scoped row, and the group of each row. */
export interface AggregationInput {
  /** The argument's value per row (read through `rows` when set); NaN for text and nulls. */
  values: Float64Array;
  /** The field value index per row when the argument is a plain field, else undefined. */
  keys: Int32Array | undefined;
  /** Scoped row i is `values[rows[i]]`; null: `values[i]`. Saves copying a stored column. */
  rows: Uint32Array | null;
  rowCount: number;
  /** Group per scoped row, or null when every row is in group 0. */
  rowGroup: Int32Array | null;
  groupCount: number;
}

export interface AggregationDef {
  name: AggregationName;
  fold(input: AggregationInput): Float64Array;
  /**
   * The value over all rows from the per-group values, when it can be had that way (every row
   * is in exactly one group): saves a second pass for a chart's grand total.
   */
  total?(groupValues: Float64Array): number;
}

const numbersOf = (values: Float64Array): number[] => [...values].filter((v) => !Number.isNaN(v));

export type AggregationName = 'Sum' | 'Count' | 'Avg' | 'Min' | 'Max' | 'Only';

/** Calls `each(group, value)` for every row whose value is a number. */
function eachNumber(input: AggregationInput, each: (g: number, v: number) => void): void {
  const { values, rows, rowCount, rowGroup } = input;
  for (let i = 0; i < rowCount; i += 1) {
    const v = values[rows ? (rows[i] as number) : i] as number;
    if (v === v) each(rowGroup ? (rowGroup[i] as number) : 0, v);
  }
}

/** Sum: the hot loop of most charts, kept free of branches it does not need. */
function sum(input: AggregationInput): Float64Array {
  const out = new Float64Array(input.groupCount);
  const { values, rows, rowCount, rowGroup } = input;
  if (rows && rowGroup) {
    for (let i = 0; i < rowCount; i += 1) {
      const v = values[rows[i] as number] as number;
      if (v === v) out[rowGroup[i] as number] += v;
    }
  } else if (rowGroup) {
    for (let i = 0; i < rowCount; i += 1) {
      const v = values[i] as number;
      if (v === v) out[rowGroup[i] as number] += v;
    }
  } else {
    let total = 0;
    for (let i = 0; i < rowCount; i += 1) {
      const v = values[rows ? (rows[i] as number) : i] as number;
      if (v === v) total += v;
    }
    out[0] = total;
  }
  return out;
}

function count(input: AggregationInput): Float64Array {
  const out = new Float64Array(input.groupCount);
  // A field argument counts every row (each row holds a value of each field in this one-table
  // model, text included); an expression counts the rows where it is a number.
  if (input.keys) for (let i = 0; i < input.rowCount; i += 1) out[input.rowGroup ? (input.rowGroup[i] as number) : 0] += 1;
  else eachNumber(input, (g) => (out[g] += 1));
  return out;
}

function extreme(input: AggregationInput, sign: 1 | -1): Float64Array {
  const out = new Float64Array(input.groupCount).fill(Number.NaN);
  eachNumber(input, (g, v) => {
    const current = out[g] as number;
    if (current !== current || (v - current) * sign > 0) out[g] = v;
  });
  return out;
}

const table: AggregationDef[] = [
  { name: 'Sum', fold: sum, total: (values) => numbersOf(values).reduce((a, b) => a + b, 0) },
  { name: 'Count', fold: count, total: (values) => numbersOf(values).reduce((a, b) => a + b, 0) },
  {
    name: 'Avg',
    fold(input) {
      const totals = new Float64Array(input.groupCount);
      const counts = new Float64Array(input.groupCount);
      eachNumber(input, (g, v) => {
        totals[g] += v;
        counts[g] += 1;
      });
      return totals.map((t, g) => ((counts[g] as number) === 0 ? Number.NaN : t / (counts[g] as number)));
    },
  },
  { name: 'Min', fold: (input) => extreme(input, -1), total: (values) => numbersOf(values).reduce((a, b) => (Number.isNaN(a) || b < a ? b : a), Number.NaN) },
  { name: 'Max', fold: (input) => extreme(input, 1), total: (values) => numbersOf(values).reduce((a, b) => (Number.isNaN(a) || b > a ? b : a), Number.NaN) },
  {
    // The one value of the group, or null (NaN) when the group holds several.
    name: 'Only',
    fold(input) {
      const out = new Float64Array(input.groupCount).fill(Number.NaN);
      const many = new Uint8Array(input.groupCount);
      eachNumber(input, (g, v) => {
        const current = out[g] as number;
        if (current !== current && !many[g]) out[g] = v;
        else if (current !== v) {
          many[g] = 1;
          out[g] = Number.NaN;
        }
      });
      return out;
    },
  },
];

/** Aggregations by lower-case name. */
export const AGGREGATIONS: Readonly<Record<string, AggregationDef>> = Object.fromEntries(table.map((d) => [d.name.toLowerCase(), d]));

export interface ScalarDef {
  minArgs: number;
  maxArgs: number;
  apply(args: number[]): number;
}

const isNum = (n: number | undefined): n is number => n !== undefined && !Number.isNaN(n);
const numbers = (args: number[]): number[] => args.filter(isNum);
/** Qlik's true is -1. */
const truth = (b: boolean): number => (b ? -1 : 0);

/** Scalar functions by lower-case name. Text arguments arrive as NaN. */
export const SCALAR_FUNCTIONS: Readonly<Record<string, ScalarDef>> = {
  abs: { minArgs: 1, maxArgs: 1, apply: ([x]) => Math.abs(x as number) },
  fabs: { minArgs: 1, maxArgs: 1, apply: ([x]) => Math.abs(x as number) },
  round: { minArgs: 1, maxArgs: 2, apply: ([x, step = 1]) => Math.round((x as number) / step) * step },
  floor: { minArgs: 1, maxArgs: 2, apply: ([x, step = 1]) => Math.floor((x as number) / step) * step },
  ceil: { minArgs: 1, maxArgs: 2, apply: ([x, step = 1]) => Math.ceil((x as number) / step) * step },
  sqrt: { minArgs: 1, maxArgs: 1, apply: ([x]) => Math.sqrt(x as number) },
  exp: { minArgs: 1, maxArgs: 1, apply: ([x]) => Math.exp(x as number) },
  log: { minArgs: 1, maxArgs: 1, apply: ([x]) => Math.log(x as number) },
  log10: { minArgs: 1, maxArgs: 1, apply: ([x]) => Math.log10(x as number) },
  pow: { minArgs: 2, maxArgs: 2, apply: ([x, y]) => (x as number) ** (y as number) },
  mod: { minArgs: 2, maxArgs: 2, apply: ([x, y]) => (isNum(x) && isNum(y) && y !== 0 ? x - y * Math.floor(x / y) : Number.NaN) },
  pi: { minArgs: 0, maxArgs: 0, apply: () => Math.PI },
  num: { minArgs: 1, maxArgs: 4, apply: ([x]) => x as number },
  if: { minArgs: 2, maxArgs: 3, apply: ([c, a, b = Number.NaN]) => (isNum(c) && c !== 0 ? (a as number) : b) },
  alt: { minArgs: 1, maxArgs: 64, apply: (args) => args.find(isNum) ?? (args[args.length - 1] as number) },
  isnull: { minArgs: 1, maxArgs: 1, apply: ([x]) => truth(!isNum(x)) },
  rangesum: { minArgs: 1, maxArgs: 64, apply: (args) => numbers(args).reduce((a, b) => a + b, 0) },
  rangemax: { minArgs: 1, maxArgs: 64, apply: (args) => numbers(args).reduce((a, b) => (Number.isNaN(a) || b > a ? b : a), Number.NaN) },
  rangemin: { minArgs: 1, maxArgs: 64, apply: (args) => numbers(args).reduce((a, b) => (Number.isNaN(a) || b < a ? b : a), Number.NaN) },
  rangeavg: { minArgs: 1, maxArgs: 64, apply: (args) => (numbers(args).length ? numbers(args).reduce((a, b) => a + b, 0) / numbers(args).length : Number.NaN) },
};

/** Binary operators on numbers; comparisons and logic give Qlik's -1 for true. */
export const BINARY_OPERATORS: Readonly<Record<string, (a: number, b: number) => number>> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => (b === 0 ? Number.NaN : a / b),
  '=': (a, b) => truth(a === b),
  '<>': (a, b) => truth(a !== b),
  '<': (a, b) => truth(a < b),
  '>': (a, b) => truth(a > b),
  '<=': (a, b) => truth(a <= b),
  '>=': (a, b) => truth(a >= b),
  and: (a, b) => truth(isNum(a) && a !== 0 && isNum(b) && b !== 0),
  or: (a, b) => truth((isNum(a) && a !== 0) || (isNum(b) && b !== 0)),
};
