/**
 * Journey: a page whose origin the tenant does not trust. The page gets its user token from
 * here (user impersonation in Node), so it makes no sign-in requests of its own; what is left
 * are the requests the Qlik layer makes, each refused, each shown with a hint naming the fix.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { BACKEND_CLIENT_ID, BACKEND_CLIENT_SECRET, IMPERSONATION_GRANT, SAMPLE_APP_ID, startDevTenant, type DevTenant } from '../../src/dev-tenant/index.ts';
import { launchChromium, startPageServer, type PageServer } from '../support/journey.ts';
import { JOURNEY_PAGE_PATH, qlikEvents } from '../support/qlik-journey.ts';

let pages: PageServer;
let tenant: DevTenant;
let browser: Browser;
let pageUrl: string;

before(async () => {
  pages = await startPageServer();
  pageUrl = `${pages.origin}${JOURNEY_PAGE_PATH}`;
  // The default clients (with the impersonating backend); the page's origin is not trusted.
  tenant = await startDevTenant({ trustedOrigins: [] });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await tenant?.close();
  await pages?.close();
});

async function postToken(body: Record<string, unknown>): Promise<{ status: number; body: string }> {
  const response = await fetch(`${tenant.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.text() };
}

async function exposeNodeAuth(page: Page): Promise<void> {
  await page.exposeFunction('nodeAccessToken', async () => {
    const answer = await postToken({
      client_id: BACKEND_CLIENT_ID,
      client_secret: BACKEND_CLIENT_SECRET,
      grant_type: IMPERSONATION_GRANT,
      user_lookup: { field: 'subject', value: 'auth0|alice' },
      scope: 'user_default',
    });
    return (JSON.parse(answer.body) as { access_token: string }).access_token;
  });
  // A backend relaying the exchange adds the confidential client's secret.
  await page.exposeFunction('exchangeViaNode', (body: string) => postToken({ ...(JSON.parse(body) as object), client_secret: BACKEND_CLIENT_SECRET }));
}

test('the websocket-token exchange from an untrusted origin: a visible error with the allowlist hint', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await exposeNodeAuth(page);
  await page.addInitScript((value) => {
    (window as unknown as { __QLIK_JOURNEY__: unknown }).__QLIK_JOURNEY__ = value;
  }, { auth: {}, appId: SAMPLE_APP_ID, mount: 'objects', objectId: 'kpi-total-sales', tinyAuth: { host: tenant.url, clientId: BACKEND_CLIENT_ID } });
  await page.goto(pageUrl);
  const error = page.locator('qlik-object[status="error"] [part="error"]');
  await error.waitFor({ timeout: 15_000 });
  const text = (await error.textContent()) ?? '';
  assert.match(text, /Could not reach/);
  assert.ok(text.includes(pages.origin), 'the hint names this page\'s origin');
  assert.match(text, /allowlist of trusted origins/);
  assert.equal((await qlikEvents(page)).find((e) => e.type === 'qlik-error')?.code, 'network_error');
  await context.close();
});

test('the engine refuses the websocket from an untrusted origin: a visible error with the allowlist hint', async () => {
  const refusedBefore = tenant.engine.stats.refusedUpgrades;
  const context = await browser.newContext();
  const page = await context.newPage();
  await exposeNodeAuth(page);
  await page.addInitScript((value) => {
    (window as unknown as { __QLIK_JOURNEY__: unknown }).__QLIK_JOURNEY__ = value;
  }, { auth: {}, appId: SAMPLE_APP_ID, mount: 'objects', objectId: 'kpi-total-sales', tinyAuth: { host: tenant.url, clientId: BACKEND_CLIENT_ID }, exchangeViaNode: true });
  await page.goto(pageUrl);
  const error = page.locator('qlik-object[status="error"] [part="error"]');
  await error.waitFor({ timeout: 15_000 });
  const text = (await error.textContent()) ?? '';
  assert.match(text, /Could not connect to the engine/);
  assert.ok(text.includes(pages.origin), 'the hint names this page\'s origin');
  assert.match(text, /allowlist/);
  assert.equal((await qlikEvents(page)).find((e) => e.type === 'qlik-error')?.code, 'engine_unreachable');
  assert.ok(tenant.engine.stats.refusedUpgrades > refusedBefore, 'the engine refused the upgrade');
  assert.equal(tenant.stats.websocketTokenExchanges, 1, 'the exchange itself worked (through Node)');
  await context.close();
});
