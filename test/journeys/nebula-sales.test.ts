/**
 * Qlik's own nebula.js (stardust 7.4 with the sn-* charts), unmodified, in headless Chromium
 * against the dev tenant: every stored visualization of the Sales app renders by id and draws,
 * and one chart of each newer type renders on the fly from fields and master items, with no
 * console error. Expected values are computed here from the generated rows.
 *
 * The journey also measures what nebula.js needs from the engine: every QIX method it called,
 * and those answered -32601 (reported as diagnostics).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createSalesApp, DEFAULT_USERS, SAMPLE_APP_ID } from '../../src/dev-tenant/index.ts';
import { generateSalesRows, SALES_OBJECT_IDS as IDS } from '../../src/dev-tenant/engine/index.ts';
import { objectType } from '../../src/dev-tenant/engine/app.ts';
import { userAccessToken, websocketToken } from '../support/dev-tenant-tokens.ts';
import { startNebulaWorld, watchPage, type NebulaWorld, type PageWatch } from '../support/nebula-page.ts';
import type { Drawn } from './pages/nebula/harness.ts';

type Field = string | { qLibraryId: string; type: 'dimension' | 'measure' };
interface NebulaWindow {
  nebula: {
    open(url: string): Promise<string[]>;
    renderId(id: string): Promise<void>;
    renderSheet(id: string): Promise<void>;
    renderFields(type: string, fields: Field[], key: string, properties?: object): Promise<void>;
    drawn(key: string): Drawn;
  };
}

const ROWS = generateSalesRows(50_000);
const money = (n: number): string => `$${Math.round(n).toLocaleString('en-US')}`;
const total = ROWS.reduce((sum, r) => sum + r.Sales, 0);
const sumWhere = (keep: (r: (typeof ROWS)[number]) => boolean): number => ROWS.filter(keep).reduce((sum, r) => sum + r.Sales, 0);
const REGIONS = [...new Set(ROWS.map((r) => r.Region))].sort();

/** Stored visualizations nebula.js has a public chart for (Qlik publishes no text-image chart). */
const STORED = createSalesApp({ rows: 1 })
  .objects.map((o) => o.properties)
  .filter((p) => objectType(p) === 'masterobject' && p.visualization !== 'text-image')
  .map((p) => ({ id: String((p.qInfo as { qId: string }).qId), type: String(p.visualization), title: String(p.title) }));

/** Chart types picasso.js draws on a canvas. */
const CANVAS_TYPES = new Set(['barchart', 'linechart', 'piechart', 'combochart', 'scatterplot']);

/** Sheets, with the titles of the cells nebula.js can draw (every cell but the text-image). */
const SHEETS = createSalesApp({ rows: 1 })
  .objects.map((o) => o.properties)
  .filter((p) => objectType(p) === 'sheet')
  .map((p) => ({
    id: String((p.qInfo as { qId: string }).qId),
    titles: (p.cells as Array<{ name: string; type: string }>).filter((c) => c.type !== 'text-image').map((c) => STORED.find((s) => s.id === c.name)!.title),
    /** nebula.js shows its error view for a text-image cell (no chart is registered for it). */
    textImage: (p.cells as Array<{ type: string }>).some((c) => c.type === 'text-image'),
    canvas: (p.cells as Array<{ type: string }>).some((c) => CANVAS_TYPES.has(c.type)),
  }));

/** What each stored object must show beyond its title: text, and canvas ink for charts drawn by picasso.js. */
const EXPECT: Record<string, { text?: string[]; ink?: boolean }> = {
  [IDS.kpi]: { text: [money(total)] },
  [IDS.bar]: { text: REGIONS.slice(0, 3), ink: true },
  [IDS.line]: { text: ['Sales'], ink: true },
  [IDS.pie]: { text: ['Bikes', 'Services'], ink: true },
  [IDS.table]: { text: ['Totals', money(total), 'Argentina'] },
  [IDS.filterPane]: { text: [...REGIONS, 'Category', '2022', '2024'] },
  [IDS.stackedBar]: { text: ['Accessories', ...REGIONS], ink: true },
  [IDS.combo]: { text: ['Sales', 'Quantity'], ink: true },
  [IDS.scatter]: { text: ['Sales', 'Quantity'], ink: true },
  [IDS.pivot]: { text: [...REGIONS, 'Bikes', money(sumWhere((r) => r.Region === 'Europe' && r.Category === 'Bikes'))] },
};

