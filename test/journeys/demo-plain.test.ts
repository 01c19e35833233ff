/**
 * Journey: demo/plain/index.html, the no-build page, as a user meets it: the CDN bundle from a
 * script tag, `<auth-login>` and one `<qlik-dashboard>`, against the dev tenant in Chromium.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { DevTenant } from '../../src/dev-tenant/index.ts';
import { type JourneyWorld, signInOnDevTenant } from '../support/journey.ts';
import { openDemoPage, startCdnDemoWorld } from '../support/demo-pages.ts';
import { eventually, expectedSales, kpiValue, money } from '../support/qlik-journey.ts';

let world: JourneyWorld;
let tenant: DevTenant;
let browser: Browser;
let pageUrl: string;
const expected = expectedSales();

before(async () => {
  world = await startCdnDemoWorld('/demo/plain/');
  ({ tenant, browser, pageUrl } = world);
});

after(async () => {
  await world?.close();
});

test('plain HTML: sign in, the KPI shows the total, a bar selects its region; one code exchange, one websocket', async () => {
  const { context, page, problems } = await openDemoPage(browser, pageUrl, { host: tenant.url, clientId: 'journey-spa' });
  await page.locator('auth-login').getByRole('button', { name: 'Sign in' }).waitFor();
  // The dashboard waits for sign-in. The CDN file defines <qlik-dashboard> from a lazy chunk,
  // so its status can appear after the sign-in button.
  await page.locator('qlik-dashboard[status="idle"]').waitFor();

  await signInOnDevTenant(page);
  await page.locator('auth-login[status="signed-in"]').waitFor({ timeout: 15_000 });
  assert.equal(page.url(), pageUrl, 'back on the page, the code and state gone from the URL');
  await page.locator('qlik-dashboard[status="open"]').waitFor({ timeout: 15_000 });
  assert.equal(money(expected.total), '$15,365,388');
  await eventually(async () => (await kpiValue(page).textContent())?.trim() === '$15,365,388', 'KPI shows $15,365,388');

  const bar = page.locator('qlik-object[object-id="bar-sales-by-region"] rect.bar').first();
  const region = ((await bar.getAttribute('aria-label')) ?? '').split(':')[0] ?? '';
  const regionSales = expected.byRegion.get(region);
  assert.ok(regionSales !== undefined && regionSales < expected.total, `the first bar is a region (${region})`);
  await bar.click();
  await eventually(async () => (await kpiValue(page).textContent())?.trim() === money(regionSales), `KPI shows ${region}: ${money(regionSales)}`);
  await page.locator('qlik-dashboard [part="selection"]').filter({ hasText: region }).waitFor();

  assert.equal(tenant.stats.tokenRequests.authorization_code, 1, 'one authorization code exchange');
  assert.equal(tenant.stats.websocketTokenExchanges, 1, 'one websocket token for the whole dashboard');
  assert.equal(tenant.engine.stats.upgrades, 1, 'one websocket');
  assert.equal(tenant.engine.stats.openDocs, 1, 'one OpenDoc');
  assert.deepEqual(problems, [], 'no console warnings or errors');
  await context.close();
});
