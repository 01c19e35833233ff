/**
 * Serves a built app's output on 127.0.0.1 (an OS-chosen port), as any static host would:
 * files by path, `index.html` for directories and for unknown paths (single-page apps).
 * The root can be set after the server starts, so that its origin is known before the build.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

export interface StaticServer {
  origin: string;
  /** The directory to serve from now on. */
  root: string | undefined;
  /** Bytes sent per path, gzip not applied. */
  readonly sent: Map<string, number>;
  close(): Promise<void>;
}

export async function startStaticServer(): Promise<StaticServer> {
  const state: { root: string | undefined } = { root: undefined };
  const sent = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const root = state.root;
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = root ? resolveFile(root, path) : undefined;
    if (!file) {
      res.writeHead(404).end('not found');
      return;
    }
    const body = readFileSync(file);
    sent.set(path, (sent.get(path) ?? 0) + body.length);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    get root() {
      return state.root;
    },
    set root(value) {
      state.root = value;
    },
    sent,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function resolveFile(root: string, path: string): string | undefined {
  const candidate = normalize(join(root, path));
  if (candidate !== root && !candidate.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  for (const file of [candidate, join(candidate, 'index.html'), `${candidate}.html`]) {
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  // A path without an extension is a route of a single-page app.
  return extname(path) ? undefined : join(root, 'index.html');
}
