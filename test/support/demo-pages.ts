/**
 * Journeys of the no-build demo pages (demo/plain, demo/cms): they load `/dist/embed-kit.js`,
 * which here is a bundle built from the current sources into a temp dir (never a stale dist/),
 * and take the dev tenant's URL through `window.__EMBED_KIT_DEMO__` (demo/tenant-override.js),
 * so the page URL, and with it the redirect URI, stays exactly the page's own.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import type { Plugin } from 'vite';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildCdnBundle } from '../../scripts/bench-cdn.ts';
import { recordPageProblems, startJourneyWorld, type JourneyWorld } from './journey.ts';

export interface CdnBundles {
  /** Vite plugin serving each bundle at its path (query ignored, as a CDN would). */
  plugin: Plugin;
  remove(): Promise<void>;
}

/**
 * `npm test` sets this to a folder of its own for the journeys stage, so the journey files that
 * need the same bundle build it once per run (the files run one after another). Unset, as when
 * one file runs alone, each call builds afresh.
 */
export const CDN_CACHE_ENV = 'EMBED_KIT_CDN_CACHE';

/** Builds the bundle for `version` (or the real one), or takes this run's copy from the stage's cache. */
async function cdnBundle(dir: string, version: string | undefined): Promise<string> {
  const cache = process.env[CDN_CACHE_ENV];
  if (!cache) return buildCdnBundle(dir, version ? { version } : {});
  const outDir = join(cache, version ? `version-${version.replace(/[^\w.-]/g, '_')}` : 'current');
  const marker = join(outDir, 'entry.txt');
  const built = await readFile(marker, 'utf8').catch(() => undefined);
  if (built) return built;
  const entry = await buildCdnBundle(outDir, version ? { version } : {});
  await writeFile(marker, entry);
  return entry;
}

/**
 * Builds CDN bundles into a temp dir; `paths` maps a URL path to the version stamped in (or the
 * real one). Each script's lazy chunks are served from `cdn/` next to it, as a CDN serves the folder.
 * Paths with the same version share one build.
 */
export async function buildCdnBundles(paths: Record<string, string | undefined> = { '/dist/embed-kit.js': undefined }): Promise<CdnBundles> {
  const dir = await mkdtemp(join(tmpdir(), 'embed-kit-journey-cdn-'));
  const files = new Map<string, string>();
  const builds = new Map<string | undefined, Promise<string>>();
  let index = 0;
  for (const [path, version] of Object.entries(paths)) {
    if (!builds.has(version)) builds.set(version, cdnBundle(join(dir, String(index++)), version));
    const entry = await (builds.get(version) as Promise<string>);
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

/** A journey world for a no-build demo page at `path`, with `/dist/embed-kit.js` built from the sources. */
export async function startCdnDemoWorld(path: string): Promise<JourneyWorld> {
  const bundles = await buildCdnBundles();
  try {
    const world = await startJourneyWorld(path, { plugins: [bundles.plugin] });
    return {
      ...world,
      close: async () => {
        await world.close();
        await bundles.remove();
      },
    };
  } catch (error) {
    await bundles.remove();
    throw error;
  }
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
  const problems = recordPageProblems(page);
  await page.addInitScript((value) => {
    (window as unknown as { __EMBED_KIT_DEMO__: unknown }).__EMBED_KIT_DEMO__ = value;
  }, config);
  await page.goto(url);
  return { context, page, problems };
}
