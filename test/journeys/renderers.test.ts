/**
 * Journey: every stored object of the Sales app under renderer="native", "nebula" (Qlik's own
 * nebula.js charts, unmodified) and "auto", on the dev tenant, in Chromium: each draws, no
 * console error appears, a selection made in a nebula chart updates a native KPI, and 20 mixed
 * objects share one token exchange, one websocket and one OpenDoc.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SALES_OBJECT_IDS } from '../../src/dev-tenant/engine/index.ts';
import type { Locator, Page } from 'playwright-core';
import { assertOneOfEach } from '../support/framework-demo.ts';
import type { JourneyWorld } from '../support/journey.ts';
import { eventually, expectedSales, money } from '../support/qlik-journey.ts';
import { openRenderersPage, settled, startRenderersWorld } from '../support/renderers-world.ts';

/** Every stored object a sheet can show (the sheets themselves are not objects to draw). */
const OBJECT_IDS = Object.values(SALES_OBJECT_IDS).filter((id) => !id.startsWith('sheet-'));

/**
 * Engine methods a nebula.js chart calls that the dev tenant does not answer yet. Each one
 * appears as an uncaught error of the page; anything else fails the journey.
 */

let world: JourneyWorld;

before(async () => {
  world = await startRenderersWorld();
});

after(async () => {
  await world?.close();
});

type SelectionEvent = { type: string; detail?: { action?: string; field?: string; values?: string[] } };

/**
 * Clicks across a nebula.js bar chart (a canvas) until a bar takes the click, and returns the
 * `qlik-selection-changed` events for a selected value the page then heard. The largest bars come first, so the left
 * part of the plot hits one.
 */
async function clickBarUntilSelected(page: Page, chart: Locator): Promise<SelectionEvent[]> {
  const box = await chart.boundingBox();
  assert.ok(box, 'the nebula chart has a box');
  const selections = () => page.evaluate(() => (window as unknown as { __events: SelectionEvent[] }).__events.filter((e) => e.type === 'qlik-selection-changed' && e.detail?.action === 'select'));
  for (let f = 0.2; f < 0.8 && (await selections()).length === 0; f += 0.05) {
    await page.mouse.click(box.x + box.width * f, box.y + box.height * 0.6);
    await eventually(async () => (await selections()).length > 0, 'a bar took the click', 1_500).catch(() => undefined);
  }
  await eventually(async () => (await selections()).length > 0, 'qlik-selection-changed from the nebula chart');
  return selections();
}

const unexpected = (problems: string[]) => problems.filter((p) => p.startsWith('error') || p.startsWith('uncaught'));

test('20 mixed objects (native, nebula, auto) make 1 token exchange, 1 websocket and 1 OpenDoc', async () => {
  const renderers = ['native', 'nebula', 'auto'];
  const objects = Array.from({ length: 20 }, (_, i) => ({ objectId: OBJECT_IDS[i % OBJECT_IDS.length] as string, renderer: renderers[i % 3] as string }));
  const { page, problems, close } = await openRenderersPage(world, { renderer: 'native', objects });
  const drawn = await settled(page);
  assert.equal(drawn.length, 20);
  assert.ok(drawn.some((d) => d.how === 'nebula') && drawn.some((d) => d.how === 'native'), 'both renderers are on the page');
  assertOneOfEach(world.tenant, '20 mixed objects and the native KPI');
  assert.deepEqual(unexpected(problems), []);
  await close();
});

test('renderer="native": every stored object draws; the pivot table is a placeholder naming the nebula plugin', async () => {
  const { page, problems, close } = await openRenderersPage(world, { renderer: 'native', objects: OBJECT_IDS });
  const drawn = await settled(page);
  for (const d of drawn) assert.equal(d.how, d.objectId === SALES_OBJECT_IDS.pivot ? 'placeholder' : 'native', `${d.objectId} ${d.error}`);
  const placeholder = await page.locator(`qlik-object[object-id="${SALES_OBJECT_IDS.pivot}"] [part="placeholder"]`).textContent();
  assert.match(placeholder ?? '', /pivot-table[\s\S]*embed-kit\/renderers\/nebula/);
  assert.deepEqual(unexpected(problems), []);
  await close();
});

test('renderer="nebula": every chart is drawn by its sn-* package; text and listboxes stay native', async () => {
  const { page, problems, close } = await openRenderersPage(world, { renderer: 'nebula', objects: OBJECT_IDS });
  const drawn = await settled(page);
  const nativeTypes: string[] = [SALES_OBJECT_IDS.text, SALES_OBJECT_IDS.regionListbox, SALES_OBJECT_IDS.categoryListbox, SALES_OBJECT_IDS.yearListbox];
  for (const d of drawn) assert.equal(d.how, nativeTypes.includes(d.objectId) ? 'native' : 'nebula', `${d.objectId} ${d.error}`);
  assert.deepEqual(unexpected(problems), []);
  await close();
});

