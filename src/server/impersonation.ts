/**
 * A backend token endpoint for sites whose users never sign in to Qlik: the site's own session
 * says who the user is, and this handler obtains a Qlik access token for them with the
 * `urn:qlik:oauth:user-impersonation` grant. The client secret stays on the server: it never
 * reaches a response, a log line or an error message.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

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
  resolveUser(req: IncomingMessage): UserLookup | null | Promise<UserLookup | null>;
  /** Default `user_default`. */
  scope?: string;
  /**
   * Origins allowed to call the handler. Default: only the handler's own origin, from the Host
   * header (set `trustProxyHeaders` behind a proxy that rewrites it).
   */
  allowedOrigins?: string[];
  /** Read `X-Forwarded-Host`/`X-Forwarded-Proto` for the same-origin check. */
  trustProxyHeaders?: boolean;
  /** Most users whose tokens are cached at once; the least recently used go first. Default 1000. */
  maxCachedUsers?: number;
  /** Seconds before expiry at which a cached token is no longer handed out. Default 60. */
  expirySkewSeconds?: number;
  /** Upstream timeout. Default 10 s. */
  timeoutMs?: number;
  /** Full detail of every failure, upstream body included. The secret is never in it. */
  onError?(error: ImpersonationError, req: IncomingMessage): void;
  fetch?: typeof fetch;
}

/** A failure with a message that is safe to show to the browser, and the detail for your logs. */
export class ImpersonationError extends Error {
  constructor(
    readonly code: string,
    /** What the browser is told. */
    readonly publicMessage: string,
    /** HTTP status for the browser. */
    readonly status: number,
    options: { cause?: unknown; detail?: string } = {},
  ) {
    super(options.detail ? `${publicMessage}: ${options.detail}` : publicMessage, { cause: options.cause });
    this.name = 'ImpersonationError';
  }
}

interface CachedToken {
  accessToken: string;
  expiresAt: number;
}

export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

export function createImpersonationTokenHandler(options: ImpersonationHandlerOptions): NodeHandler {
  for (const key of ['host', 'clientId', 'clientSecret'] as const) {
    if (!options[key]) throw new TypeError(`createImpersonationTokenHandler: \`${key}\` is required.`);
  }
  if (typeof options.resolveUser !== 'function') throw new TypeError('createImpersonationTokenHandler: `resolveUser(req)` is required.');
  const tokenUrl = new URL('/oauth/token', /^https?:\/\//.test(options.host) ? options.host : `https://${options.host}`).href;
  const maxUsers = options.maxCachedUsers ?? 1000;
  const skewMs = (options.expirySkewSeconds ?? 60) * 1000;
  const doFetch = options.fetch ?? fetch;
  const secret = options.clientSecret;

  // A Map iterates in insertion order, so re-inserting on use makes it an LRU.
  const cache = new Map<string, CachedToken>();
  const inflight = new Map<string, Promise<CachedToken>>();

  /** Belt and braces: whatever an upstream or a library put in a message, the secret goes. */
  const redact = (text: string): string => text.split(secret).join('[redacted]');

  async function fetchToken(user: UserLookup): Promise<CachedToken> {
    let response: Response;
    try {
      response = await doFetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          client_id: options.clientId,
          client_secret: secret,
          grant_type: 'urn:qlik:oauth:user-impersonation',
          user_lookup: user,
          scope: options.scope ?? 'user_default',
        }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new ImpersonationError(timedOut ? 'upstream_timeout' : 'upstream_unreachable', 'the analytics tenant could not be reached', 502, {
        detail: redact(error instanceof Error ? error.message : String(error)),
      });
    }
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Not JSON: keep the text for onError only.
    }
    if (!response.ok) throw upstreamError(response.status, body, redact(text));
    if (typeof body.access_token !== 'string') {
      throw new ImpersonationError('upstream_invalid_response', 'the analytics tenant sent an unusable response', 502, { detail: redact(text) });
    }
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 300;
    return { accessToken: body.access_token, expiresAt: Date.now() + expiresIn * 1000 };
  }

  function tokenFor(user: UserLookup): Promise<CachedToken> {
    const key = `${user.field}:${user.value}`;
    const cached = cache.get(key);
    if (cached && cached.expiresAt - skewMs > Date.now()) {
      cache.delete(key);
      cache.set(key, cached);
      return Promise.resolve(cached);
    }
    cache.delete(key);
    let pending = inflight.get(key);
    if (!pending) {
      pending = fetchToken(user)
        .then((token) => {
          cache.set(key, token);
          while (cache.size > maxUsers) cache.delete(cache.keys().next().value as string);
          return token;
        })
        .finally(() => inflight.delete(key));
      inflight.set(key, pending);
    }
    return pending;
  }

  function originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (!origin) {
      // Browsers send Origin on every POST; without one, Sec-Fetch-Site still tells cross-site calls apart.
      const site = req.headers['sec-fetch-site'];
      return site === undefined || site === 'same-origin' || site === 'none';
    }
    if (options.allowedOrigins) return options.allowedOrigins.includes(origin);
    const forwardedHost = options.trustProxyHeaders ? firstHeader(req.headers['x-forwarded-host']) : undefined;
    const forwardedProto = options.trustProxyHeaders ? firstHeader(req.headers['x-forwarded-proto']) : undefined;
    const host = forwardedHost ?? req.headers.host;
    const proto = forwardedProto ?? ('encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http');
    return host !== undefined && origin === `${proto}://${host}`;
  }

  return (req, res) => {
    void (async () => {
      try {
        if (req.method !== 'POST') {
          res.setHeader('Allow', 'POST');
          throw new ImpersonationError('method_not_allowed', 'use POST', 405);
        }
        if (!originAllowed(req)) throw new ImpersonationError('origin_not_allowed', 'this origin may not request tokens', 403);
        const user = await options.resolveUser(req);
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
        options.onError?.(typed, req);
        send(res, typed.status, { error: typed.code, message: typed.publicMessage });
      }
    })();
  };
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first?.split(',')[0]?.trim() || undefined;
}

function send(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    pragma: 'no-cache',
  });
  res.end(JSON.stringify(body));
}

/** Upstream failures in words a browser may see; the body goes to onError only. */
function upstreamError(status: number, body: Record<string, unknown>, detail: string): ImpersonationError {
  const errors = Array.isArray(body.errors) ? (body.errors as Array<Record<string, unknown>>) : [];
  const code = String(errors[0]?.code ?? body.error ?? `http_${status}`);
  const known: Record<string, [string, number]> = {
    'OAUTH-14': ['impersonation client not authorised', 502],
    invalid_client: ['impersonation client not authorised', 502],
    unauthorized_client: ['impersonation client not authorised', 502],
    'OAUTH-1': ['impersonation client misconfigured', 502],
    user_not_found: ['user not found in the analytics tenant', 403],
    invalid_user: ['user not found in the analytics tenant', 403],
  };
  const [message, httpStatus] = known[code] ?? (status >= 500 ? ['the analytics tenant failed', 502] : ['the token could not be issued', 502]);
  return new ImpersonationError(`upstream_${code}`, message, httpStatus, { detail: `${status} ${detail}` });
}
