/**
 * F5 (issue 10): an engine that accepts the websocket and never answers. `<qlik-object>` must not
 * stay `connecting`: opening has a deadline (`openTimeoutMs`) and ends in a typed error with Retry.
 * And an engine that answers `OpenDoc` and then goes quiet: every later request has a deadline
 * (`requestTimeoutMs`) too.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchChromium, signInOnDevTenant, startPageServer, type PageServer } from '../support/journey.ts';
import { answerJson, startStandInServer, type StandInServer } from '../support/stand-in-server.ts';
import { SAMPLE_APP_ID, startDevTenant } from '../../src/dev-tenant/index.ts';
import { journeyClient } from '../support/dev-tenant.ts';
import { eventually, expectedSales, JOURNEY_PAGE_PATH, money, openJourneyPage, qlikEvents } from '../support/qlik-journey.ts';

let pages: PageServer;
let engine: StandInServer;
let browser: Browser;

before(async () => {
  pages = await startPageServer();
  // The tenant part works (websocket tokens are issued); the engine part goes quiet.
  engine = await startStandInServer((request, res) => answerJson(res, request.path === '/oauth/token' ? { access_token: 'ws-token', expires_in: 300 } : {}, request.path === '/oauth/token' ? 200 : 404), { websocket: true });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await engine?.close();
  await pages?.close();
});

test('F5: a silent engine ends in open_timeout with Retry, and Retry tries again', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript((config) => {
    (window as unknown as { __JOURNEY__: unknown }).__JOURNEY__ = config;
  }, { host: engine.origin, openTimeoutMs: 4000 });
  await page.goto(`${pages.origin}/test/journeys/pages/qlik-hang.html`);
  const object = page.locator('qlik-object');
  await object.locator('[part~="retry-button"]').waitFor({ timeout: 15_000 });
  assert.equal(await object.getAttribute('status'), 'error');
  assert.deepEqual(await page.evaluate(() => (window as unknown as { __errors: string[] }).__errors), ['open_timeout']);
  assert.match((await object.locator('[part~="error-hint"]').textContent()) ?? '', /Retry/);
  assert.equal(engine.sockets, 1, 'the socket was accepted, and then nothing');

  await object.locator('[part~="retry-button"]').click();
  await page.waitForFunction(() => (window as unknown as { __errors: string[] }).__errors.length === 2, null, { timeout: 15_000 });
  assert.equal(engine.sockets, 2, 'Retry opened a new socket');
  assert.equal(await object.getAttribute('status'), 'error');
  await context.close();
});

test('the session code cannot be loaded (offline, a deploy replaced the files): load_failed with Retry, and Retry loads it', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript((config) => {
    (window as unknown as { __JOURNEY__: unknown }).__JOURNEY__ = config;
  }, { host: engine.origin });
  const runtime = /\/src\/elements\/qlik-runtime\.ts/;
  let refused = 0;
  await page.route(runtime, (route) => {
    refused += 1;
    return route.abort('internetdisconnected');
  });
  const socketsBefore = engine.sockets;
  await page.goto(`${pages.origin}/test/journeys/pages/qlik-hang.html`);
  const object = page.locator('qlik-object');
  await object.locator('[part~="retry-button"]').waitFor({ timeout: 15_000 });
  assert.equal(await object.getAttribute('status'), 'error');
  assert.deepEqual(await page.evaluate(() => (window as unknown as { __errors: string[] }).__errors), ['load_failed']);
  assert.ok(refused >= 1, 'the runtime was asked for');
  assert.equal(engine.sockets, socketsBefore, 'no socket without the session code');

  // Back online: Retry fetches the code again and opens with it (this engine then stays silent).
  await page.unroute(runtime);
  await object.locator('[part~="retry-button"]').click();
  await object.and(page.locator('[status="connecting"]')).waitFor({ timeout: 15_000 });
  await eventually(() => engine.sockets > socketsBefore, 'Retry opens a socket', 15_000);
  assert.equal(engine.sockets, socketsBefore + 1, 'Retry opened a socket with the loaded code');
  assert.deepEqual(await page.evaluate(() => (window as unknown as { __errors: string[] }).__errors), ['load_failed']);
  await context.close();
});

test('an engine that answers OpenDoc and then goes quiet: request_timeout with Retry, and Retry loads the object', async () => {
  const pageUrl = `${pages.origin}${JOURNEY_PAGE_PATH}`;
  const tenant = await startDevTenant({ clients: [journeyClient([pageUrl])], trustedOrigins: [pages.origin] });
  const auth = { provider: 'qlik', host: tenant.url, 'client-id': 'journey-spa' };
  // The page's pool runs on a manual clock: its deadlines pass only when this journey says so.
  const { context, page } = await openJourneyPage(browser, pageUrl, { auth, appId: SAMPLE_APP_ID, mount: 'objects', objectId: 'kpi-total-sales', manualClock: true });
  try {
    // Stand between the page and the real engine: pass everything until the engine has answered
    // OpenDoc, then swallow every request while `quiet`.
    const wire = { sockets: 0, quiet: false, openDocId: undefined as number | undefined, dropped: [] as string[] };
    await page.routeWebSocket(/\/app\//, (ws) => {
      wire.sockets += 1;
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        const request = JSON.parse(String(message)) as { id?: number; method?: string };
        if (wire.quiet) {
          wire.dropped.push(request.method ?? '');
          return;
        }
        if (request.method === 'OpenDoc') wire.openDocId = request.id;
        server.send(message);
      });
      server.onMessage((message) => {
        const answer = JSON.parse(String(message)) as { id?: number };
        if (answer.id !== undefined && answer.id === wire.openDocId) wire.quiet = true;
        ws.send(message);
      });
    });
    await signInOnDevTenant(page);
    await eventually(() => wire.dropped.includes('GetObject'), 'the page asked the quiet engine for its object', 15_000);
    const object = page.locator('#stage qlik-object');
    assert.equal(await object.getAttribute('status'), 'open', 'the app is open; only the object waits');
    assert.deepEqual((await qlikEvents(page)).filter((event) => event.type === 'qlik-error'), [], 'no error before the deadline');

    await page.evaluate(() => (window as unknown as { __qlik: { clock: { advance(ms: number): Promise<void> } } }).__qlik.clock.advance(30_000));
    await object.locator('[part~="retry-button"]').waitFor({ timeout: 15_000 });
    assert.equal(await object.getAttribute('status'), 'error');
    const errors = (await qlikEvents(page)).filter((event) => event.type === 'qlik-error');
    assert.ok(errors.length >= 1 && errors.every((event) => event.code === 'request_timeout'), JSON.stringify(errors));
    assert.match((await object.locator('[part~="error-message"]').textContent()) ?? '', /GetObject/);
    assert.match((await object.locator('[part~="error-hint"]').textContent()) ?? '', /Retry/);

    // The engine answers again: Retry loads the object on the same socket.
    wire.quiet = false;
    await object.locator('[part~="retry-button"]').click();
    await eventually(async () => (await object.locator('.kpi-value').allTextContents()).map((text) => text.trim()).join() === money(expectedSales().total), 'the KPI after Retry', 15_000);
    assert.equal(await object.getAttribute('status'), 'open');
    assert.equal(wire.sockets, 1, 'Retry reused the open session');
  } finally {
    await context.close();
    await tenant.close();
  }
});
