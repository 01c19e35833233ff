/**
 * F5 (issue 10): an engine that accepts the websocket and never answers. `<qlik-object>` must not
 * stay `connecting`: opening has a deadline (`openTimeoutMs`) and ends in a typed error with Retry.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchChromium, startPageServer, type PageServer } from '../support/journey.ts';
import { answerJson, startStandInServer, type StandInServer } from '../support/stand-in-server.ts';

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
  for (let i = 0; i < 300 && engine.sockets === socketsBefore; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(engine.sockets, socketsBefore + 1, 'Retry opened a socket with the loaded code');
  assert.deepEqual(await page.evaluate(() => (window as unknown as { __errors: string[] }).__errors), ['load_failed']);
  await context.close();
});
