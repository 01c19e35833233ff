/**
 * Journey (b): the Qlik preset against the dev tenant: sign in on its login page, refresh,
 * sign out with revoke; tokens stay in memory.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { DevTenant } from '../../src/dev-tenant/index.ts';
import {
  authEvents,
  configureAuthPage,
  countTokenRequests,
  eventually,
  type JourneyWorld,
  persistedPageState,
  signInOnDevTenant,
  startJourneyWorld,
} from '../support/journey.ts';

let world: JourneyWorld;
let tenant: DevTenant;
let browser: Browser;
let pageUrl: string;

before(async () => {
  world = await startJourneyWorld('/test/journeys/pages/auth.html');
  ({ tenant, browser, pageUrl } = world);
});

after(async () => {
  await world?.close();
});

test('qlik preset: sign in, refresh, sign out with revoke; no token outside memory', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await configureAuthPage(page, { provider: 'qlik', host: tenant.url, 'client-id': 'journey-spa' });
  const tokenRequests = countTokenRequests(page, `${tenant.url}/oauth/token`);

  await page.goto(pageUrl);
  await signInOnDevTenant(page, 'Bob Builder');
  await page.locator('auth-login[status="signed-in"]').waitFor({ timeout: 10_000 });

  assert.equal(tokenRequests.count, 1, 'one token request from callback to signed-in');
  const body = JSON.parse(tokenRequests.bodies[0] ?? '{}') as Record<string, string>;
  assert.equal(body.grant_type, 'authorization_code', 'the Qlik preset sends JSON');
  assert.equal(body.redirect_uri, pageUrl);
  assert.equal(body.scope, 'user_default');
  assert.equal(tenant.stats.tokenRequests.authorization_code, 1);

  const token = await page.evaluate(() => document.querySelector('auth-login')!.getAccessToken());
  const me = await fetch(`${tenant.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(((await me.json()) as { name: string }).name, 'Bob Builder', 'the token is Bob\'s');
  assert.ok(!(await persistedPageState(page)).includes(token));

  const refreshed = await page.evaluate(() => document.querySelector('auth-login')!.getAccessToken({ forceRefresh: true }));
  assert.notEqual(refreshed, token);
  assert.equal(tenant.stats.tokenRequests.refresh_token, 1);
  assert.ok(!(await persistedPageState(page)).includes(refreshed));

  await page.locator('auth-login').getByRole('button', { name: 'Sign out' }).click();
  await page.locator('auth-login[status="signed-out"]').waitFor();
  await eventually(() => tenant.stats.revocations >= 1, 'sign-out revokes at /oauth/revoke');
  const afterRevoke = await fetch(`${tenant.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${refreshed}` } });
  assert.equal(afterRevoke.status, 401, 'the revoked token no longer works');
  // Events of this page load: the one that came back from the tenant.
  const types = (await authEvents(page)).map((e) => e.type);
  assert.deepEqual(types, ['auth-signed-in', 'auth-token-refreshed', 'auth-signed-out']);
  await context.close();
});
