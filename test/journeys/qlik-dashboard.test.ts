/**
 * Journey: `<auth-login>` + `<qlik-dashboard>` against the dev tenant, in Chromium. The numbers
 * on screen are checked against totals computed here from the Sales app's generated rows.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { SAMPLE_APP_ID, type DevTenant } from '../../src/dev-tenant/index.ts';
import { signInOnDevTenant, startJourneyWorld, type JourneyWorld } from '../support/journey.ts';
import { eventually, expectedSales, JOURNEY_PAGE_PATH, kpiValue, money, openJourneyPage, qlikEvents, statuses } from '../support/qlik-journey.ts';

let world: JourneyWorld;
let tenant: DevTenant;
let browser: Browser;
let pageUrl: string;
const expected = expectedSales();

before(async () => {
  world = await startJourneyWorld(JOURNEY_PAGE_PATH);
  ({ tenant, browser, pageUrl } = world);
});

after(async () => {
  await world?.close();
});

const auth = () => ({ provider: 'qlik', host: tenant.url, 'client-id': 'journey-spa' });

/** The session events the page heard, in order, each with the element that fired it. */
const sessionEvents = (events: { type: string; target: string }[]) =>
  events.filter((e) => e.type.startsWith('qlik-session-')).map((e) => `${e.type} from ${e.target}`);

test('sign in, the dashboard renders, and the KPI equals the total computed from the sample data', async () => {
  const { context, page } = await openJourneyPage(browser, pageUrl, { auth: auth(), appId: SAMPLE_APP_ID, mount: 'dashboard' });
  assert.equal(await page.locator('qlik-dashboard').getAttribute('status'), 'idle', 'waits for sign-in');
  await signInOnDevTenant(page);
  await page.locator('qlik-dashboard[status="open"]').waitFor({ timeout: 15_000 });
  await eventually(async () => (await kpiValue(page).textContent())?.trim() === money(expected.total), `KPI shows ${money(expected.total)}`);
  assert.equal(await page.locator('qlik-dashboard [part="title"]').first().textContent(), 'Overview');
  assert.equal(await page.locator('qlik-object[object-id="bar-sales-by-region"] rect.bar').count(), expected.byRegion.size);
  assert.equal(tenant.stats.websocketTokenExchanges, 1, 'one websocket token for the whole dashboard');
  assert.equal(tenant.engine.stats.upgrades, 1, 'one websocket for the whole dashboard');
  // One websocket, one qlik-session-open: the dashboard's, not one more per object in its grid.
  assert.deepEqual(sessionEvents(await qlikEvents(page)), ['qlik-session-open from qlik-dashboard']);
  await context.close();
});

test('select a bar: KPI and table change to the filtered values; clear: they return', async () => {
  const { context, page } = await openJourneyPage(browser, pageUrl, { auth: auth(), appId: SAMPLE_APP_ID, mount: 'dashboard' });
  await signInOnDevTenant(page);
  const bar = page.locator('qlik-object[object-id="bar-sales-by-region"] rect.bar').first();
  await bar.waitFor({ timeout: 15_000 });
  const region = ((await bar.getAttribute('aria-label')) ?? '').split(':')[0] ?? '';
  const regionSales = expected.byRegion.get(region);
  assert.ok(regionSales !== undefined, `bar is a region (${region})`);
  await bar.click();
  await eventually(async () => (await kpiValue(page).textContent())?.trim() === money(regionSales), `KPI shows ${region}: ${money(regionSales)}`);
  await page.locator('qlik-dashboard [part="selection"]').filter({ hasText: region }).waitFor();

  await page.locator('qlik-dashboard [part="sheet-picker"]').selectOption({ label: 'Details' });
  const tableTotal = page.locator('qlik-object[object-id="table-sales-details"] .totals td.num').first();
  await eventually(async () => (await tableTotal.textContent())?.trim() === money(regionSales), 'table total shows the region');
  const firstCountry = (await page.locator('qlik-object[object-id="table-sales-details"] tbody tr td').first().textContent())?.trim() ?? '';
  assert.ok(expected.countriesByRegion.get(region)?.has(firstCountry), `${firstCountry} is in ${region}`);
  await eventually(async () => (await kpiValue(page).textContent())?.trim() === money(regionSales), 'KPI on the details sheet is filtered too');

  await page.locator('qlik-dashboard [part~="clear-all-button"]').click();
  await eventually(async () => (await tableTotal.textContent())?.trim() === money(expected.total), 'table total returns');
  await eventually(async () => (await kpiValue(page).textContent())?.trim() === money(expected.total), 'KPI returns');
  // Two user actions (the bar, clear all), two events; the sheet change mounted new objects on
  // the open session without another qlik-session-open.
  const events = await qlikEvents(page);
  assert.deepEqual(
    events.filter((e) => e.type === 'qlik-selection-changed').map((e) => e.target),
    ['qlik-object', 'qlik-dashboard'],
  );
  assert.deepEqual(sessionEvents(events), ['qlik-session-open from qlik-dashboard']);
  await context.close();
});

