/**
 * Issue 15: one sign-in for every open tab of the site, tokens in memory only. Tabs are pages of
 * one browser context; the dev tenant counts what reaches it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import {
  authEvents,
  collectIssuedTokens,
  configureAuthPage,
  countNavigations,
  countTokenRequests,
  eventually,
  type JourneyWorld,
  persistedPageState,
  signInOnDevTenant,
  startJourneyWorld,
} from '../support/journey.ts';

const PAGE = '/test/journeys/pages/auth.html';
const ARTICLE = '/test/journeys/pages/auth-article.html';

let world: JourneyWorld;
let context: BrowserContext;
let issued: Set<string>;
let tokenUrl: string;
let authorizeUrl: string;
const tabs: { a?: Page; b?: Page } = {};
/** Every page opened, for the final storage scan. */
const visited: Page[] = [];

before(async () => {
  world = await startJourneyWorld(PAGE);
  tokenUrl = `${world.tenant.url}/oauth/token`;
  authorizeUrl = `${world.tenant.url}/oauth/authorize`;
  context = await world.browser.newContext();
  await configureAuthPage(context, { provider: 'qlik', host: world.tenant.url, 'client-id': 'journey-spa' });
  issued = collectIssuedTokens(context, tokenUrl);
});

after(async () => {
  await context?.close();
  await world?.close();
});

async function openTab(url: string): Promise<{ page: Page; authorize: { readonly count: number }; tokens: { readonly count: number } }> {
  const page = await context.newPage();
  visited.push(page);
  const authorize = countNavigations(page, authorizeUrl);
  const tokens = countTokenRequests(page, tokenUrl);
  await page.goto(url);
  return { page, authorize, tokens };
}

function accessToken(page: Page): Promise<string> {
  return page.evaluate(() => document.querySelector('auth-login')!.getAccessToken());
}

/** Asks the other tabs straight through the core, as `<auth-login>` does on start: resolves whether any answered. */
function askOtherTabs(page: Page, clientId: string, host: string): Promise<boolean> {
  return page.evaluate(
    async ([id, tenant, modulePath]) => {
      const { AuthClient } = (await import(modulePath)) as typeof import('../../src/auth/client.ts');
      const client = new AuthClient({ provider: 'qlik', host: tenant, clientId: id });
      const signedIn = await client.signInFromOtherTabs();
      client.close();
      return signedIn;
    },
    [clientId, host, '/src/auth/client.ts'] as const,
  );
}

