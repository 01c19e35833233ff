/**
 * A backend token endpoint for sites whose users never sign in to Qlik: the site's own session
 * says who the user is, and this handler obtains a Qlik access token for them with the
 * `urn:qlik:oauth:user-impersonation` grant. The client secret stays on the server: it never
 * reaches a response, a log line or an error message.
 *
 * ```ts
 * const handler = createImpersonationTokenHandler({
 *   host: 'your-tenant.eu.qlikcloud.com',
 *   clientId: process.env.QLIK_CLIENT_ID,
 *   clientSecret: process.env.QLIK_CLIENT_SECRET,
 *   resolveUser: (req) => (req.session?.user ? { field: 'subject', value: req.session.user.sub } : null),
 * });
 * http.createServer((req, res) => (req.url === '/access-token' ? handler(req, res) : …));
 * app.post('/access-token', handler); // Express or Connect, as is
 * ```
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ImpersonationError } from './errors.ts';
import { createSecretGuard } from './redact.ts';
import type { TokenCache } from './token-cache.ts';
import { TokenBroker, type ImpersonationStats } from './token-broker.ts';
import { realClock, type Clock, type UpstreamConfig, type UserLookup } from './upstream.ts';

export interface ImpersonationHandlerOptions {
  /** Tenant, e.g. `your-tenant.eu.qlikcloud.com` or a full origin. */
  host: string;
  clientId: string;
  clientSecret: string;
  /** Who is signed in to *your* site, from your own session; `null` answers 401. */
  resolveUser(req: IncomingMessage): UserLookup | null | undefined | Promise<UserLookup | null | undefined>;
  /** Default `user_default`. */
  scope?: string;
  /**
   * Other origins allowed to call the handler (exact `Origin` values, e.g. `https://app.example.com`);
   * they get CORS headers with credentials. The handler's own origin, from the Host header, is
   * always allowed (set `trustProxyHeaders` behind a proxy that rewrites Host). Default: none.
   */
  allowedOrigins?: readonly string[];
  /** Read `X-Forwarded-Host`/`X-Forwarded-Proto` for the same-origin check. */
  trustProxyHeaders?: boolean;
  /**
   * Where tokens are kept. Default: an in-process LRU of `maxCachedUsers`. With several
   * instances, `redisTokenCache(client, { encryptionKey })` shares them (see `TokenCache`).
   */
  cache?: TokenCache;
  /** Most users whose tokens are cached in this process at once; the least recently used go first. Default 1000. */
  maxCachedUsers?: number;
  /**
   * Seconds before expiry at which a cached token is no longer handed out. Default 60, and at
   * most half the token's lifetime, so that a short-lived token is still reused.
   */
  expirySkewSeconds?: number;
  /** Hard limit of one upstream call, whether or not `fetch` honours its abort signal. Default 10 s. */
  timeoutMs?: number;
  /** Hard limit of a whole request (lock waits and a 429 retry included); past it, 504. Default 30 s. */
  requestTimeoutMs?: number;
  /** While a shared `cache` fails, how often it is tried again. Default 5 s. */
  cacheRetryMs?: number;
  /**
   * A request with the header `x-embed-kit-refresh: 1` (sent by the browser after the engine
   * refused its token) fetches a new token, at most once per user per this many seconds. Default 30.
   */
  refreshIntervalSeconds?: number;
  /**
   * Every failure, with the tenant's parsed error code and description (the secret, in any
   * spelling, withheld). Also told about refused requests, a clamped `expires_in` and a shared
   * cache that went down. `req` is absent for `evict`/`revoke`.
   */
  onError?(error: ImpersonationError, req?: IncomingMessage): void;
  /** Put the tenant's whole answer on `error.upstreamBody` (untrusted text). Default false. */
  exposeUpstreamBody?: boolean;
  /** Replaces the global `fetch` for the upstream calls (tests, proxies, instrumentation). */
  fetch?: typeof fetch;
  /** Time seam for tests: `now()` and `sleep(ms)` (the 429 wait). */
  clock?: Clock;
}

