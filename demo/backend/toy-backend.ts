/**
 * The demo's toy backend (Node): a site with its own sign-in, as the sites that use impersonation
 * have. Its session is an HttpOnly, SameSite=Lax cookie; the Qlik token comes from the real
 * `createImpersonationTokenHandler`, with the user taken from that session. Mounted on vite's dev
 * server by `toyBackendPlugin()` (`npm start` and the backend journey do that).
 *
 * Routes, all under `/demo-backend/`:
 * - `GET  session`: `{ user, users, tenant }`, what the page needs to render (no token in it).
 * - `POST login` `{ "username": "alice" }`: starts a site session.
 * - `POST logout`: ends it, and revokes the user's Qlik token at the tenant (`handler.revoke`).
 * - `POST access-token`: the impersonation handler.
 *
 * A toy: no passwords, sessions in memory. Only the token endpoint is production code.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';
import { createImpersonationTokenHandler, type ImpersonationTokenHandler, type NodeHandler, type UserLookup } from '../../src/server/index.ts';
import { BACKEND_CLIENT_ID, BACKEND_CLIENT_SECRET, DEMO_CLIENT_ID } from '../../src/dev-tenant/clients.ts';
import { SAMPLE_APP_ID } from '../../src/dev-tenant/engine/sales-app.ts';

export const TOY_BACKEND_PREFIX = '/demo-backend';
export const TOY_SESSION_COOKIE = 'toy_session';

/** A user of the toy site, and who they are in the Qlik tenant. */
export interface ToyUser {
  username: string;
  name: string;
  /** How the tenant finds them (`user_lookup`). */
  lookup: UserLookup;
}

/** The toy site's own users; their subjects are the dev tenant's. */
export const TOY_USERS: readonly ToyUser[] = [
  { username: 'alice', name: 'Alice', lookup: { field: 'subject', value: 'auth0|alice' } },
  { username: 'bob', name: 'Bob', lookup: { field: 'subject', value: 'auth0|bob' } },
];

export interface ToyBackendOptions {
  /**
   * The Qlik tenant (the dev tenant's URL, or a real one), or a function that gives it once it is
   * known: a journey starts the page server before the tenant, which must trust the page's origin.
   */
  tenantUrl: string | (() => string);
  /** The confidential client allowed to impersonate. Default: the dev tenant's. */
  clientId?: string;
  clientSecret?: string;
  /** The public client the page sends with the websocket-token exchange. Default: the dev tenant's demo SPA. */
  spaClientId?: string;
  /** Default: the dev tenant's Sales app. */
  appId?: string;
  users?: readonly ToyUser[];
  /** Where the token handler's failures are written (already free of the secret). Default `console.warn`. */
  log?: (line: string) => void;
}

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

export interface ToyBackend {
  /** Connect-style middleware; anything outside `/demo-backend/` goes to `next`. */
  middleware: Middleware;
  /** Live site sessions (for tests). */
  readonly sessionCount: number;
  /** Ends every session, as a server restart would. */
  endAllSessions(): void;
}

