/**
 * Journey: the backend demo page (/demo/backend/) in Chromium, served by vite with the demo's toy
 * backend plugin, against the dev tenant. The toy site signs a user in with its own cookie; its
 * backend gets the Qlik token by user impersonation (the real handler); `<auth-login
 * access-token-url>` + `<qlik-dashboard>` render that user's data. No Qlik sign-in page, ever.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BACKEND_CLIENT_SECRET, IMPERSONATION_GRANT, startDevTenant, type DevTenant, type DevTenantOptions } from '../../src/dev-tenant/index.ts';
import { toyBackendPlugin, TOY_SESSION_COOKIE, TOY_USERS } from '../../demo/backend/toy-backend.ts';
import { launchChromium, persistedPageState, startPageServer, type PageServer } from '../support/journey.ts';
import { eventually, expectedSales, kpiValue, money } from '../support/qlik-journey.ts';

const PAGE_PATH = '/demo/backend/';
const expected = expectedSales();

interface Stack {
  pages: PageServer;
  tenant: DevTenant;
  /** What the toy backend logged (the handler's onError lines). */
  logLines: string[];
  close(): Promise<void>;
}

/** A page server with the toy backend, then a dev tenant that trusts the page's origin. */
async function startStack(tenantOptions: DevTenantOptions = {}): Promise<Stack> {
  const logLines: string[] = [];
  const holder: { tenant?: DevTenant } = {};
  const pages = await startPageServer([
    toyBackendPlugin({
      tenantUrl: () => {
        if (!holder.tenant) throw new Error('the tenant is not up yet');
        return holder.tenant.url;
      },
      // The demo's users, plus one the tenant does not know.
      users: [...TOY_USERS, { username: 'mallory', name: 'Mallory', lookup: { field: 'subject', value: 'auth0|mallory' } }],
      log: (line) => logLines.push(line),
    }),
  ]);
  const tenant = await startDevTenant({ ...tenantOptions, trustedOrigins: [pages.origin] });
  holder.tenant = tenant;
  return {
    pages,
    tenant,
    logLines,
    close: async () => {
      await tenant.close();
      await pages.close();
    },
  };
}

let stack: Stack;
let browser: Browser;

before(async () => {
  stack = await startStack();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await stack?.close();
});

interface Watch {
  /** Every URL the page's frames navigated to. */
  navigations: string[];
  /** Requests to any authorization endpoint. */
  authorizeRequests: string[];
  /** access_token values the backend handed out, and when each arrived. */
  tokens: string[];
  tokenTimes: number[];
  /** Statuses of /demo-backend/access-token answers. */
  tokenStatuses: number[];
  tokenHeaders: Record<string, string>[];
  tokenBodies: Record<string, unknown>[];
}

async function openPage(origin: string): Promise<{ context: BrowserContext; page: Page; watch: Watch }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const watch: Watch = { navigations: [], authorizeRequests: [], tokens: [], tokenTimes: [], tokenStatuses: [], tokenHeaders: [], tokenBodies: [] };
  page.on('framenavigated', (frame) => watch.navigations.push(frame.url()));
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.endsWith('/authorize')) watch.authorizeRequests.push(request.url());
  });
  page.on('response', (response) => {
    if (!response.url().endsWith('/demo-backend/access-token')) return;
    const arrived = Date.now();
    watch.tokenStatuses.push(response.status());
    watch.tokenHeaders.push(response.headers());
    void response
      .json()
      .then((body: Record<string, unknown>) => {
        watch.tokenBodies.push(body);
        if (typeof body.access_token !== 'string') return;
        watch.tokens.push(body.access_token);
        watch.tokenTimes.push(arrived);
      })
      .catch(() => undefined);
  });
  await page.goto(`${origin}${PAGE_PATH}`);
  return { context, page, watch };
}

const login = (page: Page) => page.locator('auth-login');
const dashboardStatus = (page: Page) => page.locator('qlik-dashboard').getAttribute('status');
const text = async (page: Page, selector: string) => ((await page.locator(selector).textContent()) ?? '').trim();

async function signInToSite(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: `Sign in as ${name}` }).click();
  await login(page).and(page.locator('[status="signed-in"]')).waitFor({ timeout: 10_000 });
}

/** No token anywhere but memory: storage, readable cookies, IndexedDB, URL, and the HttpOnly cookie jar. */
async function assertNoTokenPersisted(context: BrowserContext, page: Page, tokens: string[]): Promise<void> {
  assert.ok(tokens.length > 0, 'the backend handed out a token');
  const state = await persistedPageState(page);
  const cookies = await context.cookies();
  for (const token of tokens) {
    assert.ok(!state.includes(token), 'no token in storage, document.cookie, IndexedDB or the URL');
    assert.ok(!JSON.stringify(cookies).includes(token), 'no token in any cookie');
  }
  for (const frameUrl of page.frames().map((f) => f.url())) assert.ok(!tokens.some((t) => frameUrl.includes(t)));
}

