/**
 * Journey: the React 19 demo (demo/react) with the `embed-kit/react` wrappers, in <StrictMode>,
 * in Chromium against the dev tenant. StrictMode mounts, unmounts and mounts again in
 * development; the server must still see one code exchange and one websocket.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { DevTenant } from '../../src/dev-tenant/index.ts';
import { assertDemoDrivesTheKpi, runDemoJourney, startFrameworkDemoWorld } from '../support/framework-demo.ts';
import type { JourneyWorld } from '../support/journey.ts';

let world: JourneyWorld;
let tenant: DevTenant;
let browser: Browser;
let pageUrl: string;

before(async () => {
  world = await startFrameworkDemoWorld('/demo/react/');
  ({ tenant, browser, pageUrl } = world);
});

after(async () => {
  await world?.close();
});

test('React StrictMode: effects ran twice, yet one code exchange and one websocket; the KPI and a selection work', async () => {
  const { context, page, log, problems } = await runDemoJourney(browser, pageUrl, tenant);

  // StrictMode really did mount twice on the page that handled the callback: mounted,
  // unmounted, mounted (the log is newest first).
  const lifecycle = log.filter((line) => /App (un)?mounted/.test(line)).map((line) => line.replace(/^.*(App \w+)$/, '$1'));
  assert.deepEqual(lifecycle.reverse(), ['App mounted', 'App unmounted', 'App mounted'], 'StrictMode mounted twice');

  // The wrappers set properties, not attributes: authSource is the element, clientId a property.
  const wiring = await page.evaluate(() => {
    const login = document.querySelector('auth-login');
    const dashboard = document.querySelector('qlik-dashboard');
    return {
      authSourceIsLogin: dashboard?.authSource === login,
      clientId: login?.clientId,
      appIdAttribute: dashboard?.getAttribute('app-id'),
      appId: dashboard?.appId,
    };
  });
  assert.equal(wiring.authSourceIsLogin, true, 'authSource is the <auth-login> element');
  assert.equal(wiring.clientId, 'journey-spa');
  assert.equal(wiring.appIdAttribute, null, 'appId went in as a property');
  assert.equal(typeof wiring.appId, 'string');
  assert.deepEqual(problems, [], 'no console errors or warnings');
  // The demo's typed method calls and qlik-rendered listener.
  await assertDemoDrivesTheKpi(page);
  await context.close();
});
