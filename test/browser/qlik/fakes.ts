/**
 * Fakes for the Qlik layer's seams: an AuthSource, a token endpoint (`fetch`), and an engine
 * behind `createSocket` that speaks enough QIX JSON-RPC for the real enigma.js.
 */
import type { AuthSnapshot, AuthSource, AuthStatus } from '../../../src/auth/source.ts';
import type { Emitter } from '../../../src/qlik/emitter.ts';
import type { WebSocketLike } from '../../../src/qlik/lazy-socket.ts';
import type { GenericObjectLayout, NxAppLayout, NxDataPage, NxInfo, NxPage } from '../../../src/qlik/qix-types.ts';

export class FakeAuth implements AuthSource {
  status: AuthStatus = 'signed-in';
  host = 'https://tenant.example.com';
  clientId = 'client-1';
  redirectUri = 'https://app.example.com/callback';
  accessToken = 'access-1';
  /** Every getAccessToken call, with its options. */
  tokenCalls: { forceRefresh?: boolean }[] = [];
  /** When set, the next call "refreshes": the token changes first. */
  expired = false;
  readonly #listeners = new Set<(snapshot: AuthSnapshot) => void>();

  async getAccessToken(options: { forceRefresh?: boolean } = {}): Promise<string> {
    this.tokenCalls.push(options);
    if (this.status !== 'signed-in') throw new Error('not signed in');
    if (options.forceRefresh || this.expired) {
      this.expired = false;
      this.accessToken = `access-${Number(this.accessToken.split('-')[1]) + 1}`;
    }
    return this.accessToken;
  }