test('the server drops the socket: suspended, then open, selections kept, a new websocket token', async () => {
  const { context, page } = await openJourneyPage(browser, pageUrl, { auth: auth(), appId: SAMPLE_APP_ID, mount: 'dashboard' });
  await signInOnDevTenant(page);
  const bar = page.locator('qlik-object[object-id="bar-sales-by-region"] rect.bar').first();
  await bar.waitFor({ timeout: 15_000 });
  const region = ((await bar.getAttribute('aria-label')) ?? '').split(':')[0] ?? '';
  const regionSales = expected.byRegion.get(region) ?? Number.NaN;
  await bar.click();
  await eventually(async () => (await kpiValue(page).textContent())?.trim() === money(regionSales), 'filtered');
  const exchangesBefore = tenant.stats.websocketTokenExchanges;
  const upgradesBefore = tenant.engine.stats.upgrades;

  tenant.engine.dropAll();

  await eventually(async () => (await statuses(page)).includes('suspended'), 'status showed suspended');
  await eventually(async () => (await statuses(page)).at(-1) === 'open', 'status is open again');
  assert.equal(await page.locator('qlik-dashboard').getAttribute('status'), 'open');
  const events = await qlikEvents(page);
  assert.deepEqual(sessionEvents(events), [
    'qlik-session-open from qlik-dashboard',
    'qlik-session-suspended from qlik-dashboard',
    'qlik-session-resumed from qlik-dashboard',
  ]);
  assert.equal(events.find((e) => e.type === 'qlik-session-suspended')?.initiator, 'network');
  assert.ok(tenant.stats.websocketTokenExchanges > exchangesBefore, 'a new websocket token was requested');
  assert.ok(tenant.engine.stats.upgrades > upgradesBefore, 'a new websocket');
  // Selections kept: the engine session was re-attached.
  await eventually(async () => (await kpiValue(page).textContent())?.trim() === money(regionSales), 'KPI still filtered');
  await page.locator('qlik-dashboard [part="selection"]').filter({ hasText: region }).waitFor();
  await context.close();
});

test('an unknown app is a visible error; a user without access sees "no permission"', async () => {
  const { context, page } = await openJourneyPage(browser, pageUrl, { auth: auth(), appId: 'no-such-app', mount: 'objects', objectId: 'kpi-total-sales' });
  await signInOnDevTenant(page);
  const error = page.locator('qlik-object[status="error"] [part="error"]');
  await error.waitFor({ timeout: 15_000 });
  assert.match((await error.textContent()) ?? '', /App not found/);
  assert.ok(await error.getByRole('button', { name: 'Retry' }).isVisible());
  assert.equal((await qlikEvents(page)).find((e) => e.type === 'qlik-error')?.code, 'engine_closed_4204');
  await context.close();

  const eve = await openJourneyPage(browser, pageUrl, { auth: auth(), appId: SAMPLE_APP_ID, mount: 'objects', objectId: 'kpi-total-sales' });
  await signInOnDevTenant(eve.page, 'Eve Outsider');
  const denied = eve.page.locator('qlik-object[status="error"] [part="error"]');
  await denied.waitFor({ timeout: 15_000 });
  assert.match((await denied.textContent()) ?? '', /No permission/);
  await eve.context.close();
});
