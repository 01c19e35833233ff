/**
 * Journeys of the no-build demo pages (demo/plain, demo/cms): they load `/dist/embed-kit.js`,
 * which here is a bundle built from the current sources into a temp dir (never a stale dist/),
 * and take the dev tenant's URL through `window.__EMBED_KIT_DEMO__` (demo/tenant-override.js),
 * so the page URL, and with it the redirect URI, stays exactly the page's own.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import type { Plugin } from 'vite';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { buildCdnBundle } from '../../scripts/bench-cdn.ts';

export interface CdnBundles {
  /** Vite plugin serving each bundle at its path (query ignored, as a CDN would). */
  plugin: Plugin;
  remove(): Promise<void>;
}

/**
 * Builds CDN bundles into a temp dir; `paths` maps a URL path to the version stamped in (or the
 * real one). Each script's lazy chunks are served from `cdn/` next to it, as a CDN serves the folder.
 */
export async function buildCdnBundles(paths: Record<string, string | undefined> = { '/dist/embed-kit.js': undefined }): Promise<CdnBundles> {
  const dir = await mkdtemp(join(tmpdir(), 'embed-kit-journey-cdn-'));
  const files = new Map<string, string>();
  let index = 0;
  for (const [path, version] of Object.entries(paths)) {
    const entry = await buildCdnBundle(join(dir, String(index++)), version ? { version } : {});
    files.set(path, entry);
    // Chunk names carry a content hash, so copies of two versions never claim the same name.
    for (const chunk of await readdir(join(dirname(entry), 'cdn'))) files.set(`${posix.dirname(path)}/cdn/${chunk}`.replace(/^\/\//, '/'), join(dirname(entry), 'cdn', chunk));
  }
  return {
    plugin: {
      name: 'embed-kit:journey-cdn',
      // The middleware serves the bytes as built; these two only let vite's HTML pre-transform
      // find the files too, instead of logging "Failed to load url".
      resolveId: (id, importer) => {
        const path = id.split('?')[0] ?? id;
        const resolved = path.startsWith('.') && importer ? posix.join(posix.dirname(importer.split('?')[0] ?? importer), path) : path;
        return files.has(resolved) ? resolved : null;
      },
      load: (id) => {
        const file = files.get(id.split('?')[0] ?? id);
        return file ? readFile(file, 'utf8') : null;
      },
      configureServer(server) {
        server.middlewares.use((req, res, next) => {
          const file = files.get(new URL(req.url ?? '/', 'http://localhost').pathname);
          if (!file) return next();
          readFile(file).then(
            (code) => {
              res.setHeader('content-type', 'text/javascript; charset=utf-8');
              res.end(code);
            },
            (error: unknown) => next(error),
          );
        });
      },
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface DemoPage {
  context: BrowserContext;
  page: Page;
  /** Console warnings and errors, and uncaught exceptions, as `type: text`. */
  problems: string[];
}

/** Opens a demo page pointed at the dev tenant, recording what the console says. */
export async function openDemoPage(browser: Browser, url: string, config: { host: string; clientId: string; appId?: string }): Promise<DemoPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'warning' || message.type() === 'error') problems.push(`${message.type()}: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  await page.addInitScript((value) => {
    (window as unknown as { __EMBED_KIT_DEMO__: unknown }).__EMBED_KIT_DEMO__ = value;
  }, config);
  await page.goto(url);
  return { context, page, problems };
}