interface Expect {
  text?: string[];
  ink?: boolean;
  /** The only error views allowed: each names this (a sheet's text-image cell). */
  errorsAbout?: string;
}

/** The error views that are not allowed by `errorsAbout`. */
function unexpectedErrors(error: string, errorsAbout = ''): string {
  return error
    .split(' | ')
    .filter((e) => e && !(errorsAbout && e.includes(errorsAbout)))
    .join(' | ');
}

async function waitDrawn(page: Page, key: string, expect: Expect): Promise<Drawn> {
  try {
    await page.waitForFunction(
      ([k, text, ink, about]) => {
        const d = (window as unknown as NebulaWindow).nebula.drawn(k);
        const errors = d.error.split(' | ').filter((e) => e && !(about && e.includes(about)));
        return errors.length === 0 && text.every((t) => d.text.includes(t)) && (!ink || d.inkPixels > 500);
      },
      [key, expect.text ?? [], expect.ink ?? false, expect.errorsAbout ?? ''] as const,
      { timeout: 20_000, polling: 100 },
    );
  } catch {
    // Fall through: the assertions below say what is missing.
  }
  return page.evaluate((k) => (window as unknown as NebulaWindow).nebula.drawn(k), key);
}

function assertDrawn(drawn: Drawn, expect: Expect, what: string): void {
  assert.equal(unexpectedErrors(drawn.error, expect.errorsAbout), '', `${what} shows nebula's error view`);
  for (const text of expect.text ?? []) assert.ok(drawn.text.includes(text), `${what} shows ${JSON.stringify(text)}; it shows ${JSON.stringify(drawn.text.slice(0, 400))}`);
  if (expect.ink) assert.ok(drawn.inkPixels > 500, `${what} drew ${drawn.inkPixels} canvas pixels`);
}

function newErrors(watch: PageWatch, before: number): string[] {
  return watch.errors.slice(before);
}