test('tab A signs in; tab B opens signed in, with zero authorize redirects and zero token requests', async () => {
  const a = await openTab(world.pageUrl);
  tabs.a = a.page;
  await signInOnDevTenant(a.page);
  await a.page.locator('auth-login[status="signed-in"]').waitFor({ timeout: 10_000 });
  assert.equal(a.tokens.count, 1, 'A signed in with one code exchange');

  world.tenant.stats.reset();
  const b = await openTab(world.pageUrl);
  tabs.b = b.page;
  await b.page.locator('auth-login[status="signed-in"]').waitFor({ timeout: 10_000 });
  assert.equal(b.authorize.count, 0, 'no authorize redirect in B');
  assert.equal(b.tokens.count, 0, 'no token request from B');
  assert.deepEqual(world.tenant.stats.tokenRequests, {}, 'the tenant saw no token request at all');
  const token = await accessToken(b.page);
  assert.equal(token, await accessToken(a.page), 'B holds the token A got');
  const me = await fetch(`${world.tenant.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(me.status, 200);
  assert.deepEqual((await authEvents(b.page)).map((e) => e.type), ['auth-signed-in']);
  await b.page.locator('auth-login').getByText('Alice Analyst').waitFor();
});

test('A moves to another page of the site while B is open: the new page is signed in without a redirect', async () => {
  const a = tabs.a!;
  const authorize = countNavigations(a, authorizeUrl);
  const tokens = countTokenRequests(a, tokenUrl);
  await a.goto(`${new URL(world.pageUrl).origin}${ARTICLE}`);
  await a.locator('auth-login[status="signed-in"]').waitFor({ timeout: 10_000 });
  assert.equal(authorize.count, 0, 'no authorize redirect');
  assert.equal(tokens.count, 0, 'no token request');
  assert.equal(await accessToken(a), await accessToken(tabs.b!));
});

test('a page with a different client id on the same origin gets nothing', async () => {
  const other = await context.newPage();
  visited.push(other);
  await configureAuthPage(other, { provider: 'qlik', host: world.tenant.url, 'client-id': 'other-spa' });
  const tokens = countTokenRequests(other, tokenUrl);
  await other.goto(world.pageUrl);
  assert.equal(await askOtherTabs(other, 'other-spa', world.tenant.url), false, 'nobody answers another client id');
  // The same page and moment, asking for journey-spa, is answered: the refusal above is about the client id.
  assert.equal(await askOtherTabs(other, 'journey-spa', world.tenant.url), true);
  assert.equal(await other.locator('auth-login').getAttribute('status'), 'signed-out');
  assert.equal(tokens.count, 0);
});

test('a page of another origin gets nothing', async () => {
  const foreignUrl = world.pageUrl.replace('127.0.0.1', 'localhost');
  assert.notEqual(new URL(foreignUrl).origin, new URL(world.pageUrl).origin);
  const foreign = await openTab(foreignUrl);
  // Its <auth-login> has asked on start by the time it settles signed out.
  await foreign.page.locator('auth-login[status="signed-out"]').waitFor();
  assert.equal(await askOtherTabs(foreign.page, 'journey-spa', world.tenant.url), false);
  assert.equal(await foreign.page.locator('auth-login').getAttribute('status'), 'signed-out');
  assert.equal(foreign.tokens.count, 0);
  assert.equal(foreign.authorize.count, 0);
});

test('sign out in B: A signs out too, with reason other_tab, and the token is revoked', async () => {
  const [a, b] = [tabs.a!, tabs.b!];
  const token = await accessToken(a);
  await b.locator('auth-login').getByRole('button', { name: 'Sign out' }).click();
  await b.locator('auth-login[status="signed-out"]').waitFor();
  await a.locator('auth-login[status="signed-out"]').waitFor({ timeout: 15_000 });
  const last = (await authEvents(a)).at(-1);
  assert.equal(last?.type, 'auth-signed-out');
  assert.equal(last?.reason, 'other_tab', 'A says it came from another tab');
  assert.equal((await authEvents(b)).at(-1)?.reason, 'user');
  await eventually(() => world.tenant.stats.revocations > 0, 'the tab that signed out revokes');
  const me = await fetch(`${world.tenant.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(me.status, 401, 'revoked once, by the tab that signed out');
  // A new tab now finds nobody signed in.
  const c = await openTab(world.pageUrl);
  assert.equal(await askOtherTabs(c.page, 'journey-spa', world.tenant.url), false);
});

test('a page load with auto-redirect, no other tab and a live tenant session comes back signed in without a click', async () => {
  // A visit of its own: sign in, close the only tab, come back later.
  const visit = await world.browser.newContext();
  try {
    await configureAuthPage(visit, { provider: 'qlik', host: world.tenant.url, 'client-id': 'journey-spa' });
    const first = await visit.newPage();
    await first.goto(world.pageUrl);
    await signInOnDevTenant(first);
    await first.locator('auth-login[status="signed-in"]').waitFor({ timeout: 10_000 });
    await first.close();

    const page = await visit.newPage();
    await configureAuthPage(page, { provider: 'qlik', host: world.tenant.url, 'client-id': 'journey-spa', 'auto-redirect': '' });
    const authorize = countNavigations(page, authorizeUrl);
    const interaction = countNavigations(page, `${world.tenant.url}/interaction/`);
    const tokens = countTokenRequests(page, tokenUrl);
    await page.goto(world.pageUrl);
    await page.locator('auth-login[status="signed-in"]').waitFor({ timeout: 10_000 });
    assert.equal(authorize.count, 1, 'one redirect');
    assert.equal(interaction.count, 0, 'the tenant showed no login or consent page');
    assert.equal(tokens.count, 1, 'one code exchange');
    assert.equal(new URL(page.url()).pathname, PAGE, 'back on the page, without the code in the URL');
    const token = await accessToken(page);
    assert.ok(!(await persistedPageState(page)).includes(token));
  } finally {
    await visit.close();
  }
});

test('storage scan: no token in any storage, cookie or URL of any page', async () => {
  const live = visited.filter((page) => !page.isClosed());
  for (const page of live) {
    try {
      issued.add(await accessToken(page));
    } catch {
      // Signed out: nothing to add.
    }
  }
  assert.ok(issued.size >= 2, `the sign-in's access and refresh token were seen on the wire (${issued.size})`);
  for (const page of live) {
    const state = await persistedPageState(page);
    for (const token of issued) assert.ok(!state.includes(token), `a token in ${page.url()}: ${state}`);
    assert.ok(!JSON.parse(state).indexedDB.length, 'no IndexedDB database');
  }
});