/** A Node request handler; `next` is accepted (Express, Connect) and never called: every request is answered. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

/** The handler, plus what a site does outside a request. */
export interface ImpersonationTokenHandler extends NodeHandler {
  /** Removes the user's cached token on every instance sharing the cache. Rejects with `cache_unavailable` when the shared cache cannot be reached. */
  evict(user: UserLookup): Promise<void>;
  /**
   * `evict`, then revokes the token at the tenant (`/oauth/revoke`), so that no copy still works.
   * Call it when the user's session on your site ends. Resolves true when there was a token.
   * Rejects with `cache_unavailable` when the shared cache cannot be reached: the token this
   * instance held is revoked all the same, but the shared copy (perhaps another token) is still
   * handed out until it expires, so call it again once the cache is back.
   */
  revoke(user: UserLookup): Promise<boolean>;
  stats(): ImpersonationStats;
}

/** The header a browser sets after an engine 401, asking for a fresh token. */
export const REFRESH_HEADER = 'x-embed-kit-refresh';

export function createImpersonationTokenHandler(options: ImpersonationHandlerOptions): ImpersonationTokenHandler {
  if (typeof options !== 'object' || options === null) throw new TypeError('createImpersonationTokenHandler: an options object is required.');
  for (const key of ['host', 'clientId', 'clientSecret'] as const) {
    if (typeof options[key] !== 'string' || !options[key]) throw new TypeError(`createImpersonationTokenHandler: \`${key}\` is required.`);
  }
  if (typeof options.resolveUser !== 'function') throw new TypeError('createImpersonationTokenHandler: `resolveUser(req)` is required.');
  const maxUsers = options.maxCachedUsers ?? 1000;
  if (!Number.isSafeInteger(maxUsers) || maxUsers < 0) throw new TypeError(`createImpersonationTokenHandler: \`maxCachedUsers\` must be a whole number >= 0, not ${String(maxUsers)}.`);
  for (const key of ['timeoutMs', 'requestTimeoutMs', 'cacheRetryMs', 'refreshIntervalSeconds', 'expirySkewSeconds'] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) throw new TypeError(`createImpersonationTokenHandler: \`${key}\` must be a number >= 0, not ${String(value)}.`);
  }
  const base = /^https?:\/\//i.test(options.host) ? options.host : `https://${options.host}`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const scope = options.scope ?? 'user_default';
  const guard = createSecretGuard(options.clientSecret);
  const upstream: UpstreamConfig = {
    tokenUrl: new URL('/oauth/token', base).href,
    revokeUrl: new URL('/oauth/revoke', base).href,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    scope,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    timeoutMs,
    exposeUpstreamBody: options.exposeUpstreamBody === true,
    guard,
    clock: options.clock ?? realClock,
  };
  const allowed: ReadonlySet<string> | undefined = options.allowedOrigins ? new Set(options.allowedOrigins) : undefined;
  let errors = 0;

  function report(error: ImpersonationError, req: IncomingMessage | undefined): void {
    errors += 1;
    try {
      options.onError?.(error, req);
    } catch {
      // A failing log hook must not take the response (or the process) down with it.
    }
  }

  const tenant = new URL(base).origin;
  const broker = new TokenBroker({
    shared: options.cache,
    maxCachedUsers: maxUsers,
    upstream,
    skewMs: (options.expirySkewSeconds ?? 60) * 1000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    cacheRetryMs: options.cacheRetryMs ?? 5000,
    refreshIntervalMs: (options.refreshIntervalSeconds ?? 30) * 1000,
    keyFor: (user) => JSON.stringify([tenant, options.clientId, scope, user.field, user.value]),
    quietKey: JSON.stringify([tenant, options.clientId]),
    report,
  });

  /** The handler's own origin, as the browser sees it. */
  function ownOrigin(req: IncomingMessage): string | undefined {
    const forwardedHost = options.trustProxyHeaders ? firstHeader(req.headers['x-forwarded-host']) : undefined;
    const forwardedProto = options.trustProxyHeaders ? firstHeader(req.headers['x-forwarded-proto']) : undefined;
    const host = forwardedHost ?? req.headers.host;
    const proto = forwardedProto ?? ('encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http');
    return host === undefined ? undefined : `${proto}://${host}`.toLowerCase();
  }

  /** `same`: no CORS needed; `cors`: an allowlisted other origin; `refused`. */
  function checkOrigin(req: IncomingMessage): 'same' | 'cors' | 'refused' {
    const origin = req.headers.origin;
    if (origin === undefined) {
      // Browsers send Origin on every POST; without one, Sec-Fetch-Site still tells cross-site
      // calls apart. Non-browser callers (no cookies to ride on) are not what this guards against.
      const site = req.headers['sec-fetch-site'];
      return site === undefined || site === 'same-origin' || site === 'none' ? 'same' : 'refused';
    }
    if (origin.toLowerCase() === ownOrigin(req)) return 'same';
    return allowed?.has(origin) ? 'cors' : 'refused';
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = checkOrigin(req);
    if (origin === 'cors') {
      res.setHeader('access-control-allow-origin', req.headers.origin ?? '');
      res.setHeader('access-control-allow-credentials', 'true');
    }
    res.setHeader('vary', 'Origin');
    try {
      if (req.method === 'OPTIONS' && origin === 'cors') {
        res.writeHead(204, {
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'content-type',
          'access-control-max-age': '600',
        });
        res.end();
        return;
      }
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        throw new ImpersonationError('method_not_allowed', 'use POST', 405, { detail: `${req.method ?? '(none)'} ${req.url ?? ''}` });
      }
      if (origin === 'refused') {
        throw new ImpersonationError('origin_not_allowed', 'this origin may not request tokens', 403, {
          detail: `Origin ${req.headers.origin ?? '(none)'}, Sec-Fetch-Site ${String(req.headers['sec-fetch-site'] ?? '(none)')}, own origin ${ownOrigin(req) ?? '(unknown)'}`,
        });
      }
      const user = checkLookup(await options.resolveUser(req));
      if (!user) throw new ImpersonationError('unauthenticated', 'not signed in', 401);
      const token = await broker.token(user, firstHeader(req.headers[REFRESH_HEADER]) === '1', req);
      send(res, 200, {
        access_token: token.accessToken,
        expires_in: Math.max(0, Math.floor((token.expiresAt - upstream.clock.now()) / 1000)),
      });
    } catch (error) {
      const typed =
        error instanceof ImpersonationError
          ? error
          : new ImpersonationError('internal_error', 'the token could not be issued', 500, {
              cause: error,
              detail: guard.scrub(error instanceof Error ? error.message : String(error)),
            });
      report(typed, req);
      if (typed.retryAfterSeconds !== undefined && !res.headersSent) res.setHeader('retry-after', String(typed.retryAfterSeconds));
      send(res, typed.status, { error: typed.code, message: typed.publicMessage });
    }
  }

  const handler: NodeHandler = (req, res) => {
    handle(req, res).catch(() => {
      // handle() answers every failure itself; this only guards a response that broke mid-write.
      if (!res.headersSent) res.destroy();
    });
  };
  /** Reported, then passed on to the caller. */
  const reported = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ImpersonationError) report(error, undefined);
      throw error;
    }
  };
  return Object.assign(handler, {
    evict: (user: UserLookup) => reported(() => broker.evict(requireLookup(user))),
    revoke: (user: UserLookup) => reported(() => broker.revoke(requireLookup(user))),
    stats: () => broker.stats(errors),
  });
}

/** resolveUser's answer, checked: a malformed lookup is the app's bug, not the user's. */
function checkLookup(value: UserLookup | null | undefined): UserLookup | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || (value.field !== 'subject' && value.field !== 'userId') || typeof value.value !== 'string' || value.value === '') {
    throw new TypeError('resolveUser must return {field: "subject" | "userId", value: "<non-empty string>"} or null');
  }
  return value;
}

function requireLookup(value: UserLookup): UserLookup {
  const user = checkLookup(value);
  if (!user) throw new TypeError('evict/revoke need the user: {field: "subject" | "userId", value: "<non-empty string>"}');
  return user;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first?.split(',')[0]?.trim() || undefined;
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    pragma: 'no-cache',
  });
  res.end(text);
}
