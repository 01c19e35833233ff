/**
 * The journey each framework demo (demo/vue, demo/react, demo/angular) goes through against the
 * dev tenant: sign in, read the KPI, select a region, and count what reached the server.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TOKEN_EXCHANGE_GRANT, type DevTenant } from '../../src/dev-tenant/index.ts';
import { eventually, expectedSales, money } from './qlik-journey.ts';
import { countTokenRequests, recordPageProblems, signInOnDevTenant, startJourneyWorld, type JourneyWorld } from './journey.ts';
import { frameworkDemos } from '../../demo/vite-plugins.ts';

/**
 * A port nobody listens on right now. The vite-served demos read the tenant URL from QLIK_HOST
 * when the page server starts, before the tenant (which needs the page's origin) can start.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A journey world serving the framework demos (vite with the React and Vue plugins) at `path`.
 * The dev tenant gets a free port first, because demo/config.ts reads its address through vite's
 * import.meta.env, as under `npm start`.
 */
export async function startFrameworkDemoWorld(path: string): Promise<JourneyWorld> {
  const port = await freePort();
  process.env.QLIK_HOST = `http://127.0.0.1:${port}`;
  process.env.QLIK_CLIENT_ID = 'journey-spa';
  delete process.env.QLIK_APP_ID;
  return startJourneyWorld(path, { plugins: frameworkDemos(), tenant: { port } });
}

export interface DemoJourney {
  context: BrowserContext;
  page: Page;
  /** The region whose bar was clicked. */
  region: string;
  /** The event log the demo shows, newest first. */
  log: string[];
  /** Console errors and warnings, and uncaught exceptions, in the page. */
  problems: string[];
  /** Websockets the page opened to the tenant. */
  websockets: string[];
}

const headlineKpi = (page: Page) => page.locator('#headline-kpi .kpi-value');
const dashboardKpi = (page: Page) => page.locator('qlik-dashboard qlik-object[object-id="kpi-total-sales"] .kpi-value');
const logLines = (page: Page) => page.locator('#log li').allTextContents();

/** Exactly one code exchange, one websocket token, one websocket and one OpenDoc on the server. */
export function assertOneOfEach(tenant: DevTenant, when: string): void {
  assert.equal(tenant.stats.tokenRequests.authorization_code, 1, `one authorization_code request (${when})`);
  assert.equal(tenant.stats.tokenRequests[TOKEN_EXCHANGE_GRANT], 1, `one token-exchange request (${when})`);
  assert.equal(tenant.stats.tokenRequests.refresh_token, undefined, `no refresh (${when})`);
  assert.equal(tenant.stats.websocketTokenExchanges, 1, `one websocket token (${when})`);
  assert.equal(tenant.engine.stats.upgrades, 1, `one websocket upgrade (${when})`);
  assert.equal(tenant.engine.stats.openDocs, 1, `one OpenDoc (${when})`);
  assert.equal(tenant.engine.stats.openSockets, 1, `one open socket (${when})`);
}

/**
 * Opens the demo, signs in as Alice, checks both KPIs (the headline `<qlik-object>` and the
 * dashboard's) against the total computed from the sample rows, clicks a region's bar, checks
 * the KPIs follow, and checks the server saw one of each exchange. The caller closes `context`.
 */
