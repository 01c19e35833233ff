/**
 * The dev tenant: a local, offline stand-in for a Qlik Cloud tenant. One `node:http` server
 * carries the OAuth routes (oidc-provider), the REST API (`/api/v1/users/me`, `items`, `spaces`, `apps/{id}`), the login page and the engine
 * websocket (`/app/{appId}`).
 *
 * ```ts
 * const tenant = await startDevTenant({ port: 0 });
 * // … tenant.url is http://127.0.0.1:PORT
 * await tenant.close();
 * ```
 */
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type Provider from 'oidc-provider';
import { DEFAULT_CLIENTS, DEFAULT_TRUSTED_ORIGINS, type DevTenantClient } from './clients.ts';
import { createEngine, createSalesApp, type Engine, type SampleApp } from './engine/index.ts';
import { createEngineTokenCheck } from './engine-auth.ts';
import { handleInteraction, INTERACTION_PATH } from './interactions.ts';
import { renderIndexPage } from './login-page.ts';
import { createOAuthProvider } from './oauth.ts';
import { sendQlikError } from './qlik-errors.ts';
import { BodyError, isForm, isJson, jsonToForm, normalizeForm, readBody, replayRequest } from './request-body.ts';
import { TenantStore } from './store.ts';
import { DEFAULT_USERS, type DevTenantUser, UserDirectory } from './users.ts';
import { corsHeaders } from './users-api.ts';
import { handleRestApi, REST_PREFIX } from './rest-api.ts';
import { QLIK_EMBED_STAND_IN, QLIK_EMBED_STAND_IN_PATH } from './qlik-embed-stand-in.ts';
import { handleTempContent, TEMP_CONTENT_PREFIX } from './temp-content.ts';
import { WebSocketTokenStore, type ExchangePurpose } from './websocket-tokens.ts';

export * from './clients.ts';
export { DEFAULT_USERS, type DevTenantUser, type UserLookupField } from './users.ts';
export type { QlikErrorBody, QlikErrorEntry } from './qlik-errors.ts';
export type { QlikUser } from './users-api.ts';
export type { Engine, EngineStats, EngineUser } from './engine/index.ts';
export { SAMPLE_APP_ID, createSalesApp, type SampleApp } from './engine/index.ts';

export const DEFAULT_PORT = 8787;

export interface DevTenantOptions {
  /** 0 picks a free port. Default 0; the CLI defaults to 8787. */
  port?: number;
  /** Default `127.0.0.1`. */
  hostname?: string;
  /** Default: the demo SPA, the impersonating backend and a machine client (see `clients.ts`). */
  clients?: readonly DevTenantClient[];
  /** Default: alice, bob and eve (eve may open no app). */
  users?: readonly DevTenantUser[];
  /** Origins allowed CORS with credentials and engine websockets. Default: the vite demo on :5173. */
  trustedOrigins?: readonly string[];
  /** Seconds. Default 3600. Also the lifetime of client-credentials tokens. */
  accessTokenTtl?: number;
  /** Seconds an authorization code stays valid. Default 60. */
  codeTtl?: number;
  /** Seconds a token from the websocket exchange stays valid. Default 300. */
  websocketTokenTtl?: number;
  /** Seconds. Default one day. */
  refreshTokenTtl?: number;
  /** How long the engine keeps a session for a reconnect. Default: the engine's own. */
  engineSessionTtlMs?: number;
  /** `tenantId` in `/api/v1/users/me`. */
  tenantId?: string;
  /** The apps the engine serves and `/api/v1/items` lists. Default: the built-in Sales app. */
  apps?: readonly SampleApp[];
}

export interface DevTenantStats {
  /** Requests to `/oauth/token` by `grant_type` (refused ones included). */
  readonly tokenRequests: Record<string, number>;
  /** Successful exchanges with `purpose: "websocket"`. */
  websocketTokenExchanges: number;
  /** Requests to `/oauth/revoke`. */
  revocations: number;
  reset(): void;
}

