/**
 * The dev tenant's engine in-process behind a plain HTTP server (with a fake token check), and
 * the real enigma.js client with the full published schema: what the engine node tests and the
 * engine bench drive. Expectations come from the generated rows, never from the engine.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import enigma from 'enigma.js';
import { WebSocket, type ClientOptions } from 'ws';
import { createEngine, generateSalesRows, SAMPLE_APP_ID, type Engine, type EngineUser, type SalesRow } from '../../src/dev-tenant/engine/index.ts';

/** The newest published engine schema enigma.js ships. */
export const SCHEMA_VERSION = '12.2027.0';
export const schema = createRequire(import.meta.url)(`enigma.js/schemas/${SCHEMA_VERSION}.json`) as { structs: Record<string, Record<string, unknown>> };

/** `ws`'s WebSocket has the onopen/onmessage/onclose/send API enigma.js uses; only its type differs from the DOM's. */
export function nodeSocket(url: string, options?: ClientOptions): globalThis.WebSocket {
  return new WebSocket(url, options) as unknown as globalThis.WebSocket;
}

/** A QIX object as enigma.js generates it; methods are called by name with `call`. */
export type Qix = EnigmaJS.QixObject;

/** Calls a generated method (`call(doc, 'getVariableByName', 'vTarget')`). */
export function call<T>(api: Qix, method: string, ...args: unknown[]): Promise<T> {
  const fn = (api as unknown as Record<string, unknown>)[method];
  if (typeof fn !== 'function') throw new TypeError(`${api.type} has no method ${method} in schema ${SCHEMA_VERSION}`);
  return (fn as (...a: unknown[]) => Promise<T>).apply(api, args);
}

export const TEST_USERS: Record<string, EngineUser> = {
  'ws-alice': { id: 'alice', subject: 'auth0|alice', name: 'Alice' },
  'ws-bob': { id: 'bob', subject: 'auth0|bob', name: 'Bob' },
};

export interface EngineHarness {
  engine: Engine;
  /** `ws://127.0.0.1:{port}` */
  base: string;
  /** Opens the Sales app in a fresh engine session (its own identity). */
  open(options?: { delta?: boolean; token?: string }): Promise<{ session: EnigmaJS.Session; global: Qix; doc: Qix }>;
  close(): Promise<void>;
}

export async function startEngineHarness(): Promise<EngineHarness> {
  const engine = createEngine({
    verifyToken: async (token) => {
      const user = token ? TEST_USERS[token] : undefined;
      return user ? { ok: true, user } : { ok: false, status: 401, reason: 'invalid websocket token' };
    },
    isOriginTrusted: () => true,
  });
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => {
    if (!engine.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sessions: EnigmaJS.Session[] = [];
  let identity = 0;
  return {
    engine,
    base,
    async open(options = {}) {
      identity += 1;
      const session = enigma.create({
        schema,
        url: `${base}/app/${SAMPLE_APP_ID}/identity/h${identity}?accessToken=${options.token ?? 'ws-alice'}`,
        createSocket: (url: string) => nodeSocket(url),
        protocol: { delta: options.delta ?? true },
      });
      sessions.push(session);
      const global = await session.open<Qix>();
      const doc = await call<Qix>(global, 'openDoc', SAMPLE_APP_ID);
      return { session, global, doc };
    },
    async close() {
      await Promise.all(sessions.map((s) => s.close().catch(() => undefined)));
      await engine.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---- independent expectations, straight from the generated rows

export const ROWS: readonly SalesRow[] = generateSalesRows();

export function sum(rows: readonly SalesRow[], value: (r: SalesRow) => number = (r) => r.Sales): number {
  return rows.reduce((s, r) => s + value(r), 0);
}

export function groupSum(rows: readonly SalesRow[], key: (r: SalesRow) => string, value: (r: SalesRow) => number = (r) => r.Sales): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + value(r));
  return out;
}

/** Floating sums in another order differ in the last bits only. */
export function near(actual: unknown, expected: number, message?: string): void {
  assert.equal(typeof actual, 'number', `${message ?? ''}: ${String(actual)} is not a number`);
  assert.ok(Math.abs((actual as number) - expected) <= Math.max(1e-6, Math.abs(expected) * 1e-9), `${message ?? ''} ${String(actual)} ≠ ${expected}`);
}

/** enigma.js rejects with the engine's error `{ code, parameter, message }`. */
export function qixError(code: number, messagePart?: string): (err: unknown) => boolean {
  return (err) => {
    const e = err as { code?: number; message?: string };
    assert.equal(e.code, code, `expected error ${code}, got ${String(e.code)}: ${String(e.message)}`);
    if (messagePart) assert.match(String(e.message), new RegExp(messagePart.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    return true;
  };
}
