/** The native charts' DOM-free geometry and formats, and the nebula.js theme mapping. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cubeGrid, labelStep, plotArea, stackValues, valueAxisModel } from '../../src/qlik/chart-layout.ts';
import { formatTicks } from '../../src/qlik/number-format.ts';
import { nebulaTheme } from '../../src/qlik/nebula-theme.ts';
import type { NxCell } from '../../src/qlik/qix-types.ts';

const MONEY = { qType: 'M', qFmt: '$#,##0', qDec: '.', qThou: ',' };

test('ticks read in the measure\'s format, abbreviated, and zero has no unit', () => {
  assert.deepEqual(formatTicks([0, 500_000, 1_000_000, 1_500_000], MONEY), ['$0', '$0.5M', '$1M', '$1.5M']);
  assert.deepEqual(formatTicks([0, 100_000, 200_000], MONEY), ['$0', '$100k', '$200k']);
  assert.deepEqual(formatTicks([0, 0.1, 0.2], { qType: 'F', qFmt: '0.0%', qDec: '.', qThou: ',' }), ['0%', '10%', '20%']);
  assert.deepEqual(formatTicks([-1000, 0, 1000], undefined), ['-1k', '0', '1k']);
  assert.deepEqual(formatTicks([0, 2, 4], MONEY), ['$0', '$2', '$4']);
  assert.deepEqual(formatTicks([0, 1500, 3000], { qType: 'F', qFmt: '# ##0,00', qDec: ',', qThou: ' ' }), ['0', '1,5k', '3k']);
});

test('a value axis fits as many ticks as its height allows, zero included, labelled', () => {
  const short = valueAxisModel([120, 5_900_000], 100, MONEY);
  const tall = valueAxisModel([120, 5_900_000], 400, MONEY);
  assert.ok(short.ticks.length < tall.ticks.length, `${short.ticks.length} ticks in 100 px, ${tall.ticks.length} in 400 px`);
  assert.equal(tall.ticks[0]?.text, '$0');
  assert.ok(tall.ticks.every((t) => !/^\$?0[kMG]/.test(t.text)), tall.ticks.map((t) => t.text).join(' '));
});

test('the plot leaves room for the widest label and the legend', () => {
  const plot = plotArea({ width: 400, height: 200 }, { left: ['$0', '$1,000,000'], legend: true });
  assert.ok(plot.left > 60 && plot.top > 20 && plot.right < 400 && plot.bottom < 200, JSON.stringify(plot));
  assert.equal(labelStep(12, 120, 30), 4, 'every 4th of 12 labels of 30 px fits in 120 px');
});

const cell = (text: string, elem: number, num?: number): NxCell => ({ qText: text, qElemNumber: elem, qState: 'O', ...(num === undefined ? {} : { qNum: num }) });

test('a two-dimension cube becomes a category × series grid; stacks grow up and down from zero', () => {
  const grid = cubeGrid(
    [
      [cell('Bikes', 0), cell('Europe', 0), cell('1', 0, 1)],
      [cell('Bikes', 0), cell('Asia', 1), cell('2', 0, 2)],
      [cell('Locks', 1), cell('Asia', 1), cell('3', 0, 3)],
    ],
    2,
  );
  assert.deepEqual(grid.categories.map((c) => c.qText), ['Bikes', 'Locks']);
  assert.deepEqual(grid.series.map((c) => c.qText), ['Europe', 'Asia']);
  assert.equal(grid.cells[1]?.[0], undefined, 'Locks has no Europe row');
  assert.deepEqual(stackValues([[1, 2, -3, Number.NaN]]), [[[0, 1], [1, 3], [0, -3], [3, 3]]]);
});

test('the kit\'s custom properties become a nebula.js theme', () => {
  const values: Record<string, string> = { '--qlik-text-color': ' #111 ', '--qlik-chart-color-0': '#a00', '--qlik-chart-color-1': '#0a0' };
  const theme = nebulaTheme((name) => values[name] ?? '');
  assert.equal(theme.color, '#111');
  assert.equal(theme.dataColors.primaryColor, '#a00');
  assert.deepEqual(theme.palettes.data[0]?.scale, ['#a00', '#0a0']);
  assert.equal(theme.fontFamily, 'system-ui, sans-serif', 'defaults where the page sets nothing');
});