test('the toy site signs Alice in; the dashboard shows her data; no Qlik sign-in page; the token only in memory; site sign-out → signed out', async () => {
  const { tenant, pages } = stack;
  tenant.stats.reset();
  const { context, page, watch } = await openPage(pages.origin);

  // A visitor: the backend answers 401, the element shows signed out, and asks nothing else.
  await login(page).and(page.locator('[status="signed-out"]')).waitFor();
  await login(page).getByText('Signed out').waitFor();
  await eventually(() => watch.tokenStatuses.length === 1, 'asked once');
  assert.deepEqual(watch.tokenStatuses, [401]);
  assert.equal(await dashboardStatus(page), 'idle');
  assert.equal(await login(page).locator('[part~="error"]').count(), 0, 'signed out is not an error');

  await signInToSite(page, 'Alice');
  await page.locator('qlik-dashboard[status="open"]').waitFor({ timeout: 15_000 });
  await eventually(async () => (await kpiValue(page).textContent())?.trim() === money(expected.total), `KPI shows ${money(expected.total)}`);
  assert.equal(money(expected.total), '$15,365,388');
  await eventually(async () => (await text(page, '#qlik-user')) === 'Alice Analyst (auth0|alice)', 'the tenant says the token is Alice\'s');
  assert.equal(await login(page).getAttribute('status'), 'signed-in');
  assert.equal(await login(page).getByRole('button', { name: 'Sign out' }).count(), 0, 'no element sign-out: the site owns its session');

  // What went over the wire.
  assert.equal(tenant.stats.tokenRequests[IMPERSONATION_GRANT], 1, 'one impersonation call upstream');
  assert.equal(tenant.stats.tokenRequests.authorization_code, undefined, 'no code exchange');
  assert.equal(tenant.stats.websocketTokenExchanges, 1, 'one websocket token for the dashboard');
  const okIndex = watch.tokenStatuses.indexOf(200);
  assert.equal(watch.tokenHeaders[okIndex]?.['cache-control'], 'no-store');
  assert.deepEqual(Object.keys(watch.tokenBodies.find((b) => 'access_token' in b) ?? {}).sort(), ['access_token', 'expires_in']);
  assert.deepEqual(watch.authorizeRequests, [], 'no authorization request, to the tenant or anywhere');
  assert.ok(
    watch.navigations.every((url) => url.startsWith(pages.origin)),
    `the page never left the site: ${watch.navigations.join(', ')}`,
  );
  assert.ok(!watch.navigations.some((url) => url.startsWith(tenant.url)));

  // The site's session cookie is HttpOnly and SameSite=Lax; no token anywhere but memory.
  const session = (await context.cookies()).find((c) => c.name === TOY_SESSION_COOKIE);
  assert.ok(session, 'the toy site set its session cookie');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Lax');
  assert.ok(!(await page.evaluate(() => document.cookie)).includes(TOY_SESSION_COOKIE), 'page scripts cannot read the session');
  await assertNoTokenPersisted(context, page, watch.tokens);

  // The site session ends: the element asks again, gets 401, shows signed out; the dashboard lets go.
  await page.getByRole('button', { name: 'Sign out of the site' }).click();
  await login(page).and(page.locator('[status="signed-out"]')).waitFor({ timeout: 10_000 });
  await login(page).getByText('Signed out').waitFor();
  assert.equal(watch.tokenStatuses.at(-1), 401);
  assert.equal(tenant.stats.revocations, 1, "the site's logout revoked Alice's token at the tenant (handler.revoke)");
  const revoked = await fetch(`${tenant.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${watch.tokens[0]}` } });
  assert.equal(revoked.status, 401, 'the token the page had no longer works');
  await eventually(async () => (await dashboardStatus(page)) === 'idle', 'the dashboard waits for a sign-in');
  await eventually(async () => (await text(page, '#log')).includes('auth-signed-out  backend'), 'auth-signed-out with reason backend');
  assert.equal(await text(page, '#qlik-user'), '–');
  assert.equal(await login(page).locator('[part~="error"]').count(), 0);
  await assertNoTokenPersisted(context, page, watch.tokens);
  assert.deepEqual(watch.authorizeRequests, []);
  await context.close();
});

