/**
 * Journey (a): sign-in, refresh and sign-out with revoke against a standard oidc-provider the
 * test configures itself, through the `oidc` preset (discovery).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { countTokenRequests, persistedPageState } from '../support/journey.ts';
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

test('oidc preset: sign in, refresh, sign out with revoke; no token outside memory', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript((attributes) => {
    (window as unknown as { __JOURNEY__: unknown }).__JOURNEY__ = { attributes };
  }, { provider: 'oidc', issuer: oidc.issuer, 'client-id': 'journey-spa', scope: 'openid offline_access' });
  const tokenRequests = countTokenRequests(page, `${oidc.issuer}/token`);
  const revocations = countTokenRequests(page, `${oidc.issuer}/token/revocation`);

  await page.goto(`${pageUrl}?tab=reports#section-2`);
  await page.locator('auth-login').getByRole('button', { name: 'Sign in' }).click();

  // oidc-provider's own login and consent pages.
  await page.locator('input[name=login]').fill('journey-user');
  await page.locator('input[name=password]').fill('any');
  await page.locator('button[type=submit]').click();
  await page.locator('button[type=submit]', { hasText: 'Continue' }).click();

  await page.locator('auth-login[status="signed-in"]').waitFor({ timeout: 10_000 });
  assert.equal(tokenRequests.count, 1, 'exactly one token request from callback to signed-in');
  assert.match(tokenRequests.bodies[0] ?? '', /grant_type=authorization_code/);
  assert.match(tokenRequests.bodies[0] ?? '', /code_verifier=[A-Za-z0-9._~-]{43,128}(&|$)/);
  // Back on the page the user started from, with code and state gone from the URL.
  assert.equal(new URL(page.url()).search, '?tab=reports');
  assert.equal(new URL(page.url()).hash, '#section-2');

  const token = await page.evaluate(() => document.querySelector('auth-login')!.getAccessToken());
  assert.ok(token.length > 20);
  const stored = await persistedPageState(page);
  assert.ok(!stored.includes(token), `the access token leaked into: ${stored}`);
  assert.ok(!/code=|state=/.test(new URL(page.url()).search));

  const refreshed = await page.evaluate(() => document.querySelector('auth-login')!.getAccessToken({ forceRefresh: true }));
  assert.notEqual(refreshed, token);
  assert.equal(tokenRequests.count, 2);
  assert.match(tokenRequests.bodies[1] ?? '', /grant_type=refresh_token/);
  const events = await page.evaluate(() => (window as unknown as { __events: Array<{ type: string }> }).__events.map((e) => e.type));
  assert.deepEqual(events.filter((t) => t !== 'auth-before-redirect'), ['auth-signed-in', 'auth-token-refreshed']);
  assert.ok(!(await persistedPageState(page)).includes(refreshed));

  await page.locator('auth-login').getByRole('button', { name: 'Sign out' }).click();
  await page.locator('auth-login[status="signed-out"]').waitFor();
  assert.ok(revocations.count >= 1, 'sign-out revokes at the revocation endpoint');
  assert.equal(await oidc.provider.AccessToken.find(refreshed), undefined, 'the server no longer accepts the token');
  const afterSignOut = await page.evaluate(() =>
    document.querySelector('auth-login')!.getAccessToken().then(
      () => 'resolved',
      (error: { code?: string }) => error.code ?? 'no code',
    ),
  );
  assert.notEqual(afterSignOut, 'resolved');
  await context.close();
});