test('renderer="auto": native where it draws well, nebula.js for the pivot table', async () => {
  const { page, problems, close } = await openRenderersPage(world, { renderer: 'auto', objects: OBJECT_IDS });
  const drawn = await settled(page);
  for (const d of drawn) assert.equal(d.how, d.objectId === SALES_OBJECT_IDS.pivot ? 'nebula' : 'native', `${d.objectId} ${d.error}`);
  assert.deepEqual(unexpected(problems), []);
  await close();
});

test('a selection in a nebula.js bar chart updates the native KPI and fires qlik-selection-changed', async () => {
  const expected = expectedSales();
  const { page, problems, close } = await openRenderersPage(world, { renderer: 'nebula', objects: [SALES_OBJECT_IDS.bar] });
  await settled(page);
  const kpi = page.locator('#native-kpi .kpi-value');
  await eventually(async () => (await kpi.textContent())?.trim() === money(expected.total), 'the native KPI shows the total');
  const selections = await clickBarUntilSelected(page, page.locator(`#stage > qlik-object[object-id="${SALES_OBJECT_IDS.bar}"] > .embed-kit-nebula`));
  const [event] = selections;
  assert.equal(event?.detail?.field, 'Region');
  const region = event?.detail?.values?.[0] ?? '';
  const regionSales = expected.byRegion.get(region);
  assert.ok(regionSales !== undefined, `the event names a region (${region})`);
  await eventually(async () => (await kpi.textContent())?.trim() === money(regionSales), `the native KPI shows ${region}: ${money(regionSales)}`);
  assert.deepEqual(unexpected(problems), []);
  await close();
});

test('interactions="passive" on a nebula.js chart: clicks on its bars select nothing; switched to "select", they select', async () => {
  const { page, problems, close } = await openRenderersPage(world, { renderer: 'nebula', objects: [SALES_OBJECT_IDS.bar], interactions: 'passive' });
  await settled(page);
  // Every engine call on the page's one session, from now on.
  await page.evaluate(() => {
    const w = window as unknown as { __sent: string[] };
    w.__sent = [];
    const session = (document.querySelector('#native-kpi') as HTMLElement & { session: { on(event: string, listener: (m: { method: string }) => void): void } }).session;
    session.on('traffic:sent', (message) => w.__sent.push(message.method));
  });
  const element = page.locator(`#stage > qlik-object[object-id="${SALES_OBJECT_IDS.bar}"]`);
  const chart = element.locator(':scope > .embed-kit-nebula');
  const box = await chart.boundingBox();
  assert.ok(box, 'the nebula chart has a box');
  // Where clickBarUntilSelected clicks: across the plot, over the bars.
  for (let f = 0.2; f < 0.8; f += 0.05) await page.mouse.click(box.x + box.width * f, box.y + box.height * 0.6);
  // One round trip on the same socket: whatever the clicks sent went out before it.
  await page.evaluate(() => (document.querySelector('#native-kpi') as HTMLElement & { app: { evaluate(e: string): Promise<string> } }).app.evaluate('1'));
  const sent = await page.evaluate(() => (window as unknown as { __sent: string[] }).__sent);
  assert.deepEqual(
    sent.filter((method) => /^(BeginSelections|Select|RangeSelect|MultiRangeSelect)/.test(method)),
    [],
    'a passive chart makes no selection calls',
  );
  const events = await page.evaluate(() => (window as unknown as { __events: SelectionEvent[] }).__events.filter((e) => e.type === 'qlik-selection-changed'));
  assert.deepEqual(events, []);
  // The same element, switched live: the clicks that selected nothing now select.
  await element.evaluate((el) => el.setAttribute('interactions', 'select'));
  const [event] = await clickBarUntilSelected(page, chart);
  assert.equal(event?.detail?.field, 'Region');
  await page.evaluate(() => (document.querySelector('#native-kpi') as HTMLElement & { clearAll(): Promise<void> }).clearAll());
  assert.deepEqual(unexpected(problems), []);
  await close();
});

