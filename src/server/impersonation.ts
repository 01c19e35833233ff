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

/** `user_lookup` of the impersonation grant: how the tenant finds the user. */
export interface UserLookup {
  field: 'subject' | 'userId';
  value: string;
}

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
  /** Most users whose tokens are cached at once; the least recently used go first. Default 1000. */
  maxCachedUsers?: number;
  /**
   * Seconds before expiry at which a cached token is no longer handed out. Default 60, and at
   * most half the token's lifetime, so that a short-lived token is still reused.
   */
  expirySkewSeconds?: number;
  /** Upstream timeout. Default 10 s. */
  timeoutMs?: number;
  /**
   * Every failure in full, upstream body included (the secret is redacted). Also told about
   * refused requests (no session, wrong origin, wrong method), so it can count them.
   */
  onError?(error: ImpersonationError, req: IncomingMessage): void;
  /** Replaces the global `fetch` for the upstream call (tests, proxies, instrumentation). */
  fetch?: typeof fetch;
}

/**
 * Stable codes the browser receives in `{ error, message }`:
 * `method_not_allowed` 405, `origin_not_allowed` 403, `unauthenticated` 401,
 * `user_not_found` 403, `client_not_authorized` 502, `client_misconfigured` 502,
 * `upstream_failed` 502, `upstream_unreachable` 502, `upstream_timeout` 504,
 * `upstream_invalid_response` 502, `internal_error` 500.
 */
export type ImpersonationErrorCode =
  | 'method_not_allowed'
  | 'origin_not_allowed'
  | 'unauthenticated'
  | 'user_not_found'
  | 'client_not_authorized'
  | 'client_misconfigured'
  | 'upstream_failed'
  | 'upstream_unreachable'
  | 'upstream_timeout'
  | 'upstream_invalid_response'
  | 'internal_error';

/** A failure with a message that is safe to show to the browser, and the detail for your logs. */
export class ImpersonationError extends Error {
  /** HTTP status of the tenant's answer, when there was one. */
  readonly upstreamStatus: number | undefined;
  /** The tenant's error code (`OAUTH-14`, `invalid_grant`…), when it sent one. */
  readonly upstreamCode: string | undefined;

  constructor(
    readonly code: ImpersonationErrorCode,
    /** What the browser is told. */
    readonly publicMessage: string,
    /** HTTP status for the browser. */
    readonly status: number,
    options: { cause?: unknown; detail?: string; upstreamStatus?: number; upstreamCode?: string } = {},
  ) {
    super(options.detail ? `${publicMessage}: ${options.detail}` : publicMessage, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ImpersonationError';
    this.upstreamStatus = options.upstreamStatus;
    this.upstreamCode = options.upstreamCode;
  }
}

interface CachedToken {
  accessToken: string;
  expiresAt: number;
  /** After this, the token is fetched again rather than handed out. */
  reuseUntil: number;
}

/** A Node request handler; `next` is accepted (Express, Connect) and never called: every request is answered. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

export const IMPERSONATION_GRANT = 'urn:qlik:oauth:user-impersonation';

/** Lifetime assumed when the tenant leaves out `expires_in`. */
const DEFAULT_EXPIRES_IN = 300;

export function createImpersonationTokenHandler(options: ImpersonationHandlerOptions): NodeHandler {
  if (typeof options !== 'object' || options === null) throw new TypeError('createImpersonationTokenHandler: an options object is required.');
  for (const key of ['host', 'clientId', 'clientSecret'] as const) {
    if (typeof options[key] !== 'string' || !options[key]) throw new TypeError(`createImpersonationTokenHandler: \`${key}\` is required.`);
  }
  if (typeof options.resolveUser !== 'function') throw new TypeError('createImpersonationTokenHandler: `resolveUser(req)` is required.');
  const maxUsers = options.maxCachedUsers ?? 1000;
  if (!Number.isSafeInteger(maxUsers) || maxUsers < 0) throw new TypeError(`createImpersonationTokenHandler: \`maxCachedUsers\` must be a whole number >= 0, not ${String(maxUsers)}.`);
  const tokenUrl = new URL('/oauth/token', /^https?:\/\//i.test(options.host) ? options.host : `https://${options.host}`).href;
  const skewMs = (options.expirySkewSeconds ?? 60) * 1000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? fetch;
  const secret = options.clientSecret;
  const allowed: ReadonlySet<string> | undefined = options.allowedOrigins ? new Set(options.allowedOrigins) : undefined;
  // Every spelling in which the secret could come back in a message: raw, JSON-escaped, URL-encoded.
  const spellings = [...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])].filter((s) => s.length > 0);

  // A Map iterates in insertion order, so re-inserting on use makes it an LRU.
  const cache = new Map<string, CachedToken>();
  const inflight = new Map<string, Promise<CachedToken>>();

  /** Belt and braces: whatever an upstream or a library put in a message, the secret goes. */
  const redact = (text: string): string => spellings.reduce((out, spelling) => out.split(spelling).join('[redacted]'), text);