export async function runDemoJourney(browser: Browser, pageUrl: string, tenant: DevTenant): Promise<DemoJourney> {
  const expected = expectedSales();
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = recordPageProblems(page, { httpErrors: true });
  const websockets: string[] = [];
  // Only the tenant's: vite's dev client opens its own socket on every page load.
  const engineOrigin = tenant.url.replace(/^http/, 'ws');
  page.on('websocket', (socket) => {
    if (socket.url().startsWith(`${engineOrigin}/`)) websockets.push(socket.url());
  });
  const tokenPosts = countTokenRequests(page, `${tenant.url}/oauth/token`);

  await page.goto(pageUrl);
  await page.locator('qlik-dashboard').waitFor();
  assert.equal(await page.locator('#auth-status').textContent(), 'signed-out');
  assert.equal(await page.locator('qlik-dashboard').getAttribute('status'), 'idle', 'the dashboard waits for sign-in');
  assert.equal(await page.locator('#headline-kpi').getAttribute('status'), 'idle', 'the KPI waits for sign-in');

  await signInOnDevTenant(page, 'Alice Analyst');
  await page.waitForURL((url) => url.href.startsWith(pageUrl) && !url.searchParams.has('code'), { timeout: 15_000 });
  await page.locator('qlik-dashboard[status="open"]').waitFor({ timeout: 15_000 });
  await eventually(async () => (await page.locator('#auth-status').textContent()) === 'signed-in', 'the page shows signed-in');
  const total = money(expected.total);
  await eventually(async () => (await headlineKpi(page).textContent())?.trim() === total, `the headline KPI shows ${total}`);
  await eventually(async () => (await dashboardKpi(page).textContent())?.trim() === total, `the dashboard KPI shows ${total}`);
  assertOneOfEach(tenant, 'after sign-in');

  const bar = page.locator('qlik-dashboard qlik-object[object-id="bar-sales-by-region"] rect.bar').first();
  const region = ((await bar.getAttribute('aria-label')) ?? '').split(':')[0] ?? '';
  const regionSales = expected.byRegion.get(region);
  assert.ok(regionSales !== undefined, `the first bar is a region (${region})`);
  assert.notEqual(money(regionSales), total, 'a region is less than the total');
  await bar.click();
  await eventually(async () => (await dashboardKpi(page).textContent())?.trim() === money(regionSales), `the dashboard KPI shows ${region}: ${money(regionSales)}`);
  await eventually(async () => (await headlineKpi(page).textContent())?.trim() === money(regionSales), `the headline KPI follows: ${money(regionSales)}`);
  await page.locator('qlik-dashboard [part="selection"]').filter({ hasText: region }).waitFor();
  await eventually(async () => (await logLines(page)).some((line) => line.includes('qlik-selection-changed') && line.includes(region)), 'the log shows the selection');

  assertOneOfEach(tenant, 'after a selection');
  assert.equal(tokenPosts.count, 2, 'the browser posted to the token endpoint twice: the code, then the websocket exchange');
  assert.equal(websockets.length, 1, `the page opened one websocket: ${websockets.join(', ')}`);

  const log = await logLines(page);
  assert.equal(log.filter((line) => /\bauth-signed-in\b/.test(line)).length, 1, 'auth-signed-in reached the framework once');
  assert.equal(log.filter((line) => /\bqlik-session-open\b/.test(line)).length, 1, 'the dashboard\'s own qlik-session-open reached the framework once');
  return { context, page, region, log, problems, websockets };
}

/**
 * The demo's own buttons drive the headline KPI through its methods (`select`, `clearAll`), and
 * its `qlik-rendered` listener writes the log: both checked on screen.
 */
export async function assertDemoDrivesTheKpi(page: Page): Promise<void> {
  const expected = expectedSales();
  const europe = expected.byRegion.get('Europe');
  assert.ok(europe !== undefined);
  await page.locator('#clear-all').click();
  await eventually(async () => (await headlineKpi(page).textContent())?.trim() === money(expected.total), 'clearAll() from the demo');
  await page.locator('#select-europe').click();
  await eventually(async () => (await headlineKpi(page).textContent())?.trim() === money(europe), `select() from the demo: Europe ${money(europe)}`);
  await page.locator('qlik-dashboard [part="selection"]').filter({ hasText: 'Europe' }).waitFor();
  await eventually(async () => (await logLines(page)).some((line) => /qlik-rendered\s+kpi-total-sales kpi/.test(line)), 'the typed qlik-rendered listener logged the KPI');
}
