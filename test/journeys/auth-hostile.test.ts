/**
 * Journey (c): hostile and unlucky callbacks against the dev tenant. None may exchange a code it
 * should not, loop, or render server text as HTML.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { DevTenant } from '../../src/dev-tenant/index.ts';
import {
  configureAuthPage,
  countTokenRequests,
  holdCallback,
  type JourneyWorld,
  persistedPageState,
  signInOnDevTenant,
  startJourneyWorld,
} from '../support/journey.ts';

/**
 * Seconds an authorization code lives here: short, so the expired-code case does not wait a
 * minute, yet long enough that the other cases never run out of it on a loaded machine.
 */
const CODE_TTL_SECONDS = 5;

let world: JourneyWorld;
let tenant: DevTenant;
let browser: Browser;
let pageUrl: string;

before(async () => {
  world = await startJourneyWorld('/test/journeys/pages/auth.html', { tenant: { codeTtl: CODE_TTL_SECONDS } });
  ({ tenant, browser, pageUrl } = world);
});

after(async () => {
  await world?.close();
});

async function openPage(): Promise<{ page: Page; tokenRequests: ReturnType<typeof countTokenRequests>; close(): Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await configureAuthPage(page, { provider: 'qlik', host: tenant.url, 'client-id': 'journey-spa' });
  const tokenRequests = countTokenRequests(page, `${tenant.url}/oauth/token`);
  await page.goto(pageUrl);
  return { page, tokenRequests, close: () => context.close() };
}

async function shownError(page: Page): Promise<{ code: string | undefined; text: string }> {
  await page.locator('auth-login[status="error"]').waitFor({ timeout: 20_000 });
  return page.evaluate(() => {
    const login = document.querySelector('auth-login')!;
    return { code: login.error?.code, text: login.shadowRoot?.querySelector('[part~="error"]')?.textContent ?? '' };
  });
}

test('a tampered state is refused with no token request; the genuine callback still works', async () => {
  const { page, tokenRequests, close } = await openPage();
  const callback = await holdCallback(page);
  await signInOnDevTenant(page);
  const genuine = new URL(await callback());

  const tampered = new URL(genuine);
  tampered.searchParams.set('state', `${genuine.searchParams.get('state')}x`);
  await page.goto(tampered.href);
  const error = await shownError(page);
  assert.equal(error.code, 'state_mismatch');
  assert.equal(tokenRequests.count, 0, 'no token request for a tampered state');

  await page.goto(genuine.href);
  await page.locator('auth-login[status="signed-in"]').waitFor({ timeout: 20_000 });
  assert.equal(tokenRequests.count, 1);
  const token = await page.evaluate(() => document.querySelector('auth-login')!.getAccessToken());
  assert.ok(!(await persistedPageState(page)).includes(token));
  await close();
});

test('reloading the callback URL gives missing_transaction, with no token request and no loop', async () => {
  const { page, tokenRequests, close } = await openPage();
  const callback = await holdCallback(page);
  await signInOnDevTenant(page);
  const callbackUrl = await callback();
  await page.goto(callbackUrl);
  await page.locator('auth-login[status="signed-in"]').waitFor({ timeout: 20_000 });
  assert.equal(tokenRequests.count, 1);

  const navigations: string[] = [];
  page.on('framenavigated', (frame) => navigations.push(frame.url()));
  await page.goto(callbackUrl);
  const error = await shownError(page);
  assert.equal(error.code, 'missing_transaction');
  assert.match(error.text, /sign in again/i);
  // Let anything the page would still send go out first (no requests for 500 ms), then count.
  await page.waitForLoadState('networkidle');
  assert.equal(tokenRequests.count, 1, 'the code is not sent again');
  assert.ok(!navigations.some((url) => url.startsWith(tenant.url)), 'no redirect back to the tenant');
  await close();
});

test('a replayed code is refused by the server with invalid_grant, typed with a hint', async () => {
  const { page, tokenRequests, close } = await openPage();
  await signInOnDevTenant(page);
  await page.locator('auth-login[status="signed-in"]').waitFor({ timeout: 20_000 });
  const sent = JSON.parse(tokenRequests.bodies[0] ?? '{}') as Record<string, string>;

  // Replay the exact request through the core, in the page, as an attacker with the verifier would.
  const replay = await page.evaluate(
    async ({ tokenUrl, body }) => {
      const modulePath = '/src/auth/index.ts'; // served by vite to the page
      const core = (await import(modulePath)) as typeof import('../../src/auth/index.ts');
      try {
        await core.exchangeAuthorizationCode(
          tokenUrl,
          { clientId: body.client_id!, code: body.code!, codeVerifier: body.code_verifier!, redirectUri: body.redirect_uri! },
          { format: 'json' },
        );
        return { code: 'accepted', hint: '' };
      } catch (error) {
        const typed = error as { code: string; hint: string };
        return { code: typed.code, hint: typed.hint };
      }
    },
    { tokenUrl: `${tenant.url}/oauth/token`, body: sent },
  );
  assert.equal(replay.code, 'invalid_grant');
  assert.match(replay.hint, /already used|exchanges the code twice/i);
  await close();
});

test('error=access_denied with an HTML description is shown as text', async () => {
  const { page, tokenRequests, close } = await openPage();
  let state = '';
  await page.route(`${tenant.url}/oauth/authorize**`, async (route) => {
    state = new URL(route.request().url()).searchParams.get('state') ?? '';
    await route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>held</title>' });
  });
  await page.locator('auth-login').getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${tenant.url}/oauth/authorize**`);
  assert.ok(state.length >= 43, 'state carries at least 128 bits');

  const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>Denied';
  const callback = new URL(pageUrl);
  callback.searchParams.set('error', 'access_denied');
  callback.searchParams.set('error_description', evil);
  callback.searchParams.set('state', state);
  await page.goto(callback.href);
  const error = await shownError(page);
  assert.equal(error.code, 'access_denied');
  assert.ok(error.text.includes('<img src=x'), `the description is shown as text: ${error.text}`);
  const injected = await page.evaluate(() => ({
    elements: document.querySelector('auth-login')!.shadowRoot!.querySelectorAll('[part~="error"] img, [part~="error"] script').length,
    pwned: (window as unknown as { __pwned?: number }).__pwned,
  }));
  assert.deepEqual(injected, { elements: 0, pwned: undefined });
  assert.equal(tokenRequests.count, 0);
  await close();
});

test('an expired code gives invalid_grant with a hint, shown in the element', async (t) => {
  const { page, tokenRequests, close } = await openPage();
  const callback = await holdCallback(page);
  await signInOnDevTenant(page);
  const callbackUrl = await callback();
  // Past the code's life, with a second to spare: the tenant's clock (Date, in this process) moves, the test does not wait.
  t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
  t.mock.timers.tick((CODE_TTL_SECONDS + 1) * 1000);
  await page.goto(callbackUrl);
  const error = await shownError(page);
  assert.equal(error.code, 'invalid_grant');
  assert.match(error.text, /sign in again/i);
  assert.equal(tokenRequests.count, 1, 'one attempt, no retry loop');
  await close();
});