export interface DevTenant {
  /** `http://127.0.0.1:PORT`, also the issuer. */
  readonly url: string;
  readonly stats: DevTenantStats;
  readonly engine: Engine;
  readonly users: readonly DevTenantUser[];
  readonly clients: readonly DevTenantClient[];
  close(): Promise<void>;
}

class Stats implements DevTenantStats {
  #tokenRequests: Record<string, number> = {};
  websocketTokenExchanges = 0;
  revocations = 0;

  get tokenRequests(): Record<string, number> {
    return this.#tokenRequests;
  }

  countTokenRequest(grantType: string): void {
    this.#tokenRequests[grantType] = (this.#tokenRequests[grantType] ?? 0) + 1;
  }

  reset(): void {
    this.#tokenRequests = {};
    this.websocketTokenExchanges = 0;
    this.revocations = 0;
  }
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError(`${name} must be a positive whole number of seconds, not ${value}`);
  return value;
}

function publicUrl(hostname: string, port: number): string {
  const host = hostname === '0.0.0.0' ? '127.0.0.1' : hostname === '::' ? '[::1]' : hostname.includes(':') ? `[${hostname}]` : hostname;
  return `http://${host}:${port}`;
}

/** Answers an upgrade request with a plain HTTP error and closes the socket once it is written. */
function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}

const TOKEN_PATH = '/oauth/token';
const REVOKE_PATH = '/oauth/revoke';

