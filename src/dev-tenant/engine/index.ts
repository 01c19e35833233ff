/**
 * The dev tenant's QIX engine: JSON-RPC over websockets at
 * `/app/{appId}[/identity/{id}][/ttl/{seconds}]?accessToken=…&reloadUri=…`, the way Qlik Cloud
 * serves it and enigma.js speaks it.
 *
 * How a connection is refused, and why:
 * - A missing, expired or non-websocket token (401, or whatever status `verifyToken` gives) and
 *   an untrusted Origin (403) refuse the HTTP upgrade itself, with a status line and a JSON
 *   `errors[]` body. Tools that read the handshake response (curl, `ws`'s `unexpected-response`)
 *   get the reason; a browser only sees a failed websocket (close 1006).
 * - An unknown app and a user without access to the app are refused *after* the upgrade, by
 *   closing the socket with 4204 ("app not found") or 4203 ("no permission") and a reason, as
 *   Qlik Cloud does. That is the only refusal a browser client can read: enigma.js reports it
 *   as a `closed` event and rejects pending calls with the close event attached, so the session
 *   layer can map the code to a typed error.
 */
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { LoadedApp, type SampleApp } from './app.ts';
import { DeltaCache } from './delta.ts';
import { ExportStore } from './export-store.ts';
import { isRecord, type JsonObject } from './json.ts';
import { invoke } from './methods.ts';
import { ErrorCode, QixError, readRequest } from './rpc.ts';
import { createSalesApp } from './sales-app.ts';
import { EngineSession, type SessionPeer } from './session.ts';

export interface EngineUser {
  id: string;
  subject: string;
  name: string;
  email?: string;
}

export type TokenSource = 'query' | 'bearer';

export type TokenCheck = { ok: true; user: EngineUser } | { ok: false; status: number; reason: string };

export interface EngineOptions {
  /**
   * Checks the credential of an upgrade: `?accessToken=` (a websocket token from the exchange,
   * what browsers send) or else the `Authorization: Bearer` header (a user's access token, what
   * Node clients such as `@qlik/api` send).
   */
  verifyToken(token: string | undefined, source: TokenSource): Promise<TokenCheck>;
  isOriginTrusted(origin: string | undefined): boolean;
  /** False refuses the app with close code 4203. Default: every user may open every app. */
  canAccessApp?(user: EngineUser, appId: string): boolean;
  /** How long a session outlives its last socket, unless the URL has `/ttl/{s}`. Default 30 s. */
  sessionTtlMs?: number;
  /** Default: the built-in Sales app. */
  apps?: SampleApp[];
}

export interface EngineStats {
  /** Websockets accepted and served. */
  upgrades: number;
  /** Connections refused: HTTP refusals plus sockets closed with 4203/4204. */
  refusedUpgrades: number;
  /** Sessions (live or within their TTL) with the app open. */
  openDocs: number;
  openSockets: number;
}

export interface Engine {
  /** Takes an HTTP upgrade for `/app/…`; returns false (and leaves the socket alone) for any other path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  readonly stats: EngineStats;
  /** Files made by ExportData; the HTTP server serves `/tempcontent/…` from here to their owner. */
  readonly exports: ExportStore;
  /** Abruptly terminates every socket; sessions stay for their TTL (for resume tests). */
  dropAll(): void;
  close(): Promise<void>;
}

export { SAMPLE_APP_ID, SALES_OBJECT_IDS, createSalesApp } from './sales-app.ts';
export { SALES_LIBRARY_IDS } from './sales-library.ts';
export { TEMP_CONTENT_PREFIX, type ExportStore } from './export-store.ts';
export { generateSalesRows, DEFAULT_ROWS, DEFAULT_SEED, type SalesRow } from './sales-data.ts';
export type { SampleApp, AppObjectDef } from './app.ts';

/** Close codes as Qlik Cloud uses them. */
export const CloseCode = { NO_PERMISSION: 4203, APP_NOT_FOUND: 4204, ENGINE_TERMINATING: 4003 } as const;

const MAX_TTL_MS = 24 * 60 * 60 * 1000;

interface Route {
  appId: string;
  identity: string;
  ttlMs: number | undefined;
}

