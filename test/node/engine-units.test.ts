/**
 * Unit tests for the engine's pieces that need no socket: number formats, the expression
 * parser, the delta diff, selection states and the sample data generator.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatNumber, formatPattern, dateToSerial } from '../../src/dev-tenant/engine/number-format.ts';
import { parseExpression, ExpressionError, evaluate } from '../../src/dev-tenant/engine/expression.ts';
import { diff, DeltaCache, type PatchOperation } from '../../src/dev-tenant/engine/delta.ts';
import { DataModel } from '../../src/dev-tenant/engine/data-model.ts';
import { SelectionState, SelectionHistory } from '../../src/dev-tenant/engine/selection.ts';
import { Params, QixError, readRequest } from '../../src/dev-tenant/engine/rpc.ts';
import { generateSalesRows, createRandom } from '../../src/dev-tenant/engine/sales-data.ts';
import { applyPatchOperation } from '../../src/dev-tenant/engine/json.ts';

describe('number formats', () => {
  test('fixed patterns with grouping and decimals', () => {
    const f = (qFmt: string, n: number): string => formatNumber(n, { qType: 'F', qnDec: 2, qUseThou: 1, qFmt, qDec: '.', qThou: ',' });
    assert.equal(f('#,##0', 1234567.4), '1,234,567');
    assert.equal(f('#,##0', 999.5), '1,000');
    assert.equal(f('#,##0.00', 1234.5), '1,234.50');
    assert.equal(f('#,##0.00', -0.004), '0.00');
    assert.equal(f('#,##0.00', -1234.567), '-1,234.57');
    assert.equal(f('0.0%', 0.1234), '12.3%');
    assert.equal(f('#,##0.##', 3.1), '3.1');
    assert.equal(f('0000', 42), '0042');
  });

  test('money, with a negative section', () => {
    assert.equal(formatNumber(15365387.9, { qType: 'M', qFmt: '$#,##0', qDec: '.', qThou: ',' }), '$15,365,388');
    assert.equal(formatNumber(-42.5, { qType: 'M', qFmt: '$#,##0.00;($#,##0.00)', qDec: '.', qThou: ',' }), '($42.50)');
    assert.equal(formatNumber(-42.5, { qType: 'M', qFmt: '$#,##0.00', qDec: '.', qThou: ',' }), '-$42.50');
    // Without a pattern, money follows qnDec and qUseThou.
    assert.equal(formatNumber(1234.5, { qType: 'M', qnDec: 2, qUseThou: 1, qFmt: '', qDec: '.', qThou: ',' }), '$1,234.50');
  });

  test('separators come from qDec and qThou', () => {
    assert.equal(formatPattern(1234567.891, '# ##0,00', ',', ' '), '1 234 567,89');
    assert.equal(formatNumber(1234567.891, { qType: 'F', qFmt: '#.##0,0', qDec: ',', qThou: '.' }), '1.234.567,9');
  });

  test('real, integer, auto and date', () => {
    assert.equal(formatNumber(1234.5678, { qType: 'R', qnDec: 3, qUseThou: 0, qFmt: '', qDec: '.', qThou: ',' }), '1234.568');
    assert.equal(formatNumber(1234.5678, { qType: 'I', qnDec: 0, qUseThou: 1, qFmt: '', qDec: '.', qThou: ',' }), '1,235');
    assert.equal(formatNumber(0.1 + 0.2, { qType: 'U' }), '0.3');
    assert.equal(formatNumber(15365387.899999915, undefined), '15365387.9');
    assert.equal(formatNumber(Number.NaN, undefined), '-');
    assert.equal(formatNumber(dateToSerial(2024, 2, 29), { qType: 'D', qFmt: 'YYYY-MM-DD' }), '2024-02-29');
    assert.equal(dateToSerial(1899, 12, 30), 0);
    assert.equal(dateToSerial(2024, 1, 1), 45292);
  });
});

describe('expressions', () => {
  const model = new DataModel({
    name: 'T',
    fields: [{ name: 'Group' }, { name: 'Amount' }, { name: 'Who' }],
    rows: [
      { Group: 'a', Amount: 10, Who: 'x' },
      { Group: 'a', Amount: 5, Who: 'y' },
      { Group: 'b', Amount: 7, Who: 'x' },
      { Group: 'b', Amount: 1, Who: 'x' },
    ],
  });
  const all = { rows: null, rowCount: 4, rowGroup: null, groupCount: 1 };
  const value = (source: string): number => evaluate(parseExpression(source), model, all)[0] as number;

  test('aggregations over every row', () => {
    assert.equal(value('Sum(Amount)'), 23);
    assert.equal(value('=Sum([Amount])'), 23);
    assert.equal(value('Count(Amount)'), 4);
    assert.equal(value('Count(distinct Who)'), 2);
    assert.equal(value('count(DISTINCT [Who])'), 2);
    assert.equal(value('Avg(Amount)'), 5.75);
    assert.equal(value('Min(Amount)'), 1);
    assert.equal(value('Max(Amount)'), 10);
    assert.equal(value('Sum(Amount) / Count(Amount) * 2 - -1'), 12.5);
    assert.equal(value('Sum(Amount * 2 + 1)'), 50);
    assert.ok(Number.isNaN(value('Sum(Amount) / 0')));
  });

  test('per group', () => {
    const rowGroup = Int32Array.from([0, 0, 1, 1]);
    const out = evaluate(parseExpression('Sum(Amount)'), model, { rows: null, rowCount: 4, rowGroup, groupCount: 2 });
    assert.deepEqual([...out], [15, 8]);
    const distinct = evaluate(parseExpression('Count(distinct Who)'), model, { rows: Uint32Array.from([1, 2, 3]), rowCount: 3, rowGroup: Int32Array.from([0, 1, 1]), groupCount: 2 });
    assert.deepEqual([...distinct], [1, 1]);
  });

  test('rejects what it does not support', () => {
    for (const bad of ['', 'Sum(', 'Amount', 'Sum(Sum(Amount))', 'Rank(Amount)', 'Sum({<Year={2023}> Amount)', 'Sum(Amount))', 'Sum(Amount) +']) {
      assert.throws(() => parseExpression(bad), ExpressionError, bad);
    }
  });
});

/** A plain RFC 6902 applier, independent of the engine, to check the diff's output. */
function applyAll(root: unknown, ops: PatchOperation[]): unknown {
  let doc = structuredClone(root);
  for (const op of ops) doc = applyPatchOperation(doc, op.op, op.path, structuredClone(op.value));
  return doc;
}

