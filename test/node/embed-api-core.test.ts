/**
 * Unit tests of the embed API's DOM-free core (src/qlik): markup values, CSV fields, UI strings,
 * and how a changed markup declaration becomes engine calls (on a recording Doc stand-in; the
 * journeys run the same code against the dev tenant).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStateChange, parseValues, parseVariableValue, type InitialState } from '../../src/qlik/initial-state.ts';
import { csvField, csvLine } from '../../src/qlik/export-data.ts';
import { formatString, loadStrings, registerStrings, stringsFor } from '../../src/qlik/i18n.ts';
import type { QixDoc } from '../../src/qlik/qix-types.ts';

test('parseValues splits on ";", trims, and makes plain numbers numbers (codes like 007 stay text)', () => {
  assert.deepEqual(parseValues(' Europe; Americas ;;'), ['Europe', 'Americas']);
  assert.deepEqual(parseValues('2023;2024.5;-1'), [2023, 2024.5, -1]);
  assert.deepEqual(parseValues('007;1e3;12abc'), ['007', '1e3', '12abc']);
  assert.deepEqual(parseValues(null), []);
  assert.equal(parseVariableValue('0.15'), 0.15);
  assert.equal(parseVariableValue('Europe'), 'Europe');
});

test('CSV fields are quoted as RFC 4180 says', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('$1,234'), '"$1,234"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvLine(['a', 'b,c', '']), 'a,"b,c",');
});

test('UI strings: English until a dictionary loads; regional tags fall back; pages override', async () => {
  assert.equal(stringsFor('de').clearAll, 'Clear all', 'not loaded yet');
  const german = await loadStrings('de-AT');
  assert.equal(german.clearAll, 'Alle löschen');
  assert.equal(stringsFor('de-AT').noSelections, 'Keine Auswahl');
  registerStrings('de-AT', { clearAll: 'Alles weg' });
  assert.equal(stringsFor('de-AT').clearAll, 'Alles weg', 'the page wins for its tag');
  assert.equal(stringsFor('de').clearAll, 'Alle löschen', 'the base language keeps the dictionary');
  registerStrings('nl', { noSelections: 'Geen selecties' });
  assert.equal(stringsFor('nl').noSelections, 'Geen selecties');
  assert.equal(stringsFor('nl').clearAll, 'Clear all', 'missing strings stay English');
  assert.equal(formatString('Clear {field}', { field: 'Region' }), 'Clear Region');
  assert.throws(() => registerStrings('', {}), TypeError);
});

/** A Doc stand-in that records the engine calls the declaration change makes. */
function recordingDoc(): { doc: QixDoc; calls: string[] } {
  const calls: string[] = [];
  const field = (name: string, state?: string) => ({
    selectValues: async (values: { qText?: string; qNumber?: number }[], toggle: boolean) => void calls.push(`select ${state ?? '$'} ${name} ${values.map((v) => v.qNumber ?? v.qText).join('|')}${toggle ? ' toggle' : ''}`),
    select: async (match: string) => (calls.push(`search ${name} ${match}`), true),
    clear: async () => (calls.push(`clear ${state ?? '$'} ${name}`), true),
  });
  const doc = {
    getField: async (name: string, state?: string) => field(name, state),
    applyBookmark: async (id: string) => (calls.push(`bookmark ${id}`), true),
    getVariableByName: async (name: string) => ({
      setNumValue: async (value: number) => void calls.push(`variable ${name} ${value}`),
      setStringValue: async (value: string) => void calls.push(`variable ${name} "${value}"`),
      getLayout: async () => ({ qText: '1', qNum: 1 }),
    }),
  } as unknown as QixDoc;
  return { doc, calls };
}

test('a changed declaration clears removed fields, reapplies changed ones, and leaves the rest', async () => {
  const { doc, calls } = recordingDoc();
  const before: InitialState = {
    selections: [
      { field: 'Region', values: ['Europe'] },
      { field: 'Year', values: [2023] },
      { field: 'Category', values: ['Bikes'], state: 'Compare' },
    ],
    variables: [{ name: 'vGrowth', value: 0.1 }],
  };
  const after: InitialState = {
    selections: [
      { field: 'Region', values: ['Americas', 'Europe'] },
      { field: 'Category', values: ['Bikes'], state: 'Compare' },
      { field: 'Country', values: [], match: 'Ger*' },
    ],
    variables: [{ name: 'vGrowth', value: 0.2 }],
  };
  const applied = await applyStateChange(doc, before, after);
  assert.deepEqual(calls, ['variable vGrowth 0.2', 'clear $ Year', 'select $ Region Americas|Europe', 'search Country Ger*']);
  assert.deepEqual(applied.variables.map((v) => v.name), ['vGrowth']);
  calls.length = 0;
  await applyStateChange(doc, after, { ...after, bookmark: 'bm-1' });
  assert.deepEqual(calls, ['bookmark bm-1', 'select $ Region Americas|Europe', 'select Compare Category Bikes', 'search Country Ger*'], 'a new bookmark replaces selections, so the declared ones are applied again on top');
});