export function createToyBackend(options: ToyBackendOptions): ToyBackend {
  const users = options.users ?? TOY_USERS;
  const sessions = new Map<string, ToyUser>();
  const log = options.log ?? ((line: string) => console.warn(line));
  const tenantUrl = (): string => (typeof options.tenantUrl === 'function' ? options.tenantUrl() : options.tenantUrl);
  const tenant = () => ({
    host: tenantUrl(),
    clientId: options.spaClientId ?? DEMO_CLIENT_ID,
    appId: options.appId ?? SAMPLE_APP_ID,
  });

  const sessionUser = (req: IncomingMessage): ToyUser | undefined => {
    const sid = readCookie(req, TOY_SESSION_COOKIE);
    return sid === undefined ? undefined : sessions.get(sid);
  };

  const createHandler = (host: string): ImpersonationTokenHandler =>
    createImpersonationTokenHandler({
      host,
      clientId: options.clientId ?? BACKEND_CLIENT_ID,
      clientSecret: options.clientSecret ?? BACKEND_CLIENT_SECRET,
      resolveUser: (req) => sessionUser(req)?.lookup ?? null,
      onError: (error) => {
        // "not signed in" is the normal answer for a visitor; everything else is worth a line.
        if (error.code !== 'unauthenticated') log(`[toy backend] access-token: ${error.code}: ${error.message}`);
      },
    });
  // One handler (and token cache) per tenant URL; made on first use, when the URL is known.
  let handler: { host: string; handle: ImpersonationTokenHandler } | undefined;
  const accessToken: NodeHandler = (req, res) => {
    const host = tenantUrl();
    if (handler?.host !== host) handler = { host, handle: createHandler(host) };
    handler.handle(req, res);
  };

  const middleware: Middleware = (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://toy.invalid');
    if (!url.pathname.startsWith(`${TOY_BACKEND_PREFIX}/`)) {
      next();
      return;
    }
    const route = url.pathname.slice(TOY_BACKEND_PREFIX.length + 1);
    if (route === 'access-token') {
      accessToken(req, res);
      return;
    }
    if (route === 'session' && req.method === 'GET') {
      const user = sessionUser(req);
      sendJson(res, 200, {
        user: user ? { username: user.username, name: user.name } : null,
        users: users.map(({ username, name }) => ({ username, name })),
        tenant: tenant(),
      });
      return;
    }
    if (route === 'login' || route === 'logout') {
      if (req.method !== 'POST') {
        sendJson(res, 405, { error: 'method_not_allowed', message: 'use POST' }, { allow: 'POST' });
        return;
      }
      if (!sameOrigin(req)) {
        sendJson(res, 403, { error: 'origin_not_allowed', message: 'cross-origin sign-in refused' });
        return;
      }
      if (route === 'logout') {
        const sid = readCookie(req, TOY_SESSION_COOKIE);
        const user = sid === undefined ? undefined : sessions.get(sid);
        if (sid !== undefined) sessions.delete(sid);
        const done = (): void => sendJson(res, 200, { user: null }, { 'set-cookie': `${TOY_SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0` });
        // The site session ended: no copy of the user's Qlik token may keep working.
        if (user && handler) handler.handle.revoke(user.lookup).then(done, done);
        else done();
        return;
      }
      readJson(req).then(
        (body) => {
          const user = users.find((candidate) => candidate.username === body.username);
          if (!user) {
            sendJson(res, 400, { error: 'unknown_user', message: 'no such user on this site' });
            return;
          }
          const sid = randomBytes(24).toString('base64url');
          sessions.set(sid, user);
          sendJson(res, 200, { user: { username: user.username, name: user.name } }, { 'set-cookie': `${TOY_SESSION_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Lax` });
        },
        () => sendJson(res, 400, { error: 'invalid_request', message: 'send {"username": "…"} as JSON' }),
      );
      return;
    }
    sendJson(res, 404, { error: 'not_found', message: `no route ${url.pathname}` });
  };

  return {
    middleware,
    get sessionCount() {
      return sessions.size;
    },
    endAllSessions: () => sessions.clear(),
  };
}

/** The toy backend as a vite plugin, on the dev server. */
export function toyBackendPlugin(options: ToyBackendOptions): Plugin {
  return {
    name: 'embed-kit-toy-backend',
    configureServer(server) {
      server.middlewares.use(createToyBackend(options).middleware);
    },
  };
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=') || undefined;
  }
  return undefined;
}

/** Browsers send Origin on every POST; the toy refuses sign-ins started by another site. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://${req.headers.host ?? ''}` || origin === `https://${req.headers.host ?? ''}`;
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > 10_000) req.destroy();
    });
    req.on('end', () => {
      try {
        const parsed: unknown = JSON.parse(text);
        if (typeof parsed === 'object' && parsed !== null) resolve(parsed as Record<string, unknown>);
        else reject(new Error('not an object'));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
