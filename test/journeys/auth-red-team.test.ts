/**
 * Red-team findings of issue 10 as journeys, in Chromium against the dev tenant and hostile
 * stand-in servers: F1 (two sign-ins on one page), F3 (auto-redirect without an answer), F7
 * (a duplicated tab during the callback), the status sequence of a cancelled redirect, and the
 * hints for OAUTH-29 and OAUTH-5 at the code exchange.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { startDevTenant, type DevTenant } from '../../src/dev-tenant/index.ts';
import { journeyClient } from '../support/dev-tenant.ts';
import { configureAuthPage, holdCallback, type JourneyWorld, startJourneyWorld } from '../support/journey.ts';
import { answerJson, startStandInServer, type StandInServer } from '../support/stand-in-server.ts';

const MANY = '/test/journeys/pages/auth-many.html';
const SINGLE = '/test/journeys/pages/auth.html';

let world: JourneyWorld;
let hostile: StandInServer;
/** What the hostile server's /authorize does; set per test. */
let authorize: (state: string, redirectUri: string) => string = () => 'about:blank';

before(async () => {
  world = await startJourneyWorld(MANY);
  hostile = await startStandInServer((request, res) => {
    if (request.path === '/authorize') {
      const target = authorize(request.url.searchParams.get('state') ?? '', request.url.searchParams.get('redirect_uri') ?? '');
      res.writeHead(302, { location: target }).end();
      return;
    }
    // A hostile token endpoint would redeem whatever it is sent; here it only counts.
    answerJson(res, { access_token: 'evil', token_type: 'Bearer', expires_in: 3600 });
  });
});

after(async () => {
  await hostile?.close();
  await world?.close();
});

/** Configures the many-logins page for every page of `context`, popups included. */
async function configureMany(context: BrowserContext, logins: Record<string, string>[]): Promise<void> {
  await context.addInitScript((value) => {
    (window as unknown as { __JOURNEY__: unknown }).__JOURNEY__ = { logins: value };
  }, logins);
}

const qlikLogin = (): Record<string, string> => ({ provider: 'qlik', host: world.tenant.url, 'client-id': 'journey-spa' });
const hostileLogin = (extra: Record<string, string> = {}): Record<string, string> => ({
  provider: 'custom',
  'client-id': 'evil-client',
  'authorization-endpoint': `${hostile.origin}/authorize`,
  'token-endpoint': `${hostile.origin}/token`,
  ...extra,
});

async function statusOf(page: Page, index: number): Promise<string | null> {
  return page.locator(`#login-${index}`).getAttribute('status');
}

test('F1: with a custom sign-in before a Qlik one, only the Qlik client handles its callback', async () => {
  const context = await world.browser.newContext();
  await configureMany(context, [hostileLogin(), qlikLogin()]);
  const page = await context.newPage();
  await page.goto(world.pageUrl);
  await page.locator('#login-1').getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Alice Analyst' }).click();
  await page.locator('#login-1[status="signed-in"]').waitFor({ timeout: 10_000 });
  assert.equal(hostile.count('POST', '/token'), 0, 'the other client sent the code and verifier nowhere');
  assert.equal(await statusOf(page, 0), 'signed-out', 'the custom element left the callback alone');
  const errors = (await page.evaluate(() => (window as unknown as { __events: { type: string }[] }).__events)).filter((e) => e.type === 'auth-error');
  assert.deepEqual(errors, []);
  await context.close();
});

test('F3: auto-redirect to a server that returns only a state ends in missing_code after one redirect', async () => {
  authorize = (state, redirectUri) => `${redirectUri}?state=${encodeURIComponent(state)}`;
  const before = hostile.count('GET', '/authorize');
  const context = await world.browser.newContext();
  await configureMany(context, [hostileLogin({ 'auto-redirect': '' })]);
  const page = await context.newPage();
  await page.goto(world.pageUrl);
  await page.locator('#login-0[status="error"]').waitFor({ timeout: 10_000 });
  const code = await page.evaluate(() => document.querySelector('auth-login')?.error?.code);
  assert.equal(code, 'missing_code');
  assert.equal(hostile.count('GET', '/authorize') - before, 1, 'one automatic redirect, no loop');
  await context.close();
});

test('F3: a server that sends the user back with nothing gets no second automatic redirect', async () => {
  authorize = (_state, redirectUri) => redirectUri;
  const before = hostile.count('GET', '/authorize');
  const context = await world.browser.newContext();
  await configureMany(context, [hostileLogin({ 'auto-redirect': '' })]);
  const page = await context.newPage();
  // The server sends the user back to the very same address, so wait for the page that the
  // authorization request navigates to, not the first load (which shows Sign in too, briefly).
  const backFromAuthorize = new Promise<void>((resolve) => {
    page.on('request', (request) => {
      if (request.isNavigationRequest() && new URL(request.url()).pathname.endsWith('/authorize')) {
        page.on('framenavigated', (frame) => frame === page.mainFrame() && resolve());
      }
    });
  });
  await page.goto(world.pageUrl);
  await backFromAuthorize;
  // Back on the page with an unfinished sign-in: the element waits for the user.
  assert.equal(page.url(), world.pageUrl);
  await page.locator('#login-0[status="signed-out"]').getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 10_000 });
  await page.locator('#login-0').evaluate((el) => (el as unknown as { updateComplete: Promise<boolean> }).updateComplete);
  assert.equal(hostile.count('GET', '/authorize') - before, 1);
  await context.close();
});