test('a selection in a nebula.js filter pane (on its listboxes\' handles) fires qlik-selection-changed and updates the native KPI', async () => {
  const expected = expectedSales();
  const europe = expected.byRegion.get('Europe');
  assert.ok(europe !== undefined, 'the Sales app has a Europe region');
  const { page, problems, close } = await openRenderersPage(world, { renderer: 'nebula', objects: [SALES_OBJECT_IDS.filterPane] });
  await settled(page);
  const kpi = page.locator('#native-kpi .kpi-value');
  await eventually(async () => (await kpi.textContent())?.trim() === money(expected.total), 'the native KPI shows the total');
  const pane = page.locator(`#stage > qlik-object[object-id="${SALES_OBJECT_IDS.filterPane}"]`);
  await pane.getByText('Europe', { exact: true }).click();
  await page.getByTestId('actions-toolbar-confirm').first().click();
  const changed = () => page.evaluate(() => (window as unknown as { __events: (SelectionEvent & { objectId: string })[] }).__events.filter((e) => e.type === 'qlik-selection-changed'));
  await eventually(async () => (await changed()).length > 0, 'qlik-selection-changed from the nebula.js filter pane');
  const [event] = await changed();
  assert.deepEqual({ objectId: event?.objectId, field: event?.detail?.field, values: event?.detail?.values }, { objectId: SALES_OBJECT_IDS.filterPane, field: 'Region', values: ['Europe'] });
  await eventually(async () => (await kpi.textContent())?.trim() === money(europe), `the native KPI shows Europe: ${money(europe)}`);
  await page.evaluate(() => (document.querySelector('#native-kpi') as HTMLElement & { clearAll(): Promise<void> }).clearAll());
  assert.deepEqual(unexpected(problems), []);
  await close();
});

test('<qlik-dashboard renderer="nebula">: a selection in its nebula.js bar chart shows in its selections bar', async () => {
  const { page, problems, close } = await openRenderersPage(world, { renderer: 'native', objects: [], dashboard: 'nebula' });
  const chart = page.locator(`qlik-dashboard qlik-object[object-id="${SALES_OBJECT_IDS.bar}"] > .embed-kit-nebula`);
  await eventually(async () => ((await chart.boundingBox())?.height ?? 0) > 50 && (await chart.locator('canvas').count()) > 0, 'the dashboard\'s bar chart is drawn by nebula.js', 30_000);
  await page.locator('qlik-dashboard [part~="clear-all-button"], qlik-dashboard .selections .none').first().waitFor();
  if ((await page.locator('qlik-dashboard [part~="clear-all-button"]').count()) > 0) {
    // An earlier test's selection is still in this user's engine state.
    await page.locator('qlik-dashboard [part~="clear-all-button"]').click();
    await page.locator('qlik-dashboard .selections .none').waitFor();
  }
  const [event] = await clickBarUntilSelected(page, chart);
  const region = event?.detail?.values?.[0] ?? '';
  assert.ok(region, 'the event names the region');
  await page.locator('qlik-dashboard [part="selection"]').filter({ hasText: region }).waitFor({ timeout: 10_000 });
  assert.deepEqual(unexpected(problems), []);
  await close();
});

test('renderer="nebula": a type without its chart package is a placeholder naming it; a chart that fails to load is a typed qlik-error', async () => {
  const { page, problems, close } = await openRenderersPage(world, {
    renderer: 'nebula',
    objects: [SALES_OBJECT_IDS.pivot, SALES_OBJECT_IDS.scatter],
    unregistered: ['pivot-table'],
    failing: ['scatterplot'],
  });
  const placeholder = page.locator(`qlik-object[object-id="${SALES_OBJECT_IDS.pivot}"] [part="placeholder"]`);
  await placeholder.waitFor({ timeout: 15_000 });
  assert.match((await placeholder.textContent()) ?? '', /Install @nebula\.js\/sn-pivot-table and register it: registerNebulaTypes/);
  const errors = () => page.evaluate(() => (window as unknown as { __events: { type: string; objectId: string; code?: string }[] }).__events.filter((e) => e.type === 'qlik-error'));
  await eventually(async () => (await errors()).length > 0, 'a qlik-error from the failing chart');
  assert.deepEqual(await errors(), [{ type: 'qlik-error', target: 'qlik-object', objectId: SALES_OBJECT_IDS.scatter, detail: undefined, code: 'nebula_chart_not_installed' }]);
  const shown = await page.locator(`qlik-object[object-id="${SALES_OBJECT_IDS.scatter}"]`).evaluate((el) => el.shadowRoot?.textContent ?? '');
  assert.match(shown, /Install @nebula\.js\/sn-scatter-plot and register it with registerNebulaTypes/, 'the hint is on screen');
  assert.deepEqual(unexpected(problems), []);
  await close();
});

