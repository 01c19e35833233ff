/**
 * An in-memory column store, the way the QIX engine holds data: each field is a dictionary of
 * distinct values (in load order) and each row holds an integer index into it. Aggregation
 * then runs as a tight loop over typed arrays.
 */

/** A QIX dual: text plus a number, like `Month` = `Jan` / 1. */
export interface DualValue {
  text: string;
  num: number;
}

/** One cell of input data: text, number, or dual. */
export type CellInput = string | number | DualValue;

export interface FieldSpec {
  name: string;
  /** Extra QIX tags, e.g. `$date`, `$timestamp`, `$key`. `$numeric`, `$text`, … are derived. */
  tags?: readonly string[];
  /** The field's number format, as `qNumFormat`. */
  numFormat?: NumFormat;
  comment?: string;
}

export interface NumFormat {
  qType: string;
  qnDec?: number;
  qUseThou?: number;
  qFmt?: string;
  qDec?: string;
  qThou?: string;
}

export interface TableInput {
  name: string;
  fields: readonly FieldSpec[];
  rows: Iterable<Readonly<Record<string, CellInput>>>;
}

type ColumnInit = { kind: 'dictionary'; values: DualValue[]; codes: Int32Array } | { kind: 'numbers'; nums: Float64Array };

export class Field {
  readonly index: number;
  readonly name: string;
  readonly spec: FieldSpec;
  readonly tags: string[];
  #values: DualValue[] | undefined;
  #codes: Int32Array | undefined;
  #nums: Float64Array | undefined;
  #frequency: Int32Array | undefined;
  readonly #sortRanks = new Map<string, Int32Array>();

  constructor(index: number, spec: FieldSpec, column: ColumnInit) {
    this.index = index;
    this.name = spec.name;
    this.spec = spec;
    if (column.kind === 'dictionary') {
      this.#values = column.values;
      this.#codes = column.codes;
    } else {
      this.#nums = column.nums;
    }
    this.tags = column.kind === 'dictionary' ? dictionaryTags(spec, column.values) : numberTags(spec, column.nums);
  }

  /** Distinct values in load order; a value's index is its `qElemNumber`. */
  get values(): DualValue[] {
    this.#encode();
    return this.#values as DualValue[];
  }

  /** row → value index */
  get codes(): Int32Array {
    this.#encode();
    return this.#codes as Int32Array;
  }

  get cardinal(): number {
    return this.values.length;
  }

  /** True when every value has a number (a numeric field or a dual). */
  get isNumeric(): boolean {
    return this.tags.includes('$numeric');
  }

  /** row → numeric value (NaN for text-only values), built on first use. */
  get nums(): Float64Array {
    if (!this.#nums) {
      const byValue = Float64Array.from(this.values, (v) => v.num);
      const codes = this.codes;
      const nums = new Float64Array(codes.length);
      for (let r = 0; r < nums.length; r += 1) nums[r] = byValue[codes[r] as number] as number;
      this.#nums = nums;
    }
    return this.#nums;
  }

  /** value index → number of rows holding it. */
  get frequency(): Int32Array {
    if (!this.#frequency) {
      const codes = this.codes;
      const f = new Int32Array(this.cardinal);
      for (let r = 0; r < codes.length; r += 1) f[codes[r] as number] = (f[codes[r] as number] as number) + 1;
      this.#frequency = f;
    }
    return this.#frequency;
  }

  /** value index → rank under a selection-independent sort, cached per criteria key. */
  sortRank(key: string, compare: (a: number, b: number) => number): Int32Array {
    let ranks = this.#sortRanks.get(key);
    if (!ranks) {
      const order = Array.from({ length: this.cardinal }, (_, i) => i).sort(compare);
      ranks = new Int32Array(this.cardinal);
      order.forEach((valueIndex, rank) => {
        (ranks as Int32Array)[valueIndex] = rank;
      });
      this.#sortRanks.set(key, ranks);
    }
    return ranks;
  }