test('F7: a tab duplicated during the callback does not exchange the code again', async () => {
  const context = await world.browser.newContext();
  await configureMany(context, [qlikLogin()]);
  const tokenPosts: string[] = [];
  context.on('request', (request) => {
    if (request.method() === 'POST' && request.url() === `${world.tenant.url}/oauth/token`) tokenPosts.push(request.postData() ?? '');
  });
  const page = await context.newPage();
  await page.goto(world.pageUrl);
  await page.locator('#login-0').getByRole('button', { name: 'Sign in' }).click();
  // This tab's sign-in code stalls on the way back, so its copy is made while the callback waits.
  let release: () => void = () => undefined;
  const stalled = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/src\/auth\/(protocol|flows)\.ts/, async (route) => {
    await stalled;
    await route.continue();
  });
  await page.getByRole('button', { name: 'Alice Analyst' }).click();
  await page.waitForURL(/[?&]code=/, { timeout: 10_000 });
  const [copy] = await Promise.all([context.waitForEvent('page'), page.evaluate(() => void window.open(location.href))]);
  await copy.locator('#login-0[status="signed-in"]').waitFor({ timeout: 10_000 });
  release();
  await page.locator('#login-0[status="error"]').waitFor({ timeout: 10_000 });
  assert.equal(await page.evaluate(() => document.querySelector('auth-login')?.error?.code), 'missing_transaction');
  assert.equal(tokenPosts.filter((body) => body.includes('authorization_code')).length, 1, 'exactly one exchange for the code');
  // The grant was not revoked by a second redemption: the surviving tab's token works.
  const token = await copy.evaluate(() => document.querySelector('auth-login')!.getAccessToken());
  const me = await fetch(`${world.tenant.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(me.status, 200);
  await context.close();
});

test('status sequence: cancel auth-before-redirect, press Sign in again: both attempts report redirecting, then signed-out', async () => {
  const context = await world.browser.newContext();
  await configureMany(context, [qlikLogin()]);
  const page = await context.newPage();
  await page.goto(world.pageUrl);
  const login = page.locator('#login-0');
  await login.getByRole('button', { name: 'Sign in' }).waitFor();
  // The button shows before the lazily loaded owner is in place; its arrival is news of its own.
  await page.waitForFunction(() => document.querySelector('auth-login')?.auth !== undefined);
  await page.evaluate(() => {
    const el = document.querySelector('auth-login')!;
    const seen: string[] = [];
    (window as unknown as { __statuses: string[] }).__statuses = seen;
    el.addEventListener('auth-before-redirect', (event) => event.preventDefault());
    new MutationObserver(() => seen.push(el.getAttribute('status') ?? '')).observe(el, { attributeFilter: ['status'] });
    el.subscribe((snapshot) => seen.push(`owner:${snapshot.status}`));
  });
  const statuses = (): Promise<string[]> => page.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses);
  await login.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(() => (window as unknown as { __statuses: string[] }).__statuses.length >= 4);
  const first = await statuses();
  assert.deepEqual(first, ['owner:redirecting', 'redirecting', 'owner:signed-out', 'signed-out']);
  await login.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(() => (window as unknown as { __statuses: string[] }).__statuses.length >= 8);
  assert.deepEqual((await statuses()).slice(4), ['owner:redirecting', 'redirecting', 'owner:signed-out', 'signed-out'], 'the second attempt reports the same');
  assert.equal(await page.evaluate(() => document.querySelector('auth-login')!.auth?.status), 'signed-out');
  await context.close();
});

test('dev tenant OAUTH-29 and code-exchange OAUTH-5 come back with hints that fit', async () => {
  const pageUrl = `${world.pages.origin}${SINGLE}`;
  const tenant: DevTenant = await startDevTenant({
    clients: [
      { ...journeyClient([pageUrl], 'origin-spa'), allowed_origins: ['https://elsewhere.example'] },
      { ...journeyClient([pageUrl], 'cookie-spa'), require_authorize_cookies: true },
    ],
    trustedOrigins: [world.pages.origin],
  });
  try {
    const signIn = async (clientId: string, beforeCallback?: (context: BrowserContext) => Promise<void>) => {
      const context = await world.browser.newContext();
      const page = await context.newPage();
      await configureAuthPage(page, { provider: 'qlik', host: tenant.url, 'client-id': clientId });
      await page.goto(pageUrl);
      const callback = beforeCallback ? await holdCallback(page) : undefined;
      await page.locator('auth-login').getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Alice Analyst' }).click();
      if (callback && beforeCallback) {
        const url = await callback();
        await beforeCallback(context);
        await page.goto(url);
      }
      return { context, page };
    };
    const shown = (page: Page) =>
      page.locator('auth-login[status="error"]').waitFor({ timeout: 10_000 }).then(() =>
        page.evaluate(() => {
          const error = document.querySelector('auth-login')!.error;
          return { code: error?.code, hint: error?.hint ?? '' };
        }),
      );

    const origin = await signIn('origin-spa');
    const originError = await shown(origin.page);
    assert.equal(originError.code, 'OAUTH-29');
    assert.match(originError.hint, /allowed origins/);
    await origin.context.close();

    // The browser dropped the tenant's cookies from the authorize redirect (third-party cookies blocked).
    const cookies = await signIn('cookie-spa', (context) => context.clearCookies());
    const cookieError = await shown(cookies.page);
    assert.equal(cookieError.code, 'OAUTH-5');
    assert.match(cookieError.hint, /credentials: 'include'/);
    assert.match(cookieError.hint, /third-party cookies/);
    assert.doesNotMatch(cookieError.hint, /machine token/);
    await cookies.context.close();

    // With its cookies the same client signs in.
    const fine = await signIn('cookie-spa');
    await fine.page.locator('auth-login[status="signed-in"]').waitFor({ timeout: 10_000 });
    await fine.context.close();
  } finally {
    await tenant.close();
  }
});
