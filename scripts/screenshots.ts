/**
 * `npm run screenshots`: the README's pictures, taken in headless Chromium (/usr/bin/chromium,
 * or CHROME_PATH) against the dev tenant, the same way the journeys drive the demo:
 * - docs/screenshots/landing-signed-in.png: the landing page signed in, one bar selected;
 * - docs/screenshots/landing-dark.png: the same after the dark-theme toggle;
 * - docs/screenshots/cms-article.png: the CMS article with its pasted elements;
 * - docs/screenshots/renderers-side-by-side.png: each chart type, native beside nebula.js.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startDevTenant, type DevTenant } from '../src/dev-tenant/index.ts';
import { launchChromium, signInOnDevTenant, startPageServer, type PageServer } from '../test/support/journey.ts';
import { journeyClient } from '../test/support/dev-tenant.ts';
import { buildCdnBundles, openDemoPage, type CdnBundles } from '../test/support/demo-pages.ts';
import { eventually } from '../test/support/qlik-journey.ts';
import { repoRoot } from './manifest.ts';
import { screenshotRenderers } from './screenshots-renderers.ts';

const OUT_DIR = join(repoRoot, 'docs/screenshots');
const VIEWPORT = { width: 1280, height: 900 };

/** Every object on the page (inside dashboards too) has drawn its content, and nothing is loading. */
async function rendered(page: Page): Promise<void> {
  await eventually(
    () =>
      // No named functions in here: tsx would wrap them in a helper the page does not have.
      page.evaluate(() => {
        const objects: Element[] = [];
        const roots: ParentNode[] = [document];
        for (let root = roots.pop(); root; root = roots.pop()) {
          for (const element of root.querySelectorAll('qlik-object, qlik-dashboard')) {
            if (element.localName === 'qlik-object') objects.push(element);
            if (element.shadowRoot) roots.push(element.shadowRoot);
          }
        }
        return objects.length > 0 && objects.every((object) => object.shadowRoot?.querySelector('[part="content"] > *') && object.getAttribute('status') === 'open');
      }),
    'every object rendered',
    20_000,
  );
  // Let transitions settle.
  await page.waitForTimeout(300);
}

async function signIn(page: Page): Promise<void> {
  await signInOnDevTenant(page);
  await page.locator('auth-login[status="signed-in"]').waitFor({ timeout: 15_000 });
  await rendered(page);
}

async function main(): Promise<string[]> {
  let bundles: CdnBundles | undefined;
  let pages: PageServer | undefined;
  let tenant: DevTenant | undefined;
  let browser: Browser | undefined;
  const written: string[] = [];
  try {
    bundles = await buildCdnBundles();
    pages = await startPageServer([bundles.plugin]);
    const landing = `${pages.origin}/`;
    const cms = `${pages.origin}/demo/cms/`;
    tenant = await startDevTenant({ port: 0, clients: [journeyClient([landing, cms])], trustedOrigins: [pages.origin] });
    browser = await launchChromium();
    await mkdir(OUT_DIR, { recursive: true });
    const config = { host: tenant.url, clientId: 'journey-spa' };

    // The article first: the landing page's selection would show in it (the user's session keeps it).
    const article = await openDemoPage(browser, cms, config);
    await article.page.setViewportSize(VIEWPORT);
    await signIn(article.page);
    const cmsShot = join(OUT_DIR, 'cms-article.png');
    await article.page.screenshot({ path: cmsShot, fullPage: true });
    written.push(cmsShot);
    await article.context.close();

    const home = await openDemoPage(browser, landing, config);
    await home.page.setViewportSize(VIEWPORT);
    await home.page.emulateMedia({ colorScheme: 'light' });
    await home.page.reload();
    await signIn(home.page);
    // One selection, so the log and the selections bar show something.
    await home.page.locator('qlik-dashboard qlik-object[object-id="bar-sales-by-region"] rect.bar').first().click();
    await home.page.locator('qlik-dashboard [part="selection"]').first().waitFor();
    await rendered(home.page);
    const light = join(OUT_DIR, 'landing-signed-in.png');
    await home.page.screenshot({ path: light, fullPage: true });
    written.push(light);

    await home.page.getByRole('button', { name: 'Dark theme' }).click();
    await home.page.locator('html[data-theme="dark"]').waitFor();
    await home.page.waitForTimeout(300);
    const dark = join(OUT_DIR, 'landing-dark.png');
    await home.page.screenshot({ path: dark, fullPage: true });
    written.push(dark);
    await home.context.close();
  } finally {
    await browser?.close();
    await tenant?.close();
    await pages?.close();
    await bundles?.remove();
  }
  return written;
}

for (const path of await main()) console.log(`wrote ${path}`);
console.log(`wrote ${await screenshotRenderers(OUT_DIR)}`);
