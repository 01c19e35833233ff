/** Unit tests of the expression pieces: the function table, set analysis, `$(…)` expansion and wildcard matching. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DataModel } from '../../src/dev-tenant/engine/data-model.ts';
import { evaluate, expandDollars, ExpressionError, parseExpression, setSelection } from '../../src/dev-tenant/engine/expression.ts';
import { createRandom } from '../../src/dev-tenant/engine/sales-data.ts';
import { SelectionState } from '../../src/dev-tenant/engine/selection.ts';
import { wildcardMatcher } from '../../src/dev-tenant/engine/text-match.ts';

const model = new DataModel({
  name: 'T',
  fields: [{ name: 'Group' }, { name: 'Amount' }, { name: 'Who' }],
  rows: [
    { Group: 'a', Amount: 10, Who: 'x' },
    { Group: 'a', Amount: 5, Who: 'y' },
    { Group: 'b', Amount: 7, Who: 'x' },
    { Group: 'b', Amount: 7, Who: 'z' },
  ],
});
const group = model.field('Group');
assert.ok(group);
const onlyA = new SelectionState(model).with(group, [0]);

function value(source: string, state: SelectionState = new SelectionState(model)): number {
  const rowsOf = (s: SelectionState | null): { rows: Uint32Array | null; rowCount: number; rowGroup: null; groupCount: number } => {
    const rows = s ? s.includedRows : new Uint32Array(0);
    return { rows, rowCount: rows?.length ?? model.rowCount, rowGroup: null, groupCount: 1 };
  };
  const expr = parseExpression(source);
  return evaluate(expr, model, rowsOf(state), (set) => rowsOf(setSelection(set, model, state, () => new SelectionState(model))))[0] as number;
}

describe('functions and operators', () => {
  test('aggregations, distinct, scalar functions and comparisons come from one table', () => {
    assert.equal(value('Sum(distinct Amount)'), 22);
    assert.equal(value('Only(Group)'), Number.NaN);
    assert.equal(value('Only(Amount)', onlyA), Number.NaN);
    assert.equal(value('Only({<Who={z}>} Amount)'), 7);
    assert.equal(value('If(Sum(Amount) > 20, 1, 2)'), 1);
    assert.equal(value('RangeSum(Sum(Amount), -Min(Amount), Alt(Only(Group), 3))'), 29 - 5 + 3);
    assert.equal(value('Round(Avg(Amount), 0.5)'), 7.5);
    assert.equal(value('Sum(Amount) >= 29 and not 0'), -1);
    assert.equal(value('Mod(Count(Who), 3)'), 1);
    assert.throws(() => parseExpression('Round()'), ExpressionError);
    assert.throws(() => parseExpression('Nope(Amount)'), /Unsupported function "Nope"/);
  });
});

describe('set analysis', () => {
  test('{1}, {$}, element lists, clearing modifiers, search strings, and no match', () => {
    assert.equal(value('Sum(Amount)', onlyA), 15);
    assert.equal(value('Sum({1} Amount)', onlyA), 29);
    assert.equal(value("Sum({<Group={'b'}>} Amount)", onlyA), 14);
    assert.equal(value('Sum({<Group=>} Amount)', onlyA), 29);
    assert.equal(value("Sum({<Group=, Who={'x'}>} Amount)", onlyA), 17);
    assert.equal(value('Sum({<Who={"?"}, Amount={7}>} Amount)'), 14);
    assert.equal(value("Sum({<Who={'nobody'}>} Amount)"), 0);
    assert.equal(value("Count({1<Group={'a','b'}>} Who)", onlyA), 4);
    assert.throws(() => parseExpression("Sum({<Group={'a'} Amount)"), ExpressionError);
  });
});

describe('dollar-sign expansion', () => {
  const vars: Record<string, string> = { vA: '2', vB: '$(vA)*3', vLoop: '$(vLoop)' };
  const lookup = (name: string): string | undefined => vars[name];
  test('expands variables, nested variables and $(=…); unknown names expand to nothing', () => {
    assert.equal(expandDollars('Sum(Amount)*$(vB)', lookup), 'Sum(Amount)*2*3');
    assert.equal(expandDollars('x$(vNone)y', lookup), 'xy');
    assert.equal(expandDollars('$(=1+1) items', lookup, (e) => `<${e}>`), '<1+1> items');
    assert.equal(expandDollars('$( vA )', lookup), '2');
  });
  test('refuses what cannot end', () => {
    assert.throws(() => expandDollars('$(vLoop)', lookup), /nested too deeply/);
    assert.throws(() => expandDollars('$(vA', lookup), /Unclosed/);
  });
});

describe('wildcard matching', () => {
  test('agrees with a regular expression on generated patterns and texts', () => {
    const random = createRandom(7);
    const pick = (alphabet: string, max: number): string => Array.from({ length: Math.floor(random() * (max + 1)) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (let i = 0; i < 3000; i += 1) {
      const pattern = pick('ab*?', 6);
      const text = pick('abAB', 8);
      const reference = new RegExp(`^${pattern.replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'is');
      assert.equal(wildcardMatcher(pattern)(text), reference.test(text), `${pattern} on ${text}`);
    }
  });

  test('F6: a pattern that makes a backtracking matcher explode is answered (5,000 "e" against 500 "*e" then "*Z")', () => {
    // A regular expression built from this pattern backtracks for longer than anyone waits;
    // the piece-by-piece matcher answers at once. No time limit is asserted: a matcher that
    // backtracks simply never gets here.
    const text = 'e'.repeat(5000);
    const stars = '*e'.repeat(500);
    assert.equal(wildcardMatcher(`${stars}*Z`)(text), false, 'no Z at the end');
    assert.equal(wildcardMatcher(`${stars}*Z*`)(text), false, 'no Z anywhere');
    assert.equal(wildcardMatcher(`${stars}*`)(text), true);
    assert.equal(wildcardMatcher(`${stars}*e`)(text), true);
    assert.equal(wildcardMatcher(`${stars}*`)('e'.repeat(499)), false, 'fewer e than the pattern needs');
  });
});
