/**
 * Journey: the demo landing page (index.html + demo/main.ts) shows what the README promises:
 * a link to every example, the auth and session state, a live event log, the sample dashboard,
 * and a light/dark theme toggle that reaches into the elements.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startDevTenant, type DevTenant } from '../../src/dev-tenant/index.ts';
import { launchChromium, signInOnDevTenant, startPageServer, type PageServer } from '../support/journey.ts';
import { journeyClient } from '../support/dev-tenant.ts';
import { openDemoPage } from '../support/demo-pages.ts';
import { eventually, expectedSales, kpiValue, money } from '../support/qlik-journey.ts';

let pages: PageServer;
let tenant: DevTenant;
let browser: Browser;
let pageUrl: string;
const expected = expectedSales();

before(async () => {
  pages = await startPageServer();
  pageUrl = `${pages.origin}/`;
  tenant = await startDevTenant({ port: 0, clients: [journeyClient([pageUrl])], trustedOrigins: [pages.origin] });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await tenant?.close();
  await pages?.close();
});

test('landing page: every example linked; auth state, session state and the log follow a sign-in and a selection; the theme toggle', async () => {
  const { context, page } = await openDemoPage(browser, pageUrl, { host: tenant.url, clientId: 'journey-spa' });
  const links = await page.locator('nav.examples a').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, ['/demo/plain/', '/demo/cms/', '/demo/vue/', '/demo/react/', '/demo/angular/', '/demo/backend/']);
  assert.equal(await page.locator('#auth-status').textContent(), 'signed-out');
  assert.equal(await page.locator('#session-status').textContent(), 'idle');

  await signInOnDevTenant(page);
  await page.locator('#auth-status', { hasText: 'signed-in' }).waitFor({ timeout: 15_000 });
  await page.locator('#session-status', { hasText: 'open' }).waitFor({ timeout: 15_000 });
  await eventually(async () => (await kpiValue(page).textContent())?.trim() === money(expected.total), `KPI shows ${money(expected.total)}`);
  const bar = page.locator('qlik-object[object-id="bar-sales-by-region"] rect.bar').first();
  const region = ((await bar.getAttribute('aria-label')) ?? '').split(':')[0] ?? '';
  await bar.click();
  await eventually(async () => (await kpiValue(page).textContent())?.trim() === money(expected.byRegion.get(region) ?? Number.NaN), 'KPI filtered');

  const log = (await page.locator('#log li').allTextContents()).map((line) => line.replace(/^\S+ (AM|PM)?\s*/, '').trim());
  assert.ok(log.some((line) => line.startsWith('auth-signed-in')), log.join('\n'));
  // One session line for the whole dashboard, not one per object on it.
  assert.equal(log.filter((line) => line.startsWith('qlik-session-open')).length, 1, log.join('\n'));
  assert.ok(log.some((line) => line.startsWith(`qlik-selection-changed  select Region ${region} (bar-sales-by-region)`)), log.join('\n'));
  assert.equal(tenant.engine.stats.upgrades, 1, 'one websocket');

  // The toggle switches the page and, through the custom properties, every object on the dashboard.
  const objectBackground = () => page.locator('qlik-dashboard qlik-object[object-id="kpi-total-sales"] [part="base"]').evaluate((base) => getComputedStyle(base).backgroundColor);
  await page.emulateMedia({ colorScheme: 'light' });
  const toggle = page.getByRole('button', { name: 'Dark theme' });
  if ((await toggle.getAttribute('aria-pressed')) === 'true') await toggle.click();
  const light = await objectBackground();
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
  const dark = await objectBackground();
  assert.equal(light, 'rgb(255, 255, 255)');
  assert.equal(dark, 'rgb(31, 31, 29)');
  await context.close();
});