  /**
   * Purely numeric columns (amounts, ids) load as plain numbers, since most are only ever
   * aggregated; their dictionary is built the first time something needs values or codes.
   */
  #encode(): void {
    if (this.#codes) return;
    const nums = this.#nums as Float64Array;
    const dictionary = new Map<number, number>();
    const values: DualValue[] = [];
    const codes = new Int32Array(nums.length);
    for (let r = 0; r < nums.length; r += 1) {
      const n = nums[r] as number;
      let code = dictionary.get(n);
      if (code === undefined) {
        code = values.length;
        dictionary.set(n, code);
        values.push({ text: String(n), num: n });
      }
      codes[r] = code;
    }
    this.#values = values;
    this.#codes = codes;
  }
}

function loadColumn(rows: ReadonlyArray<Readonly<Record<string, CellInput>>>, name: string): ColumnInit {
  if (rows.length > 0 && rows.every((row) => typeof row[name] === 'number')) {
    return { kind: 'numbers', nums: Float64Array.from(rows, (row) => row[name] as number) };
  }
  const dictionary = new Map<string | number, number>();
  const values: DualValue[] = [];
  const codes = new Int32Array(rows.length);
  // Consecutive rows often repeat a value (rows come in date order); skip the lookup then.
  let lastKey: string | number | undefined;
  let lastCode = -1;
  for (let r = 0; r < rows.length; r += 1) {
    const cell = (rows[r] as Readonly<Record<string, CellInput>>)[name];
    const key = cell === undefined ? '' : typeof cell === 'object' ? cell.text : cell;
    if (key !== lastKey) {
      let code = dictionary.get(key);
      if (code === undefined) {
        code = values.length;
        dictionary.set(key, code);
        values.push(toDual(cell));
      }
      lastKey = key;
      lastCode = code;
    }
    codes[r] = lastCode;
  }
  return { kind: 'dictionary', values, codes };
}

export class DataModel {
  readonly tableName: string;
  readonly fields: Field[];
  readonly rowCount: number;
  readonly #byName: Map<string, Field>;
  /** Milliseconds spent loading, for the record. */
  readonly loadMs: number;

  constructor(table: TableInput) {
    const started = performance.now();
    this.tableName = table.name;
    const rows = Array.isArray(table.rows) ? (table.rows as ReadonlyArray<Readonly<Record<string, CellInput>>>) : [...table.rows];
    this.rowCount = rows.length;
    // Column by column: each loop reads one property of same-shaped rows, which stays fast.
    this.fields = table.fields.map((spec, i) => new Field(i, spec, loadColumn(rows, spec.name)));
    this.#byName = new Map(this.fields.map((f) => [f.name, f]));
    this.loadMs = performance.now() - started;
  }

  field(name: string): Field | undefined {
    return this.#byName.get(name);
  }
}

function toDual(cell: CellInput | undefined): DualValue {
  if (cell === undefined) return { text: '', num: Number.NaN };
  if (typeof cell === 'object') return { text: cell.text, num: cell.num };
  if (typeof cell === 'number') return { text: String(cell), num: cell };
  return { text: cell, num: Number.NaN };
}

function numberTags(spec: FieldSpec, nums: Float64Array): string[] {
  const tags = new Set(spec.tags ?? []);
  tags.add('$numeric');
  if (nums.every(Number.isInteger)) tags.add('$integer');
  return [...tags];
}

function dictionaryTags(spec: FieldSpec, values: readonly DualValue[]): string[] {
  const tags = new Set(spec.tags ?? []);
  let numeric = values.length > 0;
  let integer = true;
  let text = false;
  let ascii = true;
  for (const v of values) {
    if (Number.isNaN(v.num)) numeric = false;
    else if (!Number.isInteger(v.num)) integer = false;
    if (!text && v.text !== String(v.num)) text = true;
    for (let i = 0; ascii && i < v.text.length; i += 1) {
      const c = v.text.charCodeAt(i);
      if (c < 0x20 || c > 0x7e) ascii = false;
    }
  }
  if (numeric) tags.add('$numeric');
  if (numeric && integer) tags.add('$integer');
  if (text || !numeric) tags.add('$text');
  if ((text || !numeric) && ascii) tags.add('$ascii');
  return [...tags];
}
