/**
 * The nebula.js journey's world: Qlik's stardust + sn-* charts bundled with esbuild (in the test
 * only; they are devDependencies), served from an OS-chosen port, a dev tenant trusting that
 * origin, and Chromium. It records console errors and every QIX call the page makes that the
 * engine answered `-32601 method not found`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { startDevTenant, type DevTenant } from '../../src/dev-tenant/index.ts';
import { launchChromium, repoRoot } from './journey.ts';

const HTML = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>nebula.js against the dev tenant</title></head><body><script src="/harness.js"></script></body></html>';

export async function bundleNebulaHarness(): Promise<string> {
  const result = await build({
    entryPoints: [`${repoRoot}test/journeys/pages/nebula/harness.ts`],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return result.outputFiles[0]!.text;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

export interface NebulaWorld {
  origin: string;
  tenant: DevTenant;
  browser: Browser;
  close(): Promise<void>;
}

export async function startNebulaWorld(): Promise<NebulaWorld> {
  const script = await bundleNebulaHarness();
  const server = createServer((req, res) => {
    const body = req.url === '/harness.js' ? script : req.url === '/' ? HTML : undefined;
    if (req.url === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': req.url === '/' ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8' });
    res.end(body);
  });
  const origin = await listen(server);
  const tenant = await startDevTenant({ trustedOrigins: [origin] });
  const browser = await launchChromium();
  return {
    origin,
    tenant,
    browser,
    close: async () => {
      await browser.close();
      await tenant.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface PageWatch {
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** QIX methods answered -32601, with how often. */
  missingMethods: Map<string, number>;
  /** Every QIX method the page called, with how often. */
  calledMethods: Map<string, number>;
}

/** Records console errors, page errors and the QIX calls of every websocket the page opens. */
export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { errors: [], missingMethods: new Map(), calledMethods: new Map() };
  page.on('console', (message) => {
    if (message.type() === 'error') watch.errors.push(message.text());
  });
  page.on('pageerror', (error) => watch.errors.push(`${error.name}: ${error.message}`));
  page.on('websocket', (socket) => {
    const pending = new Map<unknown, string>();
    socket.on('framesent', ({ payload }) => {
      const request = JSON.parse(String(payload)) as { id?: unknown; method?: string };
      if (request.method) {
        pending.set(request.id, request.method);
        watch.calledMethods.set(request.method, (watch.calledMethods.get(request.method) ?? 0) + 1);
      }
    });
    socket.on('framereceived', ({ payload }) => {
      const response = JSON.parse(String(payload)) as { id?: unknown; error?: { code: number } };
      const method = pending.get(response.id);
      pending.delete(response.id);
      if (method && response.error?.code === -32601) watch.missingMethods.set(method, (watch.missingMethods.get(method) ?? 0) + 1);
    });
  });
  return watch;
}