export async function startDevTenant(options: DevTenantOptions = {}): Promise<DevTenant> {
  const hostname = options.hostname ?? '127.0.0.1';
  const clients = options.clients ?? DEFAULT_CLIENTS;
  const userList = options.users ?? DEFAULT_USERS;
  const users = new UserDirectory(userList);
  const trustedOrigins: ReadonlySet<string> = new Set(options.trustedOrigins ?? DEFAULT_TRUSTED_ORIGINS);
  const accessTokenTtl = positive('accessTokenTtl', options.accessTokenTtl, 3600);
  const codeTtl = positive('codeTtl', options.codeTtl, 60);
  const websocketTokenTtl = positive('websocketTokenTtl', options.websocketTokenTtl, 300);
  const refreshTokenTtl = positive('refreshTokenTtl', options.refreshTokenTtl, 24 * 60 * 60);
  const tenantId = options.tenantId ?? 'embed-kit-dev-tenant';
  const apps = options.apps ?? [createSalesApp()];

  const stats = new Stats();
  const store = new TenantStore();
  const websocketTokens = new WebSocketTokenStore(websocketTokenTtl);

  // The issuer carries the port, so the server listens before oidc-provider exists; anything
  // arriving in between is asked to retry.
  const ready: { app?: { request(req: IncomingMessage, res: ServerResponse): void; upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void } } = {};
  const server = createServer((req, res) => {
    if (ready.app) ready.app.request(req, res);
    else sendQlikError(res, 503, 'starting', 'the dev tenant is starting; retry in a moment', { headers: { 'retry-after': '1' } });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (ready.app) ready.app.upgrade(req, socket, head);
    else refuseUpgrade(socket, 503, 'the dev tenant is starting; retry in a moment');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, hostname, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the dev tenant server has no TCP address');
  const url = publicUrl(hostname, address.port);

  let provider: Provider;
  let engine: Engine;
  try {
    provider = await createOAuthProvider({
      issuer: url,
      clients,
      users,
      trustedOrigins,
      store,
      websocketTokens,
      accessTokenTtl,
      codeTtl,
      refreshTokenTtl,
      onExchange: (purpose: ExchangePurpose) => {
        if (purpose === 'websocket') stats.websocketTokenExchanges += 1;
      },
    });

    engine = createEngine({
      verifyToken: createEngineTokenCheck({ provider, users, websocketTokens }),
      // Browsers always send Origin on a websocket; clients without one (Node, enigma.js in
      // tests, backends) are not subject to the browser's same-origin rules, as on Qlik Cloud.
      isOriginTrusted: (origin) => origin === undefined || trustedOrigins.has(origin),
      canAccessApp: (user, appId) => users.canAccessApp(user.id, appId),
      apps: [...apps],
      ...(options.engineSessionTtlMs === undefined ? {} : { sessionTtlMs: options.engineSessionTtlMs }),
    });
  } catch (err) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    throw err;
  }

  const oidc = provider.callback();
  const clientName = async (clientId: string): Promise<string> => {
    const client = await provider.Client.find(clientId);
    return client?.metadata().client_name ?? clientId;
  };

  /** Reads the body once, counts the request, and gives oidc-provider a form body. */
  async function asFormRequest(req: IncomingMessage, pathname: string): Promise<IncomingMessage> {
    const contentType = req.headers['content-type'];
    let form: URLSearchParams | undefined;
    try {
      const raw = await readBody(req);
      if (isJson(contentType)) form = jsonToForm(raw);
      else if (isForm(contentType) || (!contentType && raw.length === 0)) form = new URLSearchParams(raw.toString('utf8'));
      else throw new BodyError(400, `unsupported content-type ${contentType ?? '(none)'}: send application/json or application/x-www-form-urlencoded`);
    } finally {
      if (pathname === REVOKE_PATH) stats.revocations += 1;
      else stats.countTokenRequest(form?.get('grant_type') ?? '(none)');
    }
    return replayRequest(req, Buffer.from(normalizeForm(form).toString()), 'application/x-www-form-urlencoded');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { pathname } = new URL(req.url ?? '/', url);

    if (pathname.startsWith(TEMP_CONTENT_PREFIX)) {
      await handleTempContent(req, res, pathname, { provider, users, exports: engine.exports, trustedOrigins });
      return;
    }
    if (pathname.startsWith(REST_PREFIX)) {
      await handleRestApi(req, res, { provider, users, trustedOrigins, tenantId, url, apps });
      return;
    }
    const interactionUid = INTERACTION_PATH.exec(pathname)?.[1];
    if (interactionUid) {
      await handleInteraction(req, res, interactionUid, { provider, users, clientName });
      return;
    }
    if (pathname === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
      const html = renderIndexPage({ url, users: userList, clientIds: clients.map((c) => c.client_id) });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
      res.end(req.method === 'HEAD' ? undefined : html);
      return;
    }
    if (pathname === QLIK_EMBED_STAND_IN_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'access-control-allow-origin': '*', 'content-length': Buffer.byteLength(QLIK_EMBED_STAND_IN) });
      res.end(req.method === 'HEAD' ? undefined : QLIK_EMBED_STAND_IN);
      return;
    }
    if (req.method === 'POST' && (pathname === TOKEN_PATH || pathname === REVOKE_PATH)) {
      await oidc(await asFormRequest(req, pathname), res);
      return;
    }
    await oidc(req, res);
  }

  ready.app = {
    request(req, res) {
      handle(req, res).catch((err: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const headers = corsHeaders(req.headers.origin, trustedOrigins);
        if (err instanceof BodyError) {
          sendQlikError(res, err.status, err.status === 413 ? 'request_too_large' : 'invalid_request', err.message, { error: 'invalid_request', headers });
        } else {
          sendQlikError(res, 500, 'server_error', 'the dev tenant failed to handle this request', { error: 'server_error', headers });
          console.error('dev tenant:', err);
        }
      });
    },
    upgrade(req, socket, head) {
      let handled: boolean;
      try {
        handled = engine.handleUpgrade(req, socket, head);
      } catch (err) {
        console.error('dev tenant: engine upgrade failed:', err);
        refuseUpgrade(socket, 500, 'the engine failed to handle this upgrade');
        return;
      }
      if (!handled) refuseUpgrade(socket, 404, `no websocket endpoint at ${req.url ?? ''}; the engine is at /app/{appId}`);
    },
  };

  let closing: Promise<void> | undefined;
  return {
    url,
    stats,
    engine,
    users: userList,
    clients,
    close() {
      closing ??= (async () => {
        await engine.close();
        await new Promise<void>((resolve, reject) => {
          server.close((err) => (err ? reject(err) : resolve()));
          server.closeAllConnections();
        });
        websocketTokens.clear();
        store.clear();
      })();
      return closing;
    },
  };
}