  async function fetchToken(user: UserLookup): Promise<CachedToken> {
    const startedAt = Date.now();
    let response: Response;
    let text: string;
    try {
      response = await doFetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          client_id: options.clientId,
          client_secret: secret,
          grant_type: IMPERSONATION_GRANT,
          user_lookup: { field: user.field, value: user.value },
          scope: options.scope ?? 'user_default',
        }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new ImpersonationError(
        timedOut ? 'upstream_timeout' : 'upstream_unreachable',
        'the analytics tenant could not be reached',
        timedOut ? 504 : 502,
        { detail: redact(`${tokenUrl}: ${error instanceof Error ? error.message : String(error)}`) },
      );
    }
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
    } catch {
      // Not JSON: the text goes to onError only.
    }
    if (!response.ok) throw upstreamError(response.status, body, redact(text));
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw new ImpersonationError('upstream_invalid_response', 'the analytics tenant sent an unusable response', 502, {
        detail: `${response.status} without an access_token`,
        upstreamStatus: response.status,
      });
    }
    const raw = typeof body.expires_in === 'string' ? Number(body.expires_in) : body.expires_in;
    const expiresIn = typeof raw === 'number' && Number.isFinite(raw) && raw > 0 ? raw : DEFAULT_EXPIRES_IN;
    const lifetimeMs = expiresIn * 1000;
    const expiresAt = startedAt + lifetimeMs;
    return { accessToken: body.access_token, expiresAt, reuseUntil: expiresAt - Math.min(skewMs, lifetimeMs / 2) };
  }

  function tokenFor(user: UserLookup): Promise<CachedToken> {
    const key = `${user.field}\u0000${user.value}`;
    const cached = cache.get(key);
    if (cached) {
      cache.delete(key);
      if (cached.reuseUntil > Date.now()) {
        cache.set(key, cached);
        return Promise.resolve(cached);
      }
    }
    let pending = inflight.get(key);
    if (!pending) {
      const flight = fetchToken(user).then((token) => {
        if (maxUsers > 0) {
          cache.set(key, token);
          while (cache.size > maxUsers) cache.delete(cache.keys().next().value as string);
        }
        return token;
      });
      pending = flight.finally(() => inflight.delete(key));
      inflight.set(key, pending);
    }
    return pending;
  }

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

  function report(error: ImpersonationError, req: IncomingMessage): void {
    try {
      options.onError?.(error, req);
    } catch {
      // A failing log hook must not take the response (or the process) down with it.
    }
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
      const token = await tokenFor(user);
      send(res, 200, {
        access_token: token.accessToken,
        expires_in: Math.max(0, Math.floor((token.expiresAt - Date.now()) / 1000)),
      });
    } catch (error) {
      const typed =
        error instanceof ImpersonationError
          ? error
          : new ImpersonationError('internal_error', 'the token could not be issued', 500, {
              cause: error,
              detail: redact(error instanceof Error ? error.message : String(error)),
            });
      report(typed, req);
      send(res, typed.status, { error: typed.code, message: typed.publicMessage });
    }
  }

  return (req, res) => {
    handle(req, res).catch(() => {
      // handle() answers every failure itself; this only guards a response that broke mid-write.
      if (!res.headersSent) res.destroy();
    });
  };
}

/** resolveUser's answer, checked: a malformed lookup is the app's bug, not the user's. */
function checkLookup(value: UserLookup | null | undefined): UserLookup | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || (value.field !== 'subject' && value.field !== 'userId') || typeof value.value !== 'string' || value.value === '') {
    throw new TypeError('resolveUser must return {field: "subject" | "userId", value: "<non-empty string>"} or null');
  }
  return value;
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

/**
 * Upstream failures in words a browser may see. Codes as the dev tenant and Qlik Cloud send them
 * (QLIK-PROTOCOL.md): wrong secret is `invalid_client`, an unknown client id or a client without
 * the grant is `OAUTH-14`, an unknown user is `invalid_grant`. The body goes to onError only.
 */
function upstreamError(status: number, body: Record<string, unknown>, detail: string): ImpersonationError {
  const errors = Array.isArray(body.errors) ? (body.errors as unknown[]) : [];
  const first = errors[0];
  const qlikCode = typeof first === 'object' && first !== null ? (first as { code?: unknown }).code : undefined;
  const oauthCode = typeof body.error === 'string' ? body.error : undefined;
  const upstreamCode = typeof qlikCode === 'string' ? qlikCode : oauthCode;
  const codes = new Set([upstreamCode, oauthCode].filter((c): c is string => typeof c === 'string'));
  const has = (...names: string[]): boolean => names.some((name) => codes.has(name));

  let mapped: [ImpersonationErrorCode, string, number];
  if (has('OAUTH-14', 'invalid_client', 'unauthorized_client')) {
    mapped = ['client_not_authorized', 'impersonation client not authorised', 502];
  } else if (has('invalid_grant', 'user_not_found', 'invalid_user')) {
    // On this grant the only grant to be invalid is the user lookup.
    mapped = ['user_not_found', 'user not found in the analytics tenant', 403];
  } else if (has('OAUTH-1', 'invalid_scope', 'invalid_request', 'unsupported_grant_type')) {
    mapped = ['client_misconfigured', 'impersonation client misconfigured', 502];
  } else {
    mapped = ['upstream_failed', 'the analytics tenant could not issue a token', 502];
  }
  const [code, message, httpStatus] = mapped;
  return new ImpersonationError(code, message, httpStatus, {
    detail: `tenant answered ${status}: ${detail}`,
    upstreamStatus: status,
    ...(upstreamCode ? { upstreamCode } : {}),
  });
}
