/**
 * The impersonation handler on a node http server over loopback, and requests shaped as a browser
 * sends them (Origin, the site's session cookie), for the server tests.
 */
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createImpersonationTokenHandler, type ImpersonationError, type ImpersonationHandlerOptions, type ImpersonationTokenHandler, type NodeHandler, type UserLookup } from '../../src/server/index.ts';

/** The app's own session: a `sid` cookie naming the user's subject. */
export function sessionUser(req: IncomingMessage): UserLookup | null {
  const sid = /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  return sid ? { field: 'subject', value: decodeURIComponent(sid) } : null;
}

/** The handler's time seam for tests: waits are recorded and return at once; time moves only when told. */
export interface TestClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Every wait the handler asked for, in ms. */
  slept: number[];
  advance(ms: number): void;
}

export function testClock(start = Date.now()): TestClock {
  let now = start;
  const slept: number[] = [];
  return {
    now: () => now,
    sleep: async (ms) => void slept.push(ms),
    slept,
    advance: (ms) => void (now += ms),
  };
}

export interface MountedHandler {
  origin: string;
  handler: ImpersonationTokenHandler;
  /** Everything onError heard. */
  errors: ImpersonationError[];
  close(): Promise<void>;
}

export async function mountHandler(options: Omit<ImpersonationHandlerOptions, 'resolveUser'> & Partial<Pick<ImpersonationHandlerOptions, 'resolveUser'>>, wrap?: (handler: NodeHandler) => http.RequestListener): Promise<MountedHandler> {
  const errors: ImpersonationError[] = [];
  const handler = createImpersonationTokenHandler({ resolveUser: sessionUser, onError: (error) => errors.push(error), ...options });
  const server = http.createServer(wrap ? wrap(handler) : handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    handler,
    errors,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: Record<string, unknown>;
}

export interface RequestOptions {
  method?: string;
  /** The session cookie's user. */
  user?: string;
  /** Default: the target's own origin; null sends none. */
  origin?: string | null;
  headers?: Record<string, string>;
  agent?: http.Agent;
  /** Rejects when no answer arrives in time, so that a hanging handler fails the test instead of hanging it. Default 10 s. */
  timeoutMs?: number;
}

/** A request as a browser page on the target's origin would send it (Origin header, cookie). */
export function request(url: string, options: RequestOptions = {}): Promise<Answer> {
  const target = new URL(url);
  const headers: Record<string, string> = { ...options.headers };
  if (options.origin !== null) headers.origin = options.origin ?? target.origin;
  if (options.user) headers.cookie = `theme=dark; sid=${encodeURIComponent(options.user)}`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const req = http.request(target, { method: options.method ?? 'POST', headers, ...(options.agent ? { agent: options.agent } : {}) }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        clearTimeout(timer);
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end();
  });
}
