/**
 * Journey: the Genesys Cloud preset end to end, against oidc-provider mounted at Genesys' paths on
 * loopback (test/support/genesys-server.ts). `region="localhost:PORT"` stands in for
 * `mypurecloud.com`: the element builds `http://login.localhost:PORT/oauth/authorize` exactly as it
 * builds `https://login.mypurecloud.com/oauth/authorize`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import {
  authEvents,
  configureAuthPage,
  countTokenRequests,
  holdCallback,
  launchChromium,
  persistedPageState,
  startPageServer,
  type PageServer,
} from '../support/journey.ts';
import { startGenesysServer, type GenesysServer } from '../support/genesys-server.ts';

let pages: PageServer;
let genesys: GenesysServer;
/** Codes live one second here, for the expired-code case. */
let shortCodes: GenesysServer;
let browser: Browser;
let pageUrl: string;

before(async () => {
  pages = await startPageServer();
  pageUrl = `${pages.origin}/test/journeys/pages/auth.html`;
  const client = { clientId: 'gc-journey', redirectUris: [pageUrl], origins: [pages.origin] };
  genesys = await startGenesysServer(client);
  shortCodes = await startGenesysServer({ ...client, codeTtlSeconds: 1 });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await genesys?.close();
  await shortCodes?.close();
  await pages?.close();
});

/** oidc-provider's own login page, standing in for Genesys' (the client's scopes need no consent). */
async function logIn(page: Page, login: string): Promise<void> {
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('any');
  await page.locator('button[type=submit]').click();
}

test('genesys preset: sign in at login.{region}, one token request, the user from api.{region}/api/v2/users/me', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await configureAuthPage(page, { provider: 'genesys', region: genesys.region, 'client-id': 'gc-journey' });
  const tokenRequests = countTokenRequests(page, `${genesys.loginOrigin}/oauth/token`);
  const authorizeRequests: URL[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === genesys.loginOrigin && url.pathname === '/oauth/authorize') authorizeRequests.push(url);
  });

  // A page URL with a query and a fragment: the registered redirect URI has neither.
  await page.goto(`${pageUrl}?queue=support#today`);
  await page.locator('auth-login').getByRole('button', { name: 'Sign in' }).click();
  await logIn(page, 'grace-hopper');
  await page.locator('auth-login[status="signed-in"]').waitFor({ timeout: 10_000 });

  // The authorize request went to login.{region}, with an unpadded S256 challenge and the exact redirect URI.
  const authorize = authorizeRequests[0];
  assert.ok(authorize, 'the browser went to login.{region}/oauth/authorize');
  assert.equal(authorize.searchParams.get('redirect_uri'), pageUrl);
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  assert.match(authorize.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);

  assert.equal(tokenRequests.count, 1, 'exactly one token request');
  const body = new URLSearchParams(tokenRequests.bodies[0] ?? '');
  assert.equal(body.get('grant_type'), 'authorization_code');
  assert.equal(body.get('redirect_uri'), pageUrl, 'the token request repeats the registered redirect URI');
  assert.match(body.get('code_verifier') ?? '', /^[A-Za-z0-9._~-]{43,128}$/);
  assert.equal(body.get('client_id'), 'gc-journey');

  // The user, from api.{region}/api/v2/users/me with the Bearer token, shown as text.
  const expected = genesys.userFor('grace-hopper');
  await page.locator('auth-login [part~="user-name"]').waitFor({ timeout: 15_000 });
  const shown = await page.evaluate(() => {
    const login = document.querySelector('auth-login')!;
    return { user: login.user, label: login.shadowRoot?.querySelector('[part~="signed-in"]')?.textContent?.replace(/\s+/g, ' ').trim() };
  });
  assert.deepEqual(shown.user, expected);
  assert.equal(shown.label, 'Signed in as Grace Hopper');
  const token = await page.evaluate(() => document.querySelector('auth-login')!.getAccessToken());
  assert.deepEqual(genesys.usersMeAuthorizations, [`Bearer ${token}`]);

  // Back where the user started, the code gone from the URL, and no token anywhere but memory.
  assert.equal(new URL(page.url()).search, '?queue=support');
  assert.equal(new URL(page.url()).hash, '#today');
  const stored = await persistedPageState(page);
  assert.ok(!stored.includes(token), `the access token leaked into: ${stored}`);
  assert.deepEqual(
    (await authEvents(page)).map((event) => event.type),
    ['auth-signed-in'],
  );
  await context.close();
});

test('genesys preset: an expired code ends in invalid_grant with a hint, after one token request', async (t) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await configureAuthPage(page, { provider: 'genesys', region: shortCodes.region, 'client-id': 'gc-journey' });
  const tokenRequests = countTokenRequests(page, `${shortCodes.loginOrigin}/oauth/token`);
  const release = await holdCallback(page);
  await page.goto(pageUrl);
  await page.locator('auth-login').getByRole('button', { name: 'Sign in' }).click();
  await logIn(page, 'late-larry');
  const callback = await release();
  // The code lives one second; move the stand-in server's clock (Date) past it instead of waiting.
  t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
  t.mock.timers.tick(2_500);
  await page.goto(callback);
  await page.locator('auth-login[status="error"]').waitFor({ timeout: 10_000 });

  const shown = await page.evaluate(() => {
    const login = document.querySelector('auth-login')!;
    return {
      code: login.error?.code,
      hint: login.error?.hint,
      text: login.shadowRoot?.querySelector('[part~="error"]')?.textContent ?? '',
      user: login.user,
    };
  });
  assert.equal(shown.code, 'invalid_grant');
  assert.match(shown.hint ?? '', /expired/);
  assert.match(shown.text, /invalid_grant/);
  assert.match(shown.text, /sign in again/);
  assert.equal(shown.user, undefined);
  assert.equal(tokenRequests.count, 1, 'one attempt, no retry with a dead code');
  assert.ok(!/code=/.test(new URL(page.url()).search), 'the dead code is gone from the address bar');
  assert.deepEqual(shortCodes.usersMeAuthorizations, []);
  await context.close();
});