describe('delta diff', () => {
  const cases: Array<[unknown, unknown]> = [
    [{ a: 1, b: { c: [1, 2, 3] } }, { a: 2, b: { c: [1, 5] }, d: 'x' }],
    [{ qMatrix: [[{ qText: 'a' }], [{ qText: 'b' }]] }, { qMatrix: [[{ qText: 'a' }], [{ qText: 'c' }], [{ qText: 'd' }]] }],
    [[1, 2, 3], [3, 2, 1, 0]],
    [{ keep: true, gone: 1 }, { keep: true }],
    [{ x: { y: 1 } }, { x: [1, 2] }],
    [{ 'a/b': 1 }, { 'a/b': 2 }],
    [{ '0': { a: 1 } }, { '0': { a: 2 } }],
  ];
  for (const [before, after] of cases) {
    test(`turns ${JSON.stringify(before)} into ${JSON.stringify(after)}`, () => {
      assert.deepEqual(applyAll(before, diff(before, after)), after);
    });
  }

  test('first value is an add at the root; equal values give no patches', () => {
    assert.deepEqual(diff(undefined, { a: 1 }), [{ op: 'add', path: '/', value: { a: 1 } }]);
    assert.deepEqual(diff({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), []);
    assert.deepEqual(diff(true, false), [{ op: 'replace', path: '/', value: false }]);
  });

  test('keys the enigma.js applier would misread are replaced one level up', () => {
    assert.deepEqual(diff({ m: { '0': 1 } }, { m: { '0': 2 } }), [{ op: 'replace', path: '/m', value: { '0': 2 } }]);
    assert.deepEqual(diff({ m: { 'a~b': 1 } }, { m: { 'a~b': 2 } }), [{ op: 'replace', path: '/m', value: { 'a~b': 2 } }]);
  });

  test('the cache diffs per handle and method, and forgets closed handles', () => {
    const cache = new DeltaCache();
    assert.deepEqual(cache.encode(2, 'GetLayout', { qLayout: { n: 1 } }), { qLayout: [{ op: 'add', path: '/', value: { n: 1 } }] });
    assert.deepEqual(cache.encode(2, 'GetLayout', { qLayout: { n: 2 } }), { qLayout: [{ op: 'replace', path: '/n', value: 2 }] });
    assert.deepEqual(cache.encode(3, 'GetLayout', { qLayout: { n: 2 } }), { qLayout: [{ op: 'add', path: '/', value: { n: 2 } }] });
    cache.forget(2);
    assert.deepEqual(cache.encode(2, 'GetLayout', { qLayout: { n: 2 } }), { qLayout: [{ op: 'add', path: '/', value: { n: 2 } }] });
  });
});

describe('selection state', () => {
  const model = new DataModel({
    name: 'T',
    fields: [{ name: 'Region' }, { name: 'Country' }],
    rows: [
      { Region: 'EU', Country: 'SE' },
      { Region: 'EU', Country: 'DE' },
      { Region: 'NA', Country: 'US' },
      { Region: 'NA', Country: 'CA' },
    ],
  });
  const region = model.field('Region');
  const country = model.field('Country');
  assert.ok(region && country);

  test('included rows and S/O/A/X/XS states', () => {
    const none = new SelectionState(model);
    assert.equal(none.includedRows, null);
    assert.equal(none.stateOf(country, 0, true), 'O');
    const eu = none.with(region, [0]);
    assert.deepEqual([...(eu.includedRows ?? [])], [0, 1]);
    assert.deepEqual([0, 1].map((v) => eu.stateOf(region, v, true)), ['S', 'A']);
    assert.deepEqual([0, 1].map((v) => eu.stateOf(region, v, false)), ['S', 'X']);
    assert.deepEqual([0, 1, 2, 3].map((v) => eu.stateOf(country, v, true)), ['O', 'O', 'X', 'X']);
    const conflicting = eu.with(country, [2]);
    assert.equal(conflicting.includedRowCount, 0);
    assert.equal(conflicting.stateOf(country, 2, true), 'XS');
    assert.deepEqual(eu.stateCounts(country, true), { qLocked: 0, qSelected: 0, qOption: 2, qDeselected: 0, qAlternative: 0, qExcluded: 2, qSelectedExcluded: 0, qLockedExcluded: 0 });
  });

  test('history walks back and forward and drops forward states on a new step', () => {
    const first = new SelectionState(model);
    const history = new SelectionHistory(first);
    const a = first.with(region, [0]);
    const b = a.with(country, [0]);
    history.push(a);
    history.push(b);
    assert.equal(history.backCount, 2);
    assert.ok(history.back());
    assert.equal(history.current, a);
    assert.equal(history.forwardCount, 1);
    history.push(first.with(region, [1]));
    assert.equal(history.forwardCount, 0);
    assert.ok(!history.forward());
  });
});

describe('rpc envelope and params', () => {
  test('positional and named params read the same', () => {
    const names = ['qPath', 'qDimNo', 'qValues', 'qToggleMode'];
    for (const raw of [['/qHyperCubeDef', 0, [1, 2], true], { qPath: '/qHyperCubeDef', qDimNo: 0, qValues: [1, 2], qToggleMode: true }]) {
      const p = new Params(raw, names);
      assert.equal(p.string('qPath'), '/qHyperCubeDef');
      assert.equal(p.integer('qDimNo'), 0);
      assert.deepEqual(p.array('qValues'), [1, 2]);
      assert.equal(p.boolean('qToggleMode'), true);
    }
    assert.equal(new Params([], names).boolean('qToggleMode', false), false);
  });

  test('bad params name the parameter', () => {
    const p = new Params([42], ['qDocName']);
    assert.throws(() => p.string('qDocName'), (err: unknown) => err instanceof QixError && err.code === -32602 && err.parameter === 'qDocName');
    assert.throws(() => new Params([], ['qId']).string('qId'), (err: unknown) => err instanceof QixError && err.code === -32602);
  });

  test('envelope checks', () => {
    assert.throws(() => readRequest([]), (err: unknown) => err instanceof QixError && err.code === -32600);
    assert.throws(() => readRequest({ id: 1, method: 'X' }), (err: unknown) => err instanceof QixError && err.parameter === 'handle');
    assert.throws(() => readRequest({ id: 1, handle: -1, method: 'X', params: 'no' }), (err: unknown) => err instanceof QixError && err.code === -32602);
    assert.deepEqual(readRequest({ id: 7, handle: -1, method: 'X', delta: true }), { id: 7, handle: -1, method: 'X', params: [], delta: true });
  });
});

describe('sales data', () => {
  test('same seed, same rows; rows in date order across 2022–2024', () => {
    const a = generateSalesRows(2000, 7);
    const b = generateSalesRows(2000, 7);
    assert.deepEqual(a, b);
    assert.notDeepEqual(generateSalesRows(2000, 8).map((r) => r.Sales), a.map((r) => r.Sales));
    for (let i = 1; i < a.length; i += 1) assert.ok((a[i] as { Date: { num: number } }).Date.num >= (a[i - 1] as { Date: { num: number } }).Date.num);
    assert.equal(a[0]?.Year, 2022);
    assert.equal(a.at(-1)?.Year, 2024);
    assert.ok(a.every((r) => r.Sales > 0 && r.Quantity >= 1 && Number.isInteger(r.Quantity)));
  });

  test('the PRNG is uniform enough', () => {
    const random = createRandom(1);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i += 1) buckets[Math.floor(random() * 10)] += 1;
    for (const n of buckets) assert.ok(Math.abs(n - 10_000) < 500, String(n));
  });

  // How fast is measured in `npm run bench`, not here.
  test('50 000 rows load into the column store', () => {
    const model = new DataModel({ name: 'Orders', fields: [{ name: 'Region' }, { name: 'Sales' }], rows: generateSalesRows() });
    assert.equal(model.rowCount, 50_000);
    assert.equal(model.field('Region')?.cardinal, 4);
  });
});
