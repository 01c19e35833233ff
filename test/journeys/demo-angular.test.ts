/**
 * Journey: the Angular demo (demo/angular), built here with the Angular CLI's esbuild
 * `application` builder (`ng build`), served at /demo/angular/ and driven in Chromium against
 * the dev tenant. Needs the demo's own install: `npm --prefix demo/angular install`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startDevTenant, type DevTenant } from '../../src/dev-tenant/index.ts';
import { angularDemo, ANGULAR_DEMO_PATH } from '../../demo/vite-plugins.ts';
import { ANGULAR_DEMO_DIR, ANGULAR_INSTALL_COMMAND, AngularNotInstalledError, angularInstalled, buildAngularDemo } from '../../scripts/angular-demo.ts';
import { journeyClient } from '../support/dev-tenant.ts';
import { assertDemoDrivesTheKpi, runDemoJourney } from '../support/framework-demo.ts';
import { launchChromium, startPageServer, type PageServer } from '../support/journey.ts';

const outputPath = mkdtempSync(join(tmpdir(), 'embed-kit-angular-'));
let pages: PageServer;
let tenant: DevTenant;
let browser: Browser;
let pageUrl: string;

before(
  async () => {
    if (!angularInstalled()) {
      throw new Error(`The Angular journey needs demo/angular's own install: run \`${ANGULAR_INSTALL_COMMAND}\` (CI does this before npm test).`);
    }
    pages = await startPageServer([angularDemo(outputPath)]);
    pageUrl = `${pages.origin}${ANGULAR_DEMO_PATH}`;
    tenant = await startDevTenant({ clients: [journeyClient([pageUrl])], trustedOrigins: [pages.origin] });
    // Angular compiles ahead of time, so the tenant's address goes in at build time.
    const build = await buildAngularDemo({ outputPath, settings: { QLIK_HOST: tenant.url, QLIK_CLIENT_ID: 'journey-spa' } });
    console.log(`ng build (production, @angular/build:application) took ${(build.ms / 1000).toFixed(1)} s`);
    browser = await launchChromium();
  },
  { timeout: 240_000 },
);

after(async () => {
  await browser?.close();
  await tenant?.close();
  await pages?.close();
  rmSync(outputPath, { recursive: true, force: true });
});

test('Angular: the esbuild build is served; sign in, the KPI shows the total, a selection filters it; one code exchange, one websocket', async () => {
  const built = readdirSync(join(outputPath, 'browser'));
  assert.ok(built.some((file) => /^main-[A-Z0-9]+\.js$/.test(file)), `a hashed main bundle: ${built.join(', ')}`);
  assert.match(readFileSync(join(outputPath, 'browser/index.html'), 'utf8'), /<base href="\/demo\/angular\/">/);

  const { context, page, problems } = await runDemoJourney(browser, pageUrl, tenant);

  // The page's light DOM holds one <qlik-object>, the headline KPI; the rest are in the dashboard.
  const app = await page.evaluate(() => {
    const login = document.querySelector('auth-login');
    return {
      ngVersion: document.querySelector('app-root')?.getAttribute('ng-version'),
      zone: 'Zone' in window,
      authSourceIsLogin: [document.querySelector('qlik-dashboard'), document.querySelector('qlik-object')].map((element) => element?.authSource === login),
      clientIdAttribute: login?.getAttribute('client-id'),
      clientId: login?.clientId,
    };
  });
  assert.match(app.ngVersion ?? '', /^21\./, 'Angular 21 rendered the page');
  assert.equal(app.zone, false, 'zoneless: no zone.js on the page');
  assert.deepEqual(app.authSourceIsLogin, [true, true], '[authSource] is the <auth-login> element on both');
  assert.equal(app.clientIdAttribute, null, '[clientId] set the property');
  assert.equal(app.clientId, 'journey-spa', 'the build-time setting reached the element');
  assert.deepEqual(problems, [], 'no console errors or warnings');
  // The demo's typed method calls and qlik-rendered listener.
  await assertDemoDrivesTheKpi(page);
  await context.close();
});

test('without its install, building the Angular demo says what to run', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'embed-kit-no-angular-'));
  try {
    await assert.rejects(buildAngularDemo({ outputPath: join(empty, 'out'), projectDir: empty }), (error: unknown) => {
      assert.ok(error instanceof AngularNotInstalledError);
      assert.ok(error.message.includes(ANGULAR_INSTALL_COMMAND), error.message);
      return true;
    });
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
  assert.equal(angularInstalled(ANGULAR_DEMO_DIR), true);
});