/** Parses `/app/{appId}[/identity/{id}][/ttl/{s}]`; null for other paths, 'invalid' for a bad /app/ path. */
function parseRoute(pathname: string): Route | null | 'invalid' {
  if (pathname !== '/app' && !pathname.startsWith('/app/')) return null;
  const parts = pathname.split('/').slice(2).filter((p, i, all) => p !== '' || i < all.length - 1);
  if (parts.length === 0 || !parts[0]) return 'invalid';
  let appId: string;
  let identity = '';
  let ttlMs: number | undefined;
  try {
    appId = decodeURIComponent(parts[0]);
    for (let i = 1; i < parts.length; i += 2) {
      const name = parts[i];
      const value = parts[i + 1];
      if (value === undefined || value === '') return 'invalid';
      if (name === 'identity') identity = decodeURIComponent(value);
      else if (name === 'ttl' && /^\d+$/.test(value)) ttlMs = Math.min(Number(value) * 1000, MAX_TTL_MS);
      else return 'invalid';
    }
  } catch {
    return 'invalid';
  }
  return { appId, identity, ttlMs };
}

function refuse(socket: Duplex, requestedStatus: number, code: string, detail: string): void {
  const status = Number.isInteger(requestedStatus) && requestedStatus >= 400 && requestedStatus < 600 ? requestedStatus : 401;
  const title = STATUS_CODES[status] ?? 'Error';
  const body = JSON.stringify({ errors: [{ code, title, detail, status: String(status) }], traceId: randomUUID().replace(/-/g, '') });
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header && /^bearer\s+/i.test(header) ? header.replace(/^bearer\s+/i, '') : undefined;
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** One socket attached to a session. Delta state is per socket (see DeltaCache). */
class Connection implements SessionPeer {
  readonly ws: WebSocket;
  readonly session: EngineSession;
  readonly delta = new DeltaCache();
  readonly #listApps: () => LoadedApp[];
  readonly #exports: ExportStore;

  constructor(ws: WebSocket, session: EngineSession, listApps: () => LoadedApp[], exports: ExportStore) {
    this.ws = ws;
    this.session = session;
    this.#listApps = listApps;
    this.#exports = exports;
  }

  push(message: JsonObject): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  receive(data: RawData): void {
    let message: unknown;
    try {
      message = JSON.parse(rawText(data));
    } catch (err) {
      this.push({ jsonrpc: '2.0', id: null, error: new QixError(ErrorCode.JSON_RPC_PARSE_ERROR, `Parse error: ${(err as Error).message}`).toJSON() });
      return;
    }
    const response: JsonObject = { jsonrpc: '2.0' };
    let id: unknown = isRecord(message) ? message.id : undefined;
    try {
      const request = readRequest(message);
      id = request.id;
      const result = invoke(
        { session: this.session, handle: request.handle, listApps: this.#listApps, storeExport: (file, serveOnce) => this.#exports.put(this.session.user.id, file, serveOnce) },
        request.method,
        request.params,
      );
      if (request.delta) {
        response.delta = true;
        response.result = this.delta.encode(request.handle, request.method, result);
      } else {
        response.result = result;
      }
    } catch (err) {
      response.error = err instanceof QixError ? err.toJSON() : new QixError(ErrorCode.JSON_RPC_INTERNAL_ERROR, `Internal error: ${(err as Error).message}`).toJSON();
    }
    const { change, close } = this.#flush();
    if (change.length) response.change = change;
    if (close.length) response.close = close;
    const hasId = typeof id === 'number' || typeof id === 'string';
    if (hasId) this.push({ ...response, id });
    else if (response.error) this.push({ ...response, id: null });
    else if (change.length || close.length) this.push({ jsonrpc: '2.0', ...(change.length ? { change } : {}), ...(close.length ? { close } : {}) });
  }

  /** Takes the session's pending change/close handles and tells the session's other sockets. */
  #flush(): { change: number[]; close: number[] } {
    const change = [...this.session.pendingChanges];
    const close = [...this.session.pendingCloses];
    this.session.pendingChanges.clear();
    this.session.pendingCloses.clear();
    for (const peer of this.session.peers) {
      if (peer instanceof Connection) for (const h of close) peer.delta.forget(h);
      if (peer !== this && (change.length || close.length)) {
        peer.push({ jsonrpc: '2.0', ...(change.length ? { change } : {}), ...(close.length ? { close } : {}) });
      }
    }
    return { change, close };
  }
}

export function createEngine(options: EngineOptions): Engine {
  const apps = new Map<string, LoadedApp>();
  for (const def of options.apps ?? [createSalesApp()]) apps.set(def.id, new LoadedApp(def));
  const defaultTtl = options.sessionTtlMs ?? 30_000;
  const canAccess = (user: EngineUser, appId: string): boolean => options.canAccessApp?.(user, appId) ?? true;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024, clientTracking: false });
  const sessions = new Map<string, EngineSession>();
  const sockets = new Set<WebSocket>();
  const exports = new ExportStore();
  let upgrades = 0;
  let refusedUpgrades = 0;
  let closed = false;

  function expire(session: EngineSession): void {
    if (session.peers.size > 0) return;
    clearTimeout(session.expiry);
    if (session.ttlMs <= 0) {
      sessions.delete(session.key);
      return;
    }
    session.expiry = setTimeout(() => {
      if (session.peers.size === 0 && sessions.get(session.key) === session) sessions.delete(session.key);
    }, session.ttlMs);
    session.expiry.unref();
  }

  function serve(ws: WebSocket, user: EngineUser, route: Route): void {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', () => ws.terminate());
    const app = apps.get(route.appId);
    if (!app) {
      refusedUpgrades += 1;
      ws.close(CloseCode.APP_NOT_FOUND, `App not found: ${route.appId}`.slice(0, 120));
      return;
    }
    if (!canAccess(user, app.id)) {
      refusedUpgrades += 1;
      ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'OnConnected', params: { qSessionState: 'SESSION_ERROR_APP_ACCESS_DENIED' } }));
      ws.close(CloseCode.NO_PERMISSION, `No permission: ${user.name} may not open app ${app.id}`.slice(0, 120));
      return;
    }
    upgrades += 1;
    const key = `${user.id}\u0000${app.id}\u0000${route.identity}`;
    let session = sessions.get(key);
    const attached = session !== undefined;
    if (session) {
      clearTimeout(session.expiry);
      session.expiry = undefined;
      if (route.ttlMs !== undefined) session.ttlMs = route.ttlMs;
    } else {
      session = new EngineSession(key, app, user, route.identity, route.ttlMs ?? defaultTtl);
      sessions.set(key, session);
    }
    const connection = new Connection(ws, session, () => [...apps.values()].filter((a) => canAccess(user, a.id)), exports);
    session.peers.add(connection);
    // Sent before any request is read; enigma.js may send requests without waiting for it.
    connection.push({ jsonrpc: '2.0', method: 'OnConnected', params: { qSessionState: attached ? 'SESSION_ATTACHED' : 'SESSION_CREATED' } });
    ws.on('message', (data) => {
      try {
        connection.receive(data);
      } catch {
        // receive() answers every error itself; nothing may escape into the socket's emitter.
      }
    });
    ws.on('close', () => {
      const s = connection.session;
      s.peers.delete(connection);
      if (!closed) expire(s);
    });
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL, route: Route): Promise<void> {
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      refusedUpgrades += 1;
      refuse(socket, 400, 'ENGINE-BAD-UPGRADE', 'The engine only accepts websocket upgrades.');
      return;
    }
    const query = url.searchParams.get('accessToken') ?? undefined;
    const header = query === undefined ? bearer(req) : undefined;
    const check = await options.verifyToken(query ?? header, header === undefined ? 'query' : 'bearer');
    if (!check.ok) {
      refusedUpgrades += 1;
      refuse(socket, check.status, 'ENGINE-TOKEN', check.reason);
      return;
    }
    const origin = req.headers.origin;
    if (!options.isOriginTrusted(origin)) {
      refusedUpgrades += 1;
      refuse(
        socket,
        403,
        'ENGINE-ORIGIN',
        `The origin ${origin ? `"${origin}"` : '(none)'} is not trusted by this tenant. Add it to the tenant's allowlist of trusted origins (web integration / CSP origins) and reconnect.`,
      );
      return;
    }
    if (closed || socket.destroyed) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, check.user, route));
  }

  return {
    handleUpgrade(req, socket, head) {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://engine.invalid');
      } catch {
        return false;
      }
      const route = parseRoute(url.pathname);
      if (route === null) return false;
      socket.on('error', () => socket.destroy());
      if (closed) {
        refuse(socket, 503, 'ENGINE-CLOSED', 'The engine is shutting down.');
        return true;
      }
      if (route === 'invalid') {
        refusedUpgrades += 1;
        refuse(socket, 404, 'ENGINE-BAD-PATH', `Not an engine path: ${url.pathname}. Use /app/{appId}[/identity/{id}][/ttl/{seconds}].`);
        return true;
      }
      upgrade(req, socket, head, url, route).catch((err: unknown) => {
        refusedUpgrades += 1;
        refuse(socket, 500, 'ENGINE-ERROR', `Could not check the connection: ${(err as Error).message}`);
      });
      return true;
    },
    get stats() {
      return {
        upgrades,
        refusedUpgrades,
        openDocs: [...sessions.values()].filter((s) => s.docOpen).length,
        openSockets: sockets.size,
      };
    },
    exports,
    dropAll() {
      for (const ws of sockets) ws.terminate();
    },
    async close() {
      closed = true;
      for (const ws of sockets) ws.terminate();
      for (const session of sessions.values()) clearTimeout(session.expiry);
      sessions.clear();
      exports.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
