/**
 * Journey: the single-file CDN bundle loaded twice on one page, as CMS pages do when two
 * blocks or plugins each add the script tag. The second copy must not crash on
 * "already defined"; when its version differs it says so, once, and the first copy's elements
 * stay in use.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { VERSION } from '../../src/version.ts';
import { launchChromium, startPageServer, type PageServer } from '../support/journey.ts';
import { buildCdnBundles, openDemoPage, type CdnBundles } from '../support/demo-pages.ts';

const OTHER_VERSION = '9.9.9-other';
let bundles: CdnBundles;
let pages: PageServer;
let browser: Browser;

before(async () => {
  // /cdn/first.js is the current build; /cdn/second.js is the same sources stamped with another version.
  bundles = await buildCdnBundles({ '/cdn/first.js': undefined, '/cdn/second.js': OTHER_VERSION, '/cdn/again.js': undefined });
  pages = await startPageServer([bundles.plugin]);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await pages?.close();
  await bundles?.remove();
});

async function loadTwice(page: 'cdn-twice-same-version' | 'cdn-twice-two-versions') {
  const opened = await openDemoPage(browser, `${pages.origin}/test/journeys/pages/${page}.html`, { host: '', clientId: '' });
  await opened.page.locator('auth-login').getByRole('button', { name: 'Sign in' }).waitFor();
  // Module scripts run, in order, before the load event that page.goto waits for; so both have run.
  const scripts = await opened.page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((path) => /^\/cdn\/[^/]+\.js$/.test(path)));
  assert.equal(scripts.length, 2, scripts.join(', '));
  return opened;
}

test('a second copy of the same version: no crash, no warning, every tag defined', async () => {
  const { context, page, problems } = await loadTwice('cdn-twice-same-version');
  // <auth-login> comes with the script; the qlik tags load because the page uses one.
  await page.evaluate(() => Promise.all(['qlik-dashboard', 'qlik-object'].map((tag) => customElements.whenDefined(tag))));
  const state = await page.evaluate(() => ({
    tags: ['auth-login', 'qlik-dashboard', 'qlik-object'].map((tag) => Boolean(customElements.get(tag))),
    version: (globalThis as Record<symbol, unknown>)[Symbol.for('embed-kit/version')],
    objectStatus: document.querySelector('qlik-object')?.getAttribute('status'),
  }));
  assert.deepEqual(state, { tags: [true, true, true], version: VERSION, objectStatus: 'idle' });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a second copy of another version: one warning naming both versions; the first stays registered', async () => {
  const { context, page, problems } = await loadTwice('cdn-twice-two-versions');
  // Said by the second copy's own chunk (its scripts share /cdn/, their chunks carry content hashes).
  assert.equal(problems.length, 1, problems.join('\n'));
  const warning = `warning: embed-kit ${OTHER_VERSION} was loaded on a page that already runs embed-kit ${VERSION}; the elements of ${VERSION} stay in use. Load one copy only. (${pages.origin}/cdn/`;
  assert.ok(problems[0]?.startsWith(warning), problems[0]);
  const version = await page.evaluate(() => (globalThis as Record<symbol, unknown>)[Symbol.for('embed-kit/version')]);
  assert.equal(version, VERSION, 'the page still runs the first version');
  assert.ok(await page.locator('auth-login').getByRole('button', { name: 'Sign in' }).isVisible(), 'the elements work');
  await context.close();
});