test('Bob signs in; his session ends elsewhere; the forced refresh the Qlik layer makes after a 401 gets 401 → signed out', async () => {
  const { tenant, pages } = stack;
  const { context, page, watch } = await openPage(pages.origin);
  await login(page).and(page.locator('[status="signed-out"]')).waitFor();
  await signInToSite(page, 'Bob');
  await page.locator('qlik-dashboard[status="open"]').waitFor({ timeout: 15_000 });
  await eventually(async () => (await text(page, '#qlik-user')) === 'Bob Builder (auth0|bob)', 'the token is Bob\'s');
  await eventually(async () => (await kpiValue(page).textContent())?.trim() === money(expected.total), 'KPI rendered for Bob');

  // Signed out in another tab: the server session is gone, this page knows nothing yet.
  const status = await page.evaluate(async () => (await fetch('/demo-backend/logout', { method: 'POST' })).status);
  assert.equal(status, 200);
  assert.equal(await login(page).getAttribute('status'), 'signed-in', 'a token in memory still stands');

  const code = await page.evaluate(() =>
    (document.querySelector('auth-login') as unknown as { getAccessToken(o: object): Promise<string> })
      .getAccessToken({ forceRefresh: true })
      .then(
        () => 'resolved',
        (error: { code?: string }) => error.code,
      ),
  );
  assert.equal(code, 'backend_signed_out');
  await login(page).and(page.locator('[status="signed-out"]')).waitFor();
  await login(page).getByText('Signed out').waitFor();
  await eventually(async () => (await dashboardStatus(page)) === 'idle', 'the dashboard lets go');
  assert.equal(watch.tokenStatuses.at(-1), 401);
  await assertNoTokenPersisted(context, page, watch.tokens);
  assert.deepEqual(watch.authorizeRequests, []);
  assert.ok(!watch.navigations.some((url) => url.startsWith(tenant.url)));
  await context.close();
});

test('short-lived tokens: the element fetches ahead of expiry on its own, and notices a session that ended without any page code', async () => {
  const short = await startStack({ accessTokenTtl: 4 });
  try {
    const { context, page, watch } = await openPage(short.pages.origin);
    await login(page).and(page.locator('[status="signed-out"]')).waitFor();
    await signInToSite(page, 'Alice');
    await page.locator('qlik-dashboard[status="open"]').waitFor({ timeout: 15_000 });
    const first = watch.tokens[0];
    // A 4 s token is fetched again before it expires: the element's own timer, no page code.
    // (The backend may hand back its cached token once more before it too fetches a new one.)
    await eventually(() => watch.tokens.some((token) => token !== first), 'a new token from the tenant', 15_000);
    const renewedAt = watch.tokenTimes[watch.tokens.findIndex((token) => token !== first)] ?? Infinity;
    assert.ok(renewedAt < (watch.tokenTimes[0] ?? 0) + 4_000, `renewed ${renewedAt - (watch.tokenTimes[0] ?? 0)} ms after the first, before it expired`);
    assert.equal(await login(page).getAttribute('status'), 'signed-in');
    assert.equal(await dashboardStatus(page), 'open', 'the dashboard carried on');

    // The site session ends server-side; the next scheduled fetch gets 401.
    await page.evaluate(async () => void (await fetch('/demo-backend/logout', { method: 'POST' })));
    await login(page).and(page.locator('[status="signed-out"]')).waitFor({ timeout: 15_000 });
    await eventually(async () => (await dashboardStatus(page)) === 'idle', 'the dashboard lets go');
    assert.ok(short.tenant.stats.tokenRequests[IMPERSONATION_GRANT]! >= 2, 'the backend asked the tenant again for the new token');
    await assertNoTokenPersisted(context, page, watch.tokens);
    await context.close();
  } finally {
    await short.close();
  }
});

test('a site user the tenant does not know: the error is shown as text, and the backend log has the detail but not the secret', async () => {
  const { pages } = stack;
  const { context, page } = await openPage(pages.origin);
  await login(page).and(page.locator('[status="signed-out"]')).waitFor();
  await page.getByRole('button', { name: 'Sign in as Mallory' }).click();
  await login(page).and(page.locator('[status="error"]')).waitFor({ timeout: 10_000 });
  const error = login(page).locator('[part~="error"]');
  assert.match((await error.textContent()) ?? '', /user not found in the analytics tenant/);
  assert.match((await error.textContent()) ?? '', /user_not_found/);
  assert.equal(await error.locator('img, script').count(), 0);
  assert.equal(await dashboardStatus(page), 'idle');
  await eventually(() => stack.logLines.some((line) => line.includes('user_not_found')), 'the backend logged it');
  const logged = stack.logLines.join('\n');
  assert.match(logged, /auth0\|mallory/, 'the log has the upstream detail');
  assert.ok(!logged.includes(BACKEND_CLIENT_SECRET), 'and never the secret');
  await context.close();
});
