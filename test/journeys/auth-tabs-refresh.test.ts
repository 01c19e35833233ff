/**
 * Issue 15: two tabs whose shared access token is due for refresh at the same moment, against a dev tenant
 * with short-lived tokens and refresh-token rotation (a rotated refresh token used twice revokes
 * the whole grant there, as on strict servers). One refresh serves both, and both keep working.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { authEvents, configureAuthPage, countTokenRequests, type JourneyWorld, signInOnDevTenant, startJourneyWorld } from '../support/journey.ts';

/**
 * Seconds. Tabs refresh 30 s ahead of expiry (the default `refreshSkewSeconds`), so a token of
 * 33 s is due 3 s after it was issued: soon, but after the second tab has opened.
 */
const ACCESS_TOKEN_TTL = 33;
const REFRESH_SKEW_MS = 30_000;

let world: JourneyWorld;
let context: BrowserContext;

before(async () => {
  world = await startJourneyWorld('/test/journeys/pages/auth.html', { tenant: { accessTokenTtl: ACCESS_TOKEN_TTL } });
  context = await world.browser.newContext();
  await configureAuthPage(context, { provider: 'qlik', host: world.tenant.url, 'client-id': 'journey-spa' });
});

after(async () => {
  await context?.close();
  await world?.close();
});

function accessToken(page: Page): Promise<string> {
  return page.evaluate(() => document.querySelector('auth-login')!.getAccessToken());
}

/** Waits, in the page, until its access token is due for refresh (a moment in time, not a fixed sleep). */
async function due(page: Page): Promise<void> {
  await page.waitForFunction((skew) => {
    const expiresAt = document.querySelector('auth-login')!.expiresAt;
    return expiresAt !== undefined && Date.now() >= expiresAt - skew;
  }, REFRESH_SKEW_MS, { timeout: 10_000, polling: 50 });
}

async function works(token: string): Promise<boolean> {
  const me = await fetch(`${world.tenant.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${token}` } });
  return me.status === 200;
}

test('refresh due in two tabs at once, with rotation: one refresh request, and both tabs keep working', async () => {
  const a = await context.newPage();
  await a.goto(world.pageUrl);
  await signInOnDevTenant(a);
  await a.locator('auth-login[status="signed-in"]').waitFor({ timeout: 10_000 });
  const b = await context.newPage();
  await b.goto(world.pageUrl);
  await b.locator('auth-login[status="signed-in"]').waitFor({ timeout: 10_000 });
  const requests = [countTokenRequests(a, `${world.tenant.url}/oauth/token`), countTokenRequests(b, `${world.tenant.url}/oauth/token`)];

  let previous = await accessToken(b);
  for (const round of [1, 2]) {
    await Promise.all([due(a), due(b)]);
    world.tenant.stats.reset();
    const before = requests.map((r) => r.count);
    // Both tabs need a token at the same moment.
    const [fromA, fromB] = await Promise.all([accessToken(a), accessToken(b)]);
    assert.equal(world.tenant.stats.tokenRequests.refresh_token, 1, `round ${round}: one refresh request reached the tenant`);
    assert.equal(requests[0]!.count + requests[1]!.count - before[0]! - before[1]!, 1, `round ${round}: one token request left the tabs`);
    assert.equal(fromA, fromB, `round ${round}: both tabs hold the new token`);
    assert.notEqual(fromA, previous);
    assert.ok(await works(fromA), `round ${round}: the new token works`);
    previous = fromA;
  }
  for (const page of [a, b]) {
    assert.equal(await page.locator('auth-login').getAttribute('status'), 'signed-in');
    const types = (await authEvents(page)).map((e) => e.type);
    assert.ok(!types.includes('auth-signed-out') && !types.includes('auth-error'), `${page.url()}: ${types.join(', ')}`);
    assert.equal(types.filter((t) => t === 'auth-token-refreshed').length, 2, 'each tab heard of both refreshes');
  }
});