  subscribe(listener: (snapshot: AuthSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  setStatus(status: AuthStatus): void {
    this.status = status;
    for (const listener of [...this.#listeners]) listener({ status });
  }
}

export interface RecordedRequest {
  url: string;
  init: RequestInit;
  body: Record<string, unknown>;
}

/** A token endpoint. `respond` decides each answer; the default issues `ws-N` for 300 s. */
export class FakeTokenEndpoint {
  requests: RecordedRequest[] = [];
  issued = 0;
  delayMs = 0;
  respond: (request: RecordedRequest, index: number) => Response | Promise<Response> = () => this.ok();

  /** `null` leaves `expires_in` out. */
  ok(expiresIn: number | null = 300): Response {
    this.issued += 1;
    const body: Record<string, unknown> = {
      access_token: `ws-${this.issued}`,
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer',
    };
    if (expiresIn !== null) body.expires_in = expiresIn;
    return Response.json(body);
  }

  fetch: typeof fetch = async (input, init = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const request: RecordedRequest = { url, init, body: JSON.parse(String(init.body)) as Record<string, unknown> };
    this.requests.push(request);
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return this.respond(request, this.requests.length - 1);
  };
}

type LayoutSource = GenericObjectLayout | (() => GenericObjectLayout);

interface RpcRequest {
  id: number;
  handle: number;
  method: string;
  params: unknown[] | Record<string, unknown>;
}

/** One socket of the fake engine. */
export class FakeSocket implements WebSocketLike {
  readyState: number = WebSocket.CONNECTING;
  onopen: WebSocket['onopen'] = null;
  onclose: WebSocket['onclose'] = null;
  onerror: WebSocket['onerror'] = null;
  onmessage: WebSocket['onmessage'] = null;
  readonly url: string;
  readonly engine: FakeEngine;
  sent: RpcRequest[] = [];

  constructor(engine: FakeEngine, url: string) {
    this.engine = engine;
    this.url = url;
  }

  send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
    const request = JSON.parse(String(data)) as RpcRequest;
    this.sent.push(request);
    this.engine.handle(this, request);
  }

  close(code = 1000, reason = ''): void {
    this.serverClose(code, reason);
  }

  /** The engine ends the connection with a close frame. */
  serverClose(code: number, reason = ''): void {
    if (this.readyState === WebSocket.CLOSED || this.readyState === WebSocket.CLOSING) return;
    this.readyState = WebSocket.CLOSING;
    setTimeout(() => {
      this.readyState = WebSocket.CLOSED;
      this.onclose?.call(this as unknown as WebSocket, new CloseEvent('close', { code, reason, wasClean: code !== 1006 }));
    });
  }

  /** The upgrade is refused: the browser only sees error + 1006. */
  refuse(): void {
    this.readyState = WebSocket.CLOSED;
    this.onerror?.call(this as unknown as WebSocket, new Event('error'));
    this.onclose?.call(this as unknown as WebSocket, new CloseEvent('close', { code: 1006, reason: '', wasClean: false }));
  }

  accept(): void {
    this.readyState = WebSocket.OPEN;
    this.onopen?.call(this as unknown as WebSocket, new Event('open'));
  }

  push(message: unknown): void {
    if (this.readyState !== WebSocket.OPEN) return;
    this.onmessage?.call(this as unknown as WebSocket, new MessageEvent('message', { data: JSON.stringify(message) }));
  }
}

export interface FakeApp {
  layout: NxAppLayout;
  objects: Record<string, LayoutSource>;
  /** Rows for GetHyperCubeData / GetListObjectData by object id; defaults to the layout's first page. */
  pages?: Record<string, (page: NxPage) => NxDataPage>;
}

/**
 * An engine behind `createSocket`. Engine sessions are keyed by URL path, so a reconnect to
 * the same path attaches (`SESSION_ATTACHED`) as the real engine does within its TTL.
 */
export class FakeEngine {
  apps = new Map<string, FakeApp>();
  sockets: FakeSocket[] = [];
  /** OpenDoc requests received, across sockets. */
  openDocs = 0;
  calls: { method: string; handle: number; params: unknown[] }[] = [];
  /** Answer `CreateSessionObject` for `CurrentSelections`, as real engines do. */
  supportsCurrentSelections = false;
  /** Decides what happens to a new socket. Default: accept. */
  onConnect: (socket: FakeSocket) => void = (socket) => socket.accept();
  readonly #sessions = new Set<string>();
  #handles = new Map<string, Map<number, string>>();
  #nextHandle = 10;

  createSocket = (url: string): WebSocketLike => {
    const socket = new FakeSocket(this, url);
    this.sockets.push(socket);
    setTimeout(() => {
      this.onConnect(socket);
      if (socket.readyState !== WebSocket.OPEN) return;
      const path = new URL(url).pathname;
      const state = this.#sessions.has(path) ? 'SESSION_ATTACHED' : 'SESSION_CREATED';
      this.#sessions.add(path);
      socket.push({ jsonrpc: '2.0', method: 'OnConnected', params: { qSessionState: state } });
    });
    return socket;
  };

  /** Sockets not yet fully closed (open or closing). */
  get openSockets(): number {
    return this.sockets.filter((socket) => socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CLOSING).length;
  }

  /** Forget engine sessions, as an engine restart would. */
  forgetSessions(): void {
    this.#sessions.clear();
  }

  /** Tell every socket that these objects changed (all objects when omitted). */
  notifyChanged(objectIds?: string[]): void {
    for (const socket of this.sockets) {
      const handles = this.#handles.get(new URL(socket.url).pathname);
      if (!handles) continue;
      const change = [...handles].filter(([, id]) => !objectIds || objectIds.includes(id)).map(([handle]) => handle);
      socket.push({ jsonrpc: '2.0', change: [1, ...change] });
    }
  }

  handle(socket: FakeSocket, request: RpcRequest): void {
    const params = Array.isArray(request.params) ? request.params : Object.values(request.params);
    this.calls.push({ method: request.method, handle: request.handle, params });
    const path = new URL(socket.url).pathname;
    const appId = decodeURIComponent(path.split('/')[2] ?? '');
    const app = this.apps.get(appId);
    let handles = this.#handles.get(path);
    if (!handles) this.#handles.set(path, (handles = new Map()));
    const reply = (result: unknown): void => {
      setTimeout(() => socket.push({ jsonrpc: '2.0', id: request.id, result }));
    };
    const fail = (code: number, message: string): void => {
      setTimeout(() => socket.push({ jsonrpc: '2.0', id: request.id, error: { code, parameter: '', message } }));
    };
    const doc = { qType: 'Doc', qHandle: 1, qGenericId: appId };

    if (request.handle === -1) {
      if (request.method === 'OpenDoc') {
        this.openDocs += 1;
        return app ? reply({ qReturn: doc }) : fail(1002, 'App not found');
      }
      if (request.method === 'GetActiveDoc') return app ? reply({ qReturn: doc }) : fail(1007, 'No active document');
      if (request.method === 'EngineVersion') return reply({ qVersion: { qComponentVersion: 'fake' } });
      return fail(-32601, 'Method not found');
    }
    if (!app) return fail(-32602, 'Invalid handle');
    if (request.handle === 1) {
      switch (request.method) {
        case 'GetAppLayout':
          return reply({ qLayout: app.layout });
        case 'GetAllInfos':
          return reply({ qInfos: Object.entries(app.objects).map(([id, source]): NxInfo => ({ qId: id, qType: layoutOf(source).qInfo.qType })) });
        case 'GetObject': {
          const id = String(params[0]);
          const source = app.objects[id];
          if (!source) return reply({ qReturn: { qType: null, qHandle: null } });
          const handle = this.#nextHandle++;
          handles.set(handle, id);
          return reply({ qReturn: { qType: 'GenericObject', qHandle: handle, qGenericId: id, qGenericType: layoutOf(source).qInfo.qType } });
        }
        case 'ClearAll':
          app.layout.qSelectionObject = { qSelections: [] };
          reply({});
          return this.notifyChanged();
        case 'CreateSessionObject': {
          const prop = params[0] as { qInfo: { qType: string } };
          if (!this.supportsCurrentSelections || prop.qInfo.qType !== 'CurrentSelections') return fail(-32601, 'Method not found');
          const id = `cs-${this.#nextHandle}`;
          app.objects[id] = () => ({ qInfo: { qId: id, qType: 'CurrentSelections' }, qSelectionObject: app.layout.qSelectionObject ?? { qSelections: [] } });
          const handle = this.#nextHandle++;
          handles.set(handle, id);
          return reply({ qReturn: { qType: 'GenericObject', qHandle: handle, qGenericId: id, qGenericType: 'CurrentSelections' } });
        }
        case 'DestroySessionObject':
          return reply({ qSuccess: true });
        case 'GetField': {
          const handle = this.#nextHandle++;
          handles.set(handle, `field:${String(params[0])}`);
          return reply({ qReturn: { qType: 'Field', qHandle: handle, qGenericId: '' } });
        }
        default:
          return fail(-32601, 'Method not found');
      }
    }
    const objectId = handles.get(request.handle);
    if (objectId === undefined) return fail(-32602, 'Invalid handle');
    if (objectId.startsWith('field:')) {
      const field = objectId.slice('field:'.length);
      const selection = app.layout.qSelectionObject;
      if (selection) selection.qSelections = selection.qSelections.filter((item) => item.qField !== field);
      reply({ qReturn: true });
      return this.notifyChanged();
    }
    const source = app.objects[objectId];
    if (!source) return fail(-32602, 'Invalid handle');
    switch (request.method) {
      case 'GetLayout':
        return reply({ qLayout: layoutOf(source) });
      case 'GetHyperCubeData':
      case 'GetListObjectData': {
        const pages = params[1] as NxPage[];
        const make = app.pages?.[objectId];
        const layout = layoutOf(source);
        const firstPage = (layout.qHyperCube?.qDataPages ?? layout.qListObject?.qDataPages ?? [])[0];
        return reply({ qDataPages: pages.map((page) => make?.(page) ?? firstPage ?? { qArea: page, qMatrix: [] }) });
      }
      case 'SelectHyperCubeValues':
      case 'SelectListObjectValues':
      case 'SearchListObjectFor':
        reply({ qSuccess: true });
        return this.notifyChanged();
      case 'AcceptListObjectSearch':
      case 'AbortListObjectSearch':
      case 'ClearSelections':
        reply({});
        return this.notifyChanged();
      default:
        return fail(-32601, 'Method not found');
    }
  }
}

function layoutOf(source: LayoutSource): GenericObjectLayout {
  return typeof source === 'function' ? source() : source;
}

/** Loads the real enigma.js the way the pool's default loader does in an unbundled browser. */
export async function loadRealEnigma(): Promise<{ create: (config: never) => never }> {
  await import('enigma.js');
  return (globalThis as unknown as { enigma: { create: (config: never) => never } }).enigma;
}

/** The next `type` event of an emitter (a pooled session or the pool). */
export function nextEvent<E extends object, K extends keyof E>(
  emitter: Emitter<E>,
  type: K,
  timeoutMs = 5000,
): Promise<E[K]> {
  return new Promise<E[K]>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${String(type)}`));
    }, timeoutMs);
    const off = emitter.on(type, (detail) => {
      clearTimeout(timer);
      off();
      resolve(detail);
    });
  });
}

/** `array[index]`, failing the test when it is missing. */
export function at<T>(array: readonly T[], index: number): T {
  const value = array[index];
  if (value === undefined) throw new Error(`nothing at index ${index}`);
  return value;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
