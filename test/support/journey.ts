/**
 * Shared plumbing for journeys: a vite dev server for test pages, and Debian's Chromium driven
 * by playwright-core. Every server listens on 127.0.0.1 with a port the OS picks.
 */
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type PluginOption, type ViteDevServer } from 'vite';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_MISSING, findChromium } from './chromium.ts';
import { startDevTenant, type DevTenant, type DevTenantOptions } from '../../src/dev-tenant/index.ts';
import { journeyClient } from './dev-tenant.ts';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface PageServer {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves the repository (src, test pages, demo) with vite, so pages can import TypeScript.
 * `plugins` adds to that, e.g. the framework demos' (demo/vite-plugins.ts); `optimize` names more
 * CommonJS/UMD packages a page imports (nebula.js and its charts).
 */
export async function startPageServer(plugins: PluginOption[] = [], optimize: string[] = []): Promise<PageServer> {
  // Its own optimizer cache: vite rewrites node_modules/.vite whenever its config differs, which
  // breaks a concurrent `npm start` or another journey with "504 Outdated Optimize Dep".
  const cacheDir = mkdtempSync(`${repoRoot}node_modules/.vite-journey-`);
  const server: ViteDevServer = await createServer({
    configFile: false,
    root: repoRoot,
    cacheDir,
    plugins,
    logLevel: 'error',
    clearScreen: false,
    envPrefix: ['VITE_', 'QLIK_'],
    server: { host: '127.0.0.1', port: 0, hmr: false, watch: null },
    // Pre-bundle the CommonJS/UMD deps up front: a late discovery would reload the page mid-journey.
    optimizeDeps: { noDiscovery: true, include: ['enigma.js', 'enigma.js/schemas/12.2027.0.json', ...optimize] },
  });
  await server.listen();
  const address = server.httpServer?.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await server.close();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(CHROMIUM_MISSING);
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS.filter((a) => !a.startsWith('--headless')) });
}

/**
 * Records what goes wrong on a page, as text: console warnings and errors (not Lit's notice that
 * it runs its development build, which vite serves on purpose), uncaught exceptions and, with
 * `httpErrors`, responses of 400 and up.
 */
export function recordPageProblems(page: Page, { httpErrors = false } = {}): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.text().startsWith('Lit is in dev mode')) return;
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  if (httpErrors) {
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
  }
  return problems;
}

/** Polls `check` every 50 ms until it holds; throws naming `message` after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, message: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!(await check())) throw new Error(`timed out: ${message}`);
}

/**
 * Everything a page holds outside memory: Web Storage, cookies, IndexedDB and the URL.
 * Journeys assert that no token appears in any of it.
 */
export async function persistedPageState(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const dump: Record<string, unknown> = {
      localStorage: { ...localStorage },
      sessionStorage: { ...sessionStorage },
      cookie: document.cookie,
      location: location.href,
    };
    const databases = await indexedDB.databases();
    dump.indexedDB = databases.map((db) => db.name);
    return JSON.stringify(dump);
  });
}

/** Counts POSTs to a token endpoint as the browser sends them. */
export function countTokenRequests(page: Page, tokenUrl: string): { readonly count: number; bodies: string[] } {
  const seen = { count: 0, bodies: [] as string[] };
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url() === tokenUrl) {
      seen.count += 1;
      seen.bodies.push(request.postData() ?? '');
    }
  });
  return seen;
}

/**
 * Attributes (and `options`) the auth test pages apply to their `<auth-login>` on every load: of
 * one page, or of every page (tab) of a browser context.
 */
export async function configureAuthPage(
  target: Page | BrowserContext,
  attributes: Record<string, string>,
  options?: Record<string, unknown>,
): Promise<void> {
  await target.addInitScript(
    ([attrs, opts]) => {
      (window as unknown as { __JOURNEY__: unknown }).__JOURNEY__ = opts ? { attributes: attrs, options: opts } : { attributes: attrs };
    },
    [attributes, options] as const,
  );
}

/** Counts a page's top-level navigations to URLs that start with `prefix` (e.g. the authorize endpoint). */
export function countNavigations(page: Page, prefix: string): { readonly count: number } {
  const seen = { count: 0 };
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame() && request.url().startsWith(prefix)) seen.count += 1;
  });
  return seen;
}

/** Every access and refresh token the tenant's token endpoint hands to the pages of `context`. */
export function collectIssuedTokens(context: BrowserContext, tokenUrl: string): Set<string> {
  const tokens = new Set<string>();
  context.on('response', (response) => {
    if (response.url() !== tokenUrl || response.request().method() !== 'POST') return;
    void response
      .json()
      .then((body: Record<string, unknown>) => {
        for (const name of ['access_token', 'refresh_token', 'id_token']) if (typeof body[name] === 'string') tokens.add(body[name]);
      })
      .catch(() => undefined);
  });
  return tokens;
}

/** Clicks Sign in, then the user's button on the dev tenant's login page. */
export async function signInOnDevTenant(page: Page, userName = 'Alice Analyst'): Promise<void> {
  await page.locator('auth-login').getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: userName }).click();
}

export interface AuthEventRecord {
  type: string;
  code?: string;
  reason?: string;
  /** `performance.now()` in the page when it fired. */
  at?: number;
}

export function authEvents(page: Page): Promise<AuthEventRecord[]> {
  return page.evaluate(() => (window as unknown as { __events: AuthEventRecord[] }).__events);
}

/**
 * Holds back the authorization response: the test page keeps the callback URL instead of handling
 * it, so a journey can tamper with it, delay it, or replay it. (Playwright cannot intercept the
 * redirect itself.)
 */
export async function holdCallback(page: Page): Promise<() => Promise<string>> {
  await page.addInitScript(() => {
    (window as unknown as { __HOLD__: boolean }).__HOLD__ = true;
  });
  return async () => {
    await page.waitForFunction(() => (window as unknown as { __held?: string }).__held, null, { timeout: 10_000 });
    const url = await page.evaluate(() => (window as unknown as { __held: string }).__held);
    // Init scripts run in the order they were added, so this one wins from now on.
    await page.addInitScript(() => {
      (window as unknown as { __HOLD__: boolean }).__HOLD__ = false;
    });
    return url;
  };
}

export interface JourneyWorld {
  pages: PageServer;
  tenant: DevTenant;
  browser: Browser;
  /** The page under test, also the client's only redirect URI. */
  pageUrl: string;
  close(): Promise<void>;
}

/**
 * What most journeys start with: the page server, a dev tenant whose SPA client `journey-spa`
 * may redirect to `pagePath` from that server's origin, and Chromium.
 */
export async function startJourneyWorld(
  pagePath: string,
  options: { plugins?: PluginOption[]; optimize?: string[]; tenant?: Omit<DevTenantOptions, 'clients' | 'trustedOrigins'> } = {},
): Promise<JourneyWorld> {
  const pages = await startPageServer(options.plugins, options.optimize);
  const pageUrl = `${pages.origin}${pagePath}`;
  const tenant = await startDevTenant({ ...options.tenant, clients: [journeyClient([pageUrl])], trustedOrigins: [pages.origin] });
  const browser = await launchChromium();
  return {
    pages,
    tenant,
    browser,
    pageUrl,
    close: async () => {
      await browser.close();
      await tenant.close();
      await pages.close();
    },
  };
}