describe('nebula.js (stardust + sn-* charts) against the dev tenant', () => {
  let world: NebulaWorld;
  let page: Page;
  let watch: PageWatch;

  before(async () => {
    world = await startNebulaWorld();
    page = await world.browser.newPage({ viewport: { width: 1280, height: 900 } });
    watch = watchPage(page);
    await page.goto(world.origin);
    const token = await websocketToken(world.tenant.url, await userAccessToken(world.tenant.url, DEFAULT_USERS[0]!.id));
    const url = `${world.tenant.url.replace(/^http/, 'ws')}/app/${SAMPLE_APP_ID}?accessToken=${encodeURIComponent(token)}`;
    await page.evaluate((u) => (window as unknown as NebulaWindow).nebula.open(u), url);
  });

  after(async (t) => {
    const count = (m: Map<string, number>): string => [...m].map(([name, n]) => `${name}×${n}`).join(', ') || 'none';
    if (watch) {
      (t as unknown as { diagnostic?: (s: string) => void }).diagnostic?.(`QIX methods called: ${count(watch.calledMethods)}`);
      console.log(`nebula.js called: ${count(watch.calledMethods)}\nanswered -32601: ${count(watch.missingMethods)}`);
    }
    await world?.close();
  });

  test('the Sales app has stored visualizations of every type the issue lists', () => {
    assert.deepEqual(
      [...new Set(STORED.map((s) => s.type))].sort(),
      ['barchart', 'combochart', 'filterpane', 'kpi', 'linechart', 'piechart', 'pivot-table', 'scatterplot', 'table'],
    );
    assert.deepEqual(STORED.map((s) => s.id).sort(), Object.keys(EXPECT).sort(), 'every stored visualization has an expectation');
  });

  for (const stored of STORED) {
    test(`renders the stored ${stored.type} "${stored.id}" by id, and it draws`, async () => {
      const errorsBefore = watch.errors.length;
      await page.evaluate((id) => (window as unknown as NebulaWindow).nebula.renderId(id), stored.id);
      const expect = EXPECT[stored.id]!;
      const drawn = await waitDrawn(page, stored.id, { ...expect, text: [stored.title, ...(expect.text ?? [])] });
      assertDrawn(drawn, { ...expect, text: [stored.title, ...(expect.text ?? [])] }, stored.id);
      assert.deepEqual(newErrors(watch, errorsBefore), [], `console errors while rendering ${stored.id}`);
    });
  }

  for (const sheet of SHEETS) {
    test(`renders the sheet "${sheet.id}" by id with every cell nebula.js has a chart for`, async () => {
      const errorsBefore = watch.errors.length;
      await page.evaluate((id) => (window as unknown as NebulaWindow).nebula.renderSheet(id), sheet.id);
      const expect = { text: sheet.titles, ink: sheet.canvas, errorsAbout: sheet.textImage ? "'text-image'" : undefined };
      assertDrawn(await waitDrawn(page, sheet.id, expect), expect, sheet.id);
      assert.deepEqual(newErrors(watch, errorsBefore), [], `console errors while rendering ${sheet.id}`);
    });
  }

  const ON_THE_FLY: Array<{ key: string; type: string; fields: Field[]; properties?: object; expect: { text?: string[]; ink?: boolean } }> = [
    {
      key: 'fly-stacked-bar',
      type: 'barchart',
      fields: ['Category', 'Region', '=Sum(Sales)'],
      properties: { barGrouping: { grouping: 'stacked' } },
      expect: { text: ['Bikes', ...REGIONS], ink: true },
    },
    { key: 'fly-combo', type: 'combochart', fields: ['Year', '=Sum(Sales)', '=Sum(Quantity)'], expect: { text: ['Year', 'Measures'], ink: true } },
    { key: 'fly-scatter', type: 'scatterplot', fields: ['Country', '=Sum(Sales)', '=Sum(Quantity)'], expect: { ink: true } },
    {
      key: 'fly-pivot',
      type: 'pivot-table',
      fields: [{ qLibraryId: 'dim-region', type: 'dimension' }, 'Category', { qLibraryId: 'msr-sales', type: 'measure' }],
      expect: { text: [...REGIONS, 'Services', money(sumWhere((r) => r.Region === 'Americas' && r.Category === 'Services'))] },
    },
  ];

  for (const chart of ON_THE_FLY) {
    test(`renders a new ${chart.type} on the fly from ${chart.fields.map((f) => (typeof f === 'string' ? f : f.qLibraryId)).join(', ')}`, async () => {
      const errorsBefore = watch.errors.length;
      await page.evaluate(([type, fields, key, properties]) => (window as unknown as NebulaWindow).nebula.renderFields(type, fields, key, properties), [
        chart.type,
        chart.fields,
        chart.key,
        chart.properties,
      ] as const);
      assertDrawn(await waitDrawn(page, chart.key, chart.expect), chart.expect, chart.key);
      assert.deepEqual(newErrors(watch, errorsBefore), [], `console errors while rendering ${chart.key}`);
    });
  }

  test("selecting in nebula.js's filter pane filters the other charts (begin, select, confirm)", async () => {
    const errorsBefore = watch.errors.length;
    await page.locator(`[data-key="${IDS.filterPane}"]`).getByText('Europe', { exact: true }).click();
    await page.getByTestId('actions-toolbar-confirm').first().click();
    const europe = money(sumWhere((r) => r.Region === 'Europe'));
    const drawn = await waitDrawn(page, IDS.kpi, { text: [europe] });
    assertDrawn(drawn, { text: [europe] }, 'the KPI after selecting Europe');
    for (const method of ['BeginSelections', 'SelectListObjectValues', 'EndSelections']) assert.ok(watch.calledMethods.has(method), `nebula.js called ${method}`);
    assert.deepEqual(newErrors(watch, errorsBefore), [], 'console errors while selecting');
  });

  test('nebula.js called no engine method the dev tenant lacks', () => {
    assert.deepEqual([...watch.missingMethods.keys()], [], 'methods answered -32601 method not found');
  });
});
