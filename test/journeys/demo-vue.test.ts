/**
 * Journey: the Vue 3 demo (demo/vue) under vite with @vitejs/plugin-vue, in Chromium, against
 * the dev tenant. Vue must leave our tags alone (`isCustomElement`), set `authSource` with
 * `.prop`, and hear `@auth-signed-in` and `@qlik-selection-changed`.
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
  world = await startFrameworkDemoWorld('/demo/vue/');
  ({ tenant, browser, pageUrl } = world);
});

after(async () => {
  await world?.close();
});

test('Vue: sign in, the KPI shows the total, a selection filters it; one code exchange, one websocket', async () => {
  const { context, page, problems } = await runDemoJourney(browser, pageUrl, tenant);

  // `:authSource.prop="login"` set the property to the <auth-login> element itself.
  // The page's light DOM holds one <qlik-object>, the headline KPI; the rest are in the dashboard.
  const boundToLogin = await page.evaluate(() => {
    const login = document.querySelector('auth-login');
    return [document.querySelector('qlik-dashboard'), document.querySelector('qlik-object')].map((element) => element?.authSource === login);
  });
  assert.deepEqual(boundToLogin, [true, true], 'authSource is the <auth-login> element on both');
  // Attributes stayed attributes, and Vue rendered the tags rather than resolving components.
  assert.equal(await page.locator('auth-login').getAttribute('client-id'), 'journey-spa');
  assert.match((await page.locator('qlik-dashboard').getAttribute('app-id')) ?? '', /^[0-9a-f-]{36}$/, ':app-id stayed an attribute');
  assert.deepEqual(problems.filter((line) => /Failed to resolve component|\[Vue warn\]/.test(line)), [], 'no Vue warnings');
  assert.deepEqual(problems, [], 'no console errors or warnings');
  // The demo's typed method calls and qlik-rendered listener.
  await assertDemoDrivesTheKpi(page);
  await context.close();
});