test('a nebula.js chart missing the dimensions it needs shows nebula.js\'s error view (in the element\'s language), which the journey does not count as drawn', async () => {
  const scatter = { objectId: SALES_OBJECT_IDS.scatter, renderer: 'nebula' };
  const { page, close } = await openRenderersPage(world, { renderer: 'nebula', objects: [SALES_OBJECT_IDS.bar, scatter, { ...scatter, lang: 'de' }], incomplete: ['scatterplot'] });
  const drawn = await settled(page);
  assert.deepEqual(
    drawn.map((d) => [d.objectId, d.how]),
    [
      [SALES_OBJECT_IDS.bar, 'nebula'],
      [SALES_OBJECT_IDS.scatter, 'nebula-error'],
      [SALES_OBJECT_IDS.scatter, 'nebula-error'],
    ],
    JSON.stringify(drawn),
  );
  // nebula.js's own words follow the element's lang (`de` is stardust's de-DE); the page is English.
  assert.deepEqual(
    drawn.slice(1).map((d) => d.error.split(':')[0]),
    ['Incomplete visualization', 'Unvollständige Visualisierung'],
  );
  await close();
});

test('one CSS rule colours a pie chart by dimension alike, native and nebula.js (the palette answers to the stored dimensionScheme)', async () => {
  const colours = ['rgb(255, 0, 255)', 'rgb(0, 200, 0)', 'rgb(0, 0, 255)', 'rgb(255, 140, 0)'];
  const css = `#stage > qlik-object { ${colours.map((c, i) => `--qlik-chart-color-${i}: ${c};`).join(' ')} }`;
  const pie = SALES_OBJECT_IDS.pie;
  const { page, problems, close } = await openRenderersPage(world, { renderer: 'native', objects: [pie, { objectId: pie, renderer: 'nebula' }], css });
  const drawn = await settled(page);
  assert.deepEqual(drawn.map((d) => d.how), ['native', 'nebula']);
  const native = await page.locator('#stage > qlik-object[renderer="native"] path.slice').evaluateAll((paths) => paths.map((p) => getComputedStyle(p).fill));
  assert.deepEqual(native.slice(0, 2), colours.slice(0, 2), 'the native slices');
  // Canvas pixels of each colour in the nebula.js pie (exact: the slices' insides are flat fills).
  const counts = await page.locator('#stage > qlik-object[renderer="nebula"] > .embed-kit-nebula').evaluate((mount, wanted) => {
    const rgb = wanted.map((c) => c.match(/\d+/g)!.map(Number));
    const found = rgb.map(() => 0);
    for (const canvas of mount.querySelectorAll('canvas')) {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 0; i < data.length; i += 4) {
        const at = rgb.findIndex(([r, g, b]) => data[i] === r && data[i + 1] === g && data[i + 2] === b && data[i + 3] === 255);
        if (at >= 0) found[at]! += 1;
      }
    }
    return found;
  }, colours);
  assert.ok(counts[0]! > 200 && counts[1]! > 200, `the nebula.js slices use the kit's colours 0 and 1: ${counts.join(', ')} pixels of ${colours.join(', ')}`);
  assert.deepEqual(unexpected(problems), []);
  await close();
});

test('renderer="qlik-embed" on the dev tenant\'s stand-in: the page\'s token function signs it in and the tenant accepts the token', async () => {
  const exchanges = world.tenant.stats.websocketTokenExchanges;
  const { page, problems, close } = await openRenderersPage(world, { renderer: 'qlik-embed', objects: [SALES_OBJECT_IDS.kpi], qlikEmbedStandIn: true });
  const embed = page.locator('#stage > qlik-object qlik-embed');
  await embed.waitFor({ timeout: 15_000 });
  const tokenFunction = await embed.getAttribute('get-access-token');
  assert.match(tokenFunction ?? '', /^embedKitGetAccessToken_/, 'the kit named its token function in get-access-token');
  assert.equal(await embed.getAttribute('auth-type'), 'Oauth2');
  // The same user's engine state as the page's native KPI (an earlier test may have selected).
  const nativeKpi = page.locator('#native-kpi .kpi-value');
  await eventually(async () => /^\$[\d,]+$/.test((await nativeKpi.textContent())?.trim() ?? ''), 'the native KPI draws');
  await eventually(
    async () => (await embed.locator('.kpi-value').textContent())?.trim() === (await nativeKpi.textContent())?.trim(),
    'the stand-in draws the KPI with the kit underneath',
  );
  assert.ok(Number(await embed.getAttribute('data-token-calls')) >= 1, 'the stand-in called the page\'s token function');
  // Two websocket tokens: the page's native KPI (signed in by <auth-login>) and the stand-in's
  // object, signed in by the token function alone; the engine opened the KPI for both.
  assert.equal(world.tenant.stats.websocketTokenExchanges, exchanges + 2, 'the tenant accepted the token function\'s token');
  assert.deepEqual(unexpected(problems), []);
  await close();
});
