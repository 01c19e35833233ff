/**
 * Journey: OIDC sign-in that returns an ID token, against oidc-provider. The nonce goes out with the
 * authorization request, the ID token is verified in the browser against the provider's JWKS, and
 * its claims become `user`. jose is downloaded only once an ID token has arrived.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { authEvents, configureAuthPage, countTokenRequests, holdCallback, persistedPageState } from '../support/journey.ts';
import { startOidcWorld, type OidcServer, type OidcWorld } from '../support/oidc-server.ts';

let world: OidcWorld;
let oidc: OidcServer;
let browser: Browser;
let pageUrl: string;

before(async () => {
  world = await startOidcWorld();
  ({ oidc, browser, pageUrl } = world);
});

after(async () => {
  await world?.close();
});

async function logIn(page: Page, login: string): Promise<void> {
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('any');
  await page.locator('button[type=submit]').click();
  await page.locator('button[type=submit]', { hasText: 'Continue' }).click();
}

/** Requests the page makes, by what they are for. */
function watch(page: Page): { nonces: string[]; jwks: number; verifierModules: string[] } {
  const seen = { nonces: [] as string[], jwks: 0, verifierModules: [] as string[] };
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === oidc.issuer && url.pathname === '/auth') seen.nonces.push(url.searchParams.get('nonce') ?? '');
    if (url.origin === oidc.issuer && url.pathname === '/jwks') seen.jwks += 1;
    if (url.pathname.endsWith('/src/auth/id-token.ts') || url.pathname.includes('/jose/')) seen.verifierModules.push(url.pathname);
  });
  return seen;
}

test('oidc preset with openid: nonce sent, ID token verified, its claims are user; jose loads only then', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await configureAuthPage(page, { provider: 'oidc', issuer: oidc.issuer, 'client-id': 'journey-spa', scope: 'openid offline_access' });
  const tokenRequests = countTokenRequests(page, `${oidc.issuer}/token`);
  const seen = watch(page);

  await page.goto(pageUrl);
  await page.locator('auth-login[status="signed-out"]').waitFor();
  assert.equal(seen.verifierModules.length, 0, `no ID token yet, so no jose: ${seen.verifierModules.join(', ')}`);

  await page.locator('auth-login').getByRole('button', { name: 'Sign in' }).click();
  await logIn(page, 'journey-user');
  await page.locator('auth-login[status="signed-in"]').waitFor({ timeout: 10_000 });

  assert.equal(seen.nonces.length, 1);
  assert.match(seen.nonces[0] ?? '', /^[A-Za-z0-9_-]{43}$/, 'a 256-bit nonce on the authorization request');
  assert.equal(tokenRequests.count, 1);
  assert.ok(seen.jwks >= 1, 'the browser fetched the provider\'s keys to verify the ID token');
  assert.ok(seen.verifierModules.some((path) => path.endsWith('/src/auth/id-token.ts')), 'the verifier was loaded on demand');
  assert.ok(seen.verifierModules.some((path) => path.includes('/jose/')), 'jose was loaded on demand');

  const user = await page.evaluate(() => document.querySelector('auth-login')!.user);
  assert.equal(user?.sub, 'journey-user', 'user.sub is the login used');
  assert.equal(user?.id, 'journey-user');
  assert.equal(user?.iss, oidc.issuer);
  assert.equal(user?.aud, 'journey-spa');
  assert.equal(user?.nonce, seen.nonces[0], 'the ID token carries the nonce this tab sent');

  // A refresh brings a new ID token, verified too; the user stays the same person.
  const token = await page.evaluate(() => document.querySelector('auth-login')!.getAccessToken());
  const refreshed = await page.evaluate(() => document.querySelector('auth-login')!.getAccessToken({ forceRefresh: true }));
  assert.notEqual(refreshed, token);
  assert.equal(tokenRequests.count, 2);
  const after = await page.evaluate(() => document.querySelector('auth-login')!.user);
  assert.equal(after?.sub, 'journey-user');
  assert.equal(await page.locator('auth-login').getAttribute('status'), 'signed-in');

  const stored = await persistedPageState(page);
  for (const secret of [token, refreshed]) assert.ok(!stored.includes(secret), `a token leaked into: ${stored}`);
  assert.ok(!stored.includes('journey-user'), 'the user is kept in memory only');
  assert.deepEqual(
    (await authEvents(page)).map((event) => event.type).filter((type) => type !== 'auth-before-redirect'),
    ['auth-signed-in', 'auth-token-refreshed'],
  );
  await context.close();
});

test('an ID token whose nonce does not match the sign-in is refused, and nothing is kept', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await configureAuthPage(page, { provider: 'oidc', issuer: oidc.issuer, 'client-id': 'journey-spa', scope: 'openid' });
  const tokenRequests = countTokenRequests(page, `${oidc.issuer}/token`);
  const release = await holdCallback(page);
  await page.goto(pageUrl);
  await page.locator('auth-login').getByRole('button', { name: 'Sign in' }).click();
  await logIn(page, 'journey-user');
  const callback = await release();

  // Another nonce in this tab's sign-in: the ID token (signed, carrying the real one) no longer fits.
  const tampered = await page.evaluate(() => {
    const key = Object.keys(sessionStorage).find((name) => name.startsWith('embed-kit:auth:transaction:'));
    if (!key) return false;
    const transaction = JSON.parse(sessionStorage.getItem(key) ?? '{}') as { nonce?: string };
    if (!transaction.nonce) return false;
    transaction.nonce = 'not-the-nonce-that-was-sent-with-this-sign-in';
    sessionStorage.setItem(key, JSON.stringify(transaction));
    return true;
  });
  assert.equal(tampered, true, 'the sign-in had a nonce to tamper with');

  await page.goto(callback);
  await page.locator('auth-login[status="error"]').waitFor({ timeout: 10_000 });
  const shown = await page.evaluate(async () => {
    const login = document.querySelector('auth-login')!;
    const token = await login.getAccessToken().then(
      () => 'a token',
      (error: { code?: string }) => error.code ?? 'no code',
    );
    return { code: login.error?.code, text: login.shadowRoot?.querySelector('[part~="error"]')?.textContent ?? '', user: login.user, token };
  });
  assert.equal(shown.code, 'nonce_mismatch');
  assert.match(shown.text, /nonce_mismatch/);
  assert.match(shown.text, /sign in again/);
  assert.equal(shown.user, undefined);
  assert.notEqual(shown.token, 'a token', 'the refused sign-in kept no token');
  assert.equal(tokenRequests.count, 1);
  await context.close();
});
