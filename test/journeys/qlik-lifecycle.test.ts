/**
 * Journey: fan-out and lifecycle of pooled sessions, counted on the dev tenant's side.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { SAMPLE_APP_ID, type DevTenant } from '../../src/dev-tenant/index.ts';
import { signInOnDevTenant, startJourneyWorld, type JourneyWorld } from '../support/journey.ts';
import { eventually, expectedSales, JOURNEY_PAGE_PATH, money, openJourneyPage } from '../support/qlik-journey.ts';

let world: JourneyWorld;
let tenant: DevTenant;
let browser: Browser;
let pageUrl: string;
const total = money(expectedSales().total);

before(async () => {
  world = await startJourneyWorld(JOURNEY_PAGE_PATH);
  ({ tenant, browser, pageUrl } = world);
});

after(async () => {
  await world?.close();
});

const auth = () => ({ provider: 'qlik', host: tenant.url, 'client-id': 'journey-spa' });

function resetCounts(): void {
  tenant.stats.reset();
}

async function allKpisShowTotal(page: Page, count: number): Promise<boolean> {
  const texts = await page.locator('#stage qlik-object .kpi-value').allTextContents();
  return texts.length === count && texts.every((t) => t.trim() === total);
}

test('20 <qlik-object> for one app: one websocket-token exchange, one websocket, one OpenDoc (server side)', async () => {
  resetCounts();
  const upgradesBefore = tenant.engine.stats.upgrades;
  const docsBefore = tenant.engine.stats.openDocs;
  const { context, page } = await openJourneyPage(browser, pageUrl, { auth: auth(), appId: SAMPLE_APP_ID, mount: 'objects', objectId: 'kpi-total-sales', count: 20 });
  let openDocFrames = 0;
  page.on('websocket', (socket) =>
    socket.on('framesent', (frame) => {
      if (typeof frame.payload === 'string' && frame.payload.includes('"method":"OpenDoc"')) openDocFrames += 1;
    }),
  );
  await signInOnDevTenant(page);
  await eventually(() => allKpisShowTotal(page, 20), 'all 20 KPIs rendered', 15_000);
  assert.equal(openDocFrames, 1, 'one OpenDoc on the wire');
  assert.equal(tenant.stats.websocketTokenExchanges, 1, 'one websocket-token exchange');
  assert.equal(tenant.engine.stats.upgrades - upgradesBefore, 1, 'one websocket');
  assert.equal(tenant.engine.stats.openDocs - docsBefore, 1, 'one OpenDoc session');
  assert.equal(tenant.engine.stats.openSockets, 1);
  await context.close();
  await eventually(() => tenant.engine.stats.openSockets === 0, 'page closed');
});

test('moving an element does not reconnect; removing all closes the socket after the grace period', async () => {
  const { context, page } = await openJourneyPage(browser, pageUrl, { auth: auth(), appId: SAMPLE_APP_ID, mount: 'objects', objectId: 'kpi-total-sales', count: 2 });
  await signInOnDevTenant(page);
  await eventually(() => allKpisShowTotal(page, 2), 'rendered', 15_000);
  const upgrades = tenant.engine.stats.upgrades;

  // The page's timers run on Playwright's clock from here: the grace period passes without waiting it out.
  await page.clock.install();
  await page.evaluate(() => document.getElementById('elsewhere')?.append(document.querySelector('#stage qlik-object') as Element));
  await page.clock.runFor(2500);
  assert.equal(tenant.engine.stats.upgrades, upgrades, 'no new websocket after a move');
  assert.equal(tenant.engine.stats.openSockets, 1);
  assert.equal((await page.locator('#elsewhere qlik-object .kpi-value').textContent())?.trim(), total, 'the moved object still shows its value');
  assert.equal(await page.locator('#elsewhere qlik-object').getAttribute('status'), 'open');

  await page.evaluate(() => document.querySelectorAll('qlik-object').forEach((el) => el.remove()));
  await page.clock.runFor(500);
  assert.equal(tenant.engine.stats.openSockets, 1, 'still open within the grace period');
  await page.clock.runFor(1600);
  await eventually(() => tenant.engine.stats.openSockets === 0, 'closed after the grace period', 5000);
  assert.equal(await page.evaluate(() => (window as unknown as { __qlik: { pool: { size: number } } }).__qlik.pool.size), 0);
  await context.close();
});

test('200 connect/disconnect cycles leave no open sockets and no growing listener counts', async () => {
  const { context, page } = await openJourneyPage(browser, pageUrl, { auth: auth(), appId: SAMPLE_APP_ID, mount: 'nothing', graceMs: 0 });
  await signInOnDevTenant(page);
  await page.locator('auth-login[status="signed-in"]').waitFor({ timeout: 15_000 });
  const upgradesBefore = tenant.engine.stats.upgrades;
  const result = await page.evaluate(async (appId) => {
    type PoolLike = { size: number; listenerCount(): number; stats: { socketsOpen: number } };
    const pool = (window as unknown as { __qlik: { pool: PoolLike } }).__qlik.pool;
    const stage = document.getElementById('stage') as HTMLElement;
    // Count live subscriptions to the sign-in (elements and sessions subscribe to it).
    const login = document.querySelector('auth-login') as HTMLElement & { subscribe(listener: unknown): () => void };
    const subscribe = login.subscribe.bind(login);
    let subscriptions = 0;
    login.subscribe = (listener) => {
      subscriptions += 1;
      const off = subscribe(listener);
      return () => {
        subscriptions -= 1;
        off();
      };
    };
    const listeners: number[] = [];
    const authListeners: number[] = [];
    for (let i = 0; i < 200; i++) {
      const el = document.createElement('qlik-object') as HTMLElement & { appId: string; objectId: string; pool: unknown; status: string };
      el.appId = appId;
      el.objectId = 'kpi-total-sales';
      el.pool = pool;
      stage.append(el);
      // Half the cycles wait for the open socket, half leave while it is still connecting.
      if (i % 2 === 0) {
        const deadline = performance.now() + 10_000;
        while (el.status !== 'open' && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      el.remove();
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (i % 50 === 49) {
        listeners.push(pool.listenerCount());
        authListeners.push(subscriptions);
      }
    }
    const deadline = performance.now() + 10_000;
    while ((pool.size > 0 || pool.stats.socketsOpen > 0) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    return { size: pool.size, socketsOpen: pool.stats.socketsOpen, listeners, authListeners, finalAuthListeners: subscriptions };
  }, SAMPLE_APP_ID);
  assert.equal(result.size, 0, 'no pooled session left');
  assert.equal(result.socketsOpen, 0, 'no socket open in the page');
  assert.deepEqual(result.listeners, [0, 0, 0, 0], 'no listeners left on the pool');
  assert.equal(new Set(result.authListeners).size, 1, `sign-in subscriptions do not grow (${result.authListeners.join(', ')})`);
  assert.equal(result.finalAuthListeners, 0, 'no subscription to the sign-in is left');
  await eventually(() => tenant.engine.stats.openSockets === 0, 'no socket open on the server');
  assert.ok(tenant.engine.stats.upgrades - upgradesBefore >= 100, `real reconnects happened (${tenant.engine.stats.upgrades - upgradesBefore})`);
  await context.close();
});
