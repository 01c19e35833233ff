/**
 * Journey: demo/cms/index.html, a CMS article. `<auth-login id="login">` sits in the site header;
 * a KPI and a bar chart are pasted mid-article and a dashboard further down, all with
 * `auth="login"`. The article's HTML block loads the bundle a second time (`?ver=`), as CMS
 * plugins do. Three elements, one sign-in, one engine session.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { DevTenant } from '../../src/dev-tenant/index.ts';
import { type JourneyWorld, signInOnDevTenant } from '../support/journey.ts';
import { openDemoPage, startCdnDemoWorld } from '../support/demo-pages.ts';
import { eventually, expectedSales, money } from '../support/qlik-journey.ts';

let world: JourneyWorld;
let tenant: DevTenant;
let browser: Browser;
let pageUrl: string;
const expected = expectedSales();

before(async () => {
  world = await startCdnDemoWorld('/demo/cms/');
  ({ tenant, browser, pageUrl } = world);
});

after(async () => {
  await world?.close();
});

test('CMS article: the header sign-in reaches elements pasted in the content; a selection in one updates all; one exchange, one websocket', async () => {
  const { context, page, problems } = await openDemoPage(browser, pageUrl, { host: tenant.url, clientId: 'journey-spa' });
  const articleKpi = page.locator('article figure qlik-object[object-id="kpi-total-sales"]');
  const articleKpiValue = articleKpi.locator('.kpi-value');
  const dashboardKpiValue = page.locator('qlik-dashboard qlik-object[object-id="kpi-total-sales"] .kpi-value');
  await page.locator('header auth-login#login').getByRole('button', { name: 'Sign in' }).waitFor();
  assert.equal(await articleKpi.getAttribute('auth'), 'login');
  assert.equal(await articleKpi.getAttribute('status'), 'idle', 'waits for the header sign-in');

  await signInOnDevTenant(page);
  await page.locator('auth-login[status="signed-in"]').waitFor({ timeout: 15_000 });
  assert.equal(page.url(), pageUrl, 'back on the article, the code and state gone from the URL');
  await eventually(async () => (await articleKpiValue.textContent())?.trim() === '$15,365,388', 'the article KPI shows $15,365,388');
  assert.equal(money(expected.total), '$15,365,388');
  await eventually(async () => (await dashboardKpiValue.textContent())?.trim() === '$15,365,388', 'the dashboard KPI shows it too');

  // Select in the article's bar chart; the KPI above it and the dashboard below follow.
  const bar = page.locator('article figure qlik-object[object-id="bar-sales-by-region"] rect.bar').first();
  const region = ((await bar.getAttribute('aria-label')) ?? '').split(':')[0] ?? '';
  const regionSales = expected.byRegion.get(region);
  assert.ok(regionSales !== undefined && regionSales < expected.total, `the first bar is a region (${region})`);
  await bar.click();
  await eventually(async () => (await articleKpiValue.textContent())?.trim() === money(regionSales), `article KPI shows ${region}: ${money(regionSales)}`);
  await eventually(async () => (await dashboardKpiValue.textContent())?.trim() === money(regionSales), 'dashboard KPI shows the region');
  await page.locator('qlik-dashboard [part="selection"]').filter({ hasText: region }).waitFor();

  assert.equal(tenant.stats.tokenRequests.authorization_code, 1, 'one authorization code exchange');
  assert.equal(tenant.stats.websocketTokenExchanges, 1, 'one websocket token for three elements');
  assert.equal(tenant.engine.stats.upgrades, 1, 'one websocket for three elements');
  assert.equal(tenant.engine.stats.openDocs, 1, 'one OpenDoc');

  // The theme's custom properties, set on the elements, reach a dashboard's charts and the
  // listboxes nested in its filter pane.
  const dashboardBarFill = await page
    .locator('qlik-dashboard qlik-object[object-id="bar-sales-by-region"] rect.bar.c0')
    .first()
    .evaluate((rect) => getComputedStyle(rect).fill);
  assert.equal(dashboardBarFill, 'rgb(138, 59, 18)', 'the site accent (#8a3b12) colours the dashboard bars');
  const nestedListboxFont = await page
    .locator('qlik-dashboard qlik-object[data-nested]')
    .first()
    .evaluate((listbox) => getComputedStyle(listbox).getPropertyValue('--qlik-font-family').trim());
  assert.equal(nestedListboxFont, "'Helvetica Neue', Arial, sans-serif", 'the theme font reaches a filter pane listbox');

  // The second copy of the bundle really loaded, and said nothing: same version.
  const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname + new URL(entry.name).search));
  assert.ok(scripts.includes('/dist/embed-kit.js') && scripts.includes('/dist/embed-kit.js?ver=0.1.0'), `both copies loaded: ${scripts.join(', ')}`);
  assert.deepEqual(problems, [], 'no console warnings or errors');
  await context.close();
});
