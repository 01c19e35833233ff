/**
 * `createImpersonationTokenHandler` against the real dev tenant: the handler on a node http
 * server over loopback, requests shaped as a browser sends them (Origin, cookies).
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BACKEND_CLIENT_ID, BACKEND_CLIENT_SECRET, DEMO_CLIENT_ID, IMPERSONATION_GRANT, TOKEN_EXCHANGE_GRANT, ACCESS_TOKEN_TYPE, startDevTenant, type DevTenant } from '../../src/dev-tenant/index.ts';
import { createImpersonationTokenHandler, ImpersonationError, type ImpersonationHandlerOptions, type NodeHandler, type UserLookup } from '../../src/server/index.ts';
import { mountHandler, request, sessionUser, testClock, type MountedHandler } from '../support/impersonation-http.ts';

let tenant: DevTenant;

before(async () => {
  tenant = await startDevTenant({ port: 0 });
});
after(async () => {
  await tenant?.close();
});
beforeEach(() => tenant.stats.reset());

const upstreamCalls = (): number => tenant.stats.tokenRequests[IMPERSONATION_GRANT] ?? 0;

async function mount(overrides: Partial<ImpersonationHandlerOptions> = {}, wrap?: (handler: NodeHandler) => http.RequestListener): Promise<MountedHandler> {
  return mountHandler({ host: tenant.url, clientId: BACKEND_CLIENT_ID, clientSecret: BACKEND_CLIENT_SECRET, ...overrides }, wrap);
}

async function usersMe(accessToken: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${tenant.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  assert.equal(response.status, 200, 'the tenant accepts the token');
  return (await response.json()) as Record<string, unknown>;
}

describe('happy path', () => {
  test('a signed-in user gets a token that the tenant accepts as that user', async () => {
    const app = await mount();
    try {
      const answer = await request(`${app.origin}/access-token`, { user: 'auth0|alice' });
      assert.equal(answer.status, 200);
      assert.deepEqual(Object.keys(answer.json).sort(), ['access_token', 'expires_in'], 'only access_token and expires_in');
      assert.equal(answer.headers['cache-control'], 'no-store');
      assert.match(answer.headers['content-type'] ?? '', /^application\/json/);
      const token = answer.json.access_token as string;
      const expiresIn = answer.json.expires_in as number;
      assert.ok(expiresIn > 3500 && expiresIn <= 3600, `expires_in ${expiresIn} is the tenant's 3600 s, less time spent`);

      const me = await usersMe(token);
      assert.equal(me.subject, 'auth0|alice');
      assert.equal(me.name, 'Alice Analyst');

      // The browser's next step: Qlik's websocket-token exchange (with the SPA's public client id).
      const exchange = await fetch(`${tenant.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: TOKEN_EXCHANGE_GRANT, subject_token: token, subject_token_type: ACCESS_TOKEN_TYPE, purpose: 'websocket', client_id: DEMO_CLIENT_ID }),
      });
      assert.equal(exchange.status, 200);
      assert.equal(typeof ((await exchange.json()) as { access_token?: unknown }).access_token, 'string');
      assert.equal(tenant.stats.websocketTokenExchanges, 1);
      assert.equal(upstreamCalls(), 1);
      assert.deepEqual(app.errors, []);
    } finally {
      await app.close();
    }
  });

  test('a second request for the same user is served from the cache; another user gets their own token', async () => {
    const app = await mount();
    try {
      const first = await request(`${app.origin}/t`, { user: 'auth0|alice' });
      const second = await request(`${app.origin}/t`, { user: 'auth0|alice' });
      assert.equal(second.json.access_token, first.json.access_token);
      assert.equal(upstreamCalls(), 1);
      const bob = await request(`${app.origin}/t`, { user: 'auth0|bob' });
      assert.notEqual(bob.json.access_token, first.json.access_token);
      assert.equal((await usersMe(bob.json.access_token as string)).name, 'Bob Builder');
      assert.equal(upstreamCalls(), 2);
    } finally {
      await app.close();
    }
  });

  test('userId lookups work too', async () => {
    const app = await mount({ resolveUser: () => ({ field: 'userId', value: '64f0c1a2b3c4d5e6f7a8b9c2' }) });
    try {
      const answer = await request(`${app.origin}/t`);
      assert.equal(answer.status, 200);
      assert.equal((await usersMe(answer.json.access_token as string)).subject, 'auth0|bob');
    } finally {
      await app.close();
    }
  });

  test('an async resolveUser is awaited', async () => {
    const app = await mount({ resolveUser: async (req) => sessionUser(req) });
    try {
      assert.equal((await request(`${app.origin}/t`, { user: 'auth0|alice' })).status, 200);
      assert.equal((await request(`${app.origin}/t`)).status, 401);
    } finally {
      await app.close();
    }
  });
});

describe('refusals', () => {
  test('unknown user: 403 with a safe message, no upstream body; onError gets the detail', async () => {
    const app = await mount();
    try {
      const answer = await request(`${app.origin}/t`, { user: 'auth0|nobody' });
      assert.equal(answer.status, 403);
      assert.deepEqual(answer.json, { error: 'user_not_found', message: 'user not found in the analytics tenant' });
      assert.equal(answer.headers['cache-control'], 'no-store');
      assert.doesNotMatch(answer.text, /nobody|traceId|invalid_grant/, 'nothing of the upstream body reaches the browser');
      assert.equal(app.errors.length, 1);
      const [error] = app.errors;
      assert.equal(error?.code, 'user_not_found');
      assert.equal(error?.upstreamStatus, 400);
      assert.equal(error?.upstreamCode, 'invalid_grant');
      assert.match(error?.message ?? '', /unknown user: no user has subject .*auth0\|nobody/, 'the full upstream detail is in onError');
      // Failures are not cached: the next request asks again.
      await request(`${app.origin}/t`, { user: 'auth0|nobody' });
      assert.equal(upstreamCalls(), 2);
    } finally {
      await app.close();
    }
  });

  test('wrong secret: 502 "impersonation client not authorised", the secret in no message', async () => {
    const wrongSecret = 'wrong-secret-5f0c2e9a';
    const app = await mount({ clientSecret: wrongSecret });
    try {
      const answer = await request(`${app.origin}/t`, { user: 'auth0|alice' });
      assert.equal(answer.status, 502);
      assert.deepEqual(answer.json, { error: 'client_not_authorized', message: 'impersonation client not authorised' });
      const [error] = app.errors;
      assert.equal(error?.upstreamStatus, 401);
      assert.equal(error?.upstreamCode, 'invalid_client');
      assert.match(error?.message ?? '', /invalid secret provided/);
      assert.ok(!JSON.stringify({ message: error?.message, stack: error?.stack }).includes(wrongSecret));
    } finally {
      await app.close();
    }
  });

  test('unknown client id (OAUTH-14) and a client without the grant (OAUTH-14): "impersonation client not authorised"', async () => {
    for (const [clientId, clientSecret] of [
      ['no-such-client', 'x'],
      ['embed-kit-machine', 'dev-machine-secret'],
    ] as const) {
      const app = await mount({ clientId, clientSecret });
      try {
        const answer = await request(`${app.origin}/t`, { user: 'auth0|alice' });
        assert.equal(answer.status, 502, clientId);
        assert.equal(answer.json.message, 'impersonation client not authorised');
        assert.equal(app.errors[0]?.upstreamCode, 'OAUTH-14');
      } finally {
        await app.close();
      }
    }
  });

  test('a scope the tenant does not allow: "impersonation client misconfigured"', async () => {
    const app = await mount({ scope: 'admin:everything' });
    try {
      const answer = await request(`${app.origin}/t`, { user: 'auth0|alice' });
      assert.deepEqual(answer.json, { error: 'client_misconfigured', message: 'impersonation client misconfigured' });
      assert.equal(app.errors[0]?.upstreamCode, 'invalid_scope');
    } finally {
      await app.close();
    }
  });

  test('no session: 401 and no upstream call', async () => {
    const app = await mount();
    try {
      const answer = await request(`${app.origin}/t`);
      assert.equal(answer.status, 401);
      assert.deepEqual(answer.json, { error: 'unauthenticated', message: 'not signed in' });
      assert.equal(answer.headers['cache-control'], 'no-store');
      assert.equal(upstreamCalls(), 0);
    } finally {
      await app.close();
    }
  });

  test('cross-origin: 403, no CORS headers, no upstream call; also without Origin when Sec-Fetch-Site says cross-site', async () => {
    const app = await mount();
    try {
      const answer = await request(`${app.origin}/t`, { user: 'auth0|alice', origin: 'https://evil.example' });
      assert.equal(answer.status, 403);
      assert.deepEqual(answer.json, { error: 'origin_not_allowed', message: 'this origin may not request tokens' });
      assert.equal(answer.headers['access-control-allow-origin'], undefined);
      const opaque = await request(`${app.origin}/t`, { user: 'auth0|alice', origin: 'null' });
      assert.equal(opaque.status, 403, 'Origin: null (sandboxed frame) is refused');
      const noOrigin = await request(`${app.origin}/t`, { user: 'auth0|alice', origin: null, headers: { 'sec-fetch-site': 'cross-site' } });
      assert.equal(noOrigin.status, 403);
      const sameSite = await request(`${app.origin}/t`, { user: 'auth0|alice', origin: `http://localhost:${new URL(app.origin).port}` });
      assert.equal(sameSite.status, 403, 'another host name for the same server is another origin');
      assert.equal(upstreamCalls(), 0);
      // A server-to-server caller (no Origin, no Sec-Fetch-Site) carries no browser cookies to abuse.
      assert.equal((await request(`${app.origin}/t`, { user: 'auth0|alice', origin: null })).status, 200);
    } finally {
      await app.close();
    }
  });

  test('an allowlisted other origin gets the token with CORS headers, and its preflight is answered', async () => {
    const app = await mount({ allowedOrigins: ['https://app.example'] });
    try {
      const answer = await request(`${app.origin}/t`, { user: 'auth0|alice', origin: 'https://app.example' });
      assert.equal(answer.status, 200);
      assert.equal(answer.headers['access-control-allow-origin'], 'https://app.example');
      assert.equal(answer.headers['access-control-allow-credentials'], 'true');
      assert.match(answer.headers.vary ?? '', /Origin/);
      const preflight = await request(`${app.origin}/t`, { method: 'OPTIONS', origin: 'https://app.example', headers: { 'access-control-request-method': 'POST' } });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers['access-control-allow-methods'], 'POST');
      assert.equal((await request(`${app.origin}/t`, { user: 'auth0|alice', origin: 'https://other.example' })).status, 403);
      assert.equal((await request(`${app.origin}/t`, { user: 'auth0|alice' })).status, 200, 'its own origin still works');
    } finally {
      await app.close();
    }
  });

  test('behind a proxy: X-Forwarded-Host/Proto are read only with trustProxyHeaders', async () => {
    const forwarded = { 'x-forwarded-host': 'shop.example', 'x-forwarded-proto': 'https' };
    const plain = await mount();
    const proxied = await mount({ trustProxyHeaders: true });
    try {
      assert.equal((await request(`${plain.origin}/t`, { user: 'auth0|alice', origin: 'https://shop.example', headers: forwarded })).status, 403);
      assert.equal((await request(`${proxied.origin}/t`, { user: 'auth0|alice', origin: 'https://shop.example', headers: forwarded })).status, 200);
    } finally {
      await plain.close();
      await proxied.close();
    }
  });

  test('only POST: GET, PUT and HEAD get 405 with Allow: POST, and no upstream call', async () => {
    const app = await mount();
    try {
      for (const method of ['GET', 'PUT', 'DELETE', 'HEAD']) {
        const answer = await request(`${app.origin}/t`, { method, user: 'auth0|alice' });
        assert.equal(answer.status, 405, method);
        assert.equal(answer.headers.allow, 'POST', method);
        assert.equal(answer.headers['cache-control'], 'no-store', method);
      }
      assert.equal(upstreamCalls(), 0);
    } finally {
      await app.close();
    }
  });

  test('resolveUser throwing or returning nonsense: 500 with a generic message; the detail goes to onError', async () => {
    const throwing = await mount({
      resolveUser: () => {
        throw new Error('session store down: redis://user:pw@10.0.0.5');
      },
    });
    const nonsense = await mount({ resolveUser: () => ({ field: 'email', value: 'a@b' }) as unknown as UserLookup });
    try {
      const answer = await request(`${throwing.origin}/t`, { user: 'auth0|alice' });
      assert.equal(answer.status, 500);
      assert.deepEqual(answer.json, { error: 'internal_error', message: 'the token could not be issued' });
      assert.match(throwing.errors[0]?.message ?? '', /session store down/);
      assert.equal((await request(`${nonsense.origin}/t`, { user: 'auth0|alice' })).status, 500);
      assert.match(nonsense.errors[0]?.message ?? '', /resolveUser must return/);
    } finally {
      await throwing.close();
      await nonsense.close();
    }
  });

  test('a tenant that cannot be reached: 502 "could not be reached"; a slow one: 504', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await mount({ host: `http://127.0.0.1:${deadPort}` });
    const slow = await mount({ timeoutMs: 50, fetch: (_input, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))) });
    try {
      const answer = await request(`${unreachable.origin}/t`, { user: 'auth0|alice' });
      assert.equal(answer.status, 502);
      assert.deepEqual(answer.json, { error: 'upstream_unreachable', message: 'the analytics tenant could not be reached' });
      const late = await request(`${slow.origin}/t`, { user: 'auth0|alice' });
      assert.equal(late.status, 504);
      assert.equal(late.json.error, 'upstream_timeout');
    } finally {
      await unreachable.close();
      await slow.close();
    }
  });

  test('options are checked up front', () => {
    const base = { host: tenant.url, clientId: 'c', clientSecret: 's', resolveUser: () => null };
    assert.throws(() => createImpersonationTokenHandler({ ...base, clientSecret: '' }), TypeError);
    assert.throws(() => createImpersonationTokenHandler({ ...base, host: '' }), TypeError);
    assert.throws(() => createImpersonationTokenHandler({ ...base, resolveUser: undefined as unknown as () => null }), TypeError);
    assert.throws(() => createImpersonationTokenHandler({ ...base, maxCachedUsers: -1 }), TypeError);
  });
});

describe('single-flight and cache', () => {
  test('500 concurrent requests for one user make exactly one upstream call and all get that token', async () => {
    const app = await mount();
    try {
      const answers = await Promise.all(Array.from({ length: 500 }, () => request(`${app.origin}/t`, { user: 'auth0|alice' })));
      assert.equal(upstreamCalls(), 1);
      assert.ok(answers.every((a) => a.status === 200));
      assert.equal(new Set(answers.map((a) => a.json.access_token)).size, 1);
    } finally {
      await app.close();
    }
  });

  test('concurrent requests for three users make three upstream calls', async () => {
    const app = await mount();
    try {
      const users = ['auth0|alice', 'auth0|bob', 'auth0|eve'];
      const answers = await Promise.all(Array.from({ length: 90 }, (_, i) => request(`${app.origin}/t`, { user: users[i % 3] as string })));
      assert.equal(upstreamCalls(), 3);
      assert.equal(new Set(answers.map((a) => a.json.access_token)).size, 3);
    } finally {
      await app.close();
    }
  });

  test('the cache is bounded and evicts the least recently used user', async () => {
    const app = await mount({ maxCachedUsers: 2 });
    const ask = async (user: string): Promise<void> => void (await request(`${app.origin}/t`, { user }));
    try {
      await ask('auth0|alice');
      await ask('auth0|bob');
      assert.equal(upstreamCalls(), 2);
      await ask('auth0|alice'); // hit; alice is now the most recent
      assert.equal(upstreamCalls(), 2);
      await ask('auth0|eve'); // the third user evicts bob, the least recently used
      assert.equal(upstreamCalls(), 3);
      await ask('auth0|alice');
      await ask('auth0|eve');
      assert.equal(upstreamCalls(), 3, 'alice and eve are cached');
      await ask('auth0|bob');
      assert.equal(upstreamCalls(), 4, 'bob was evicted');
    } finally {
      await app.close();
    }
  });

  test('a token close to expiry is fetched again; a short-lived token is still reused for half its life', async () => {
    let calls = 0;
    let lifetime = 3600;
    const fakeTenant: typeof fetch = async () => {
      calls += 1;
      return new Response(JSON.stringify({ access_token: `tok-${calls}`, expires_in: lifetime, token_type: 'Bearer' }), { status: 200 });
    };
    const clock = testClock();
    const app = await mount({ fetch: fakeTenant, expirySkewSeconds: 3600 - 1, clock });
    try {
      // Skew 3599 s, lifetime 3600 s: at most half the life is skew, so it is reused.
      const a = await request(`${app.origin}/t`, { user: 'auth0|alice' });
      const b = await request(`${app.origin}/t`, { user: 'auth0|alice' });
      assert.equal(a.json.access_token, 'tok-1');
      assert.equal(b.json.access_token, 'tok-1');
      lifetime = 1;
      const first = await request(`${app.origin}/t`, { user: 'auth0|bob' });
      clock.advance(400);
      const early = await request(`${app.origin}/t`, { user: 'auth0|bob' });
      assert.equal(first.json.access_token, 'tok-2');
      assert.equal(early.json.access_token, 'tok-2', 'within half of a 1 s lifetime: reused');
      clock.advance(200);
      const bob = await request(`${app.origin}/t`, { user: 'auth0|bob' });
      assert.equal(bob.json.access_token, 'tok-3', 'past half of a 1 s lifetime: fetched again');
      assert.equal(calls, 3);
    } finally {
      await app.close();
    }
  });
});

describe('the secret stays on the server', () => {
  test('never in a response body, a header, a log line, or an onError message, stack or cause', async () => {
    const secret = BACKEND_CLIENT_SECRET;
    const captured: string[] = [];
    const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
    const originals = methods.map((m) => console[m]);
    for (const m of methods) console[m] = (...args: unknown[]) => void captured.push(args.map(String).join(' '));
    const stdoutWrite = process.stdout.write.bind(process.stdout);
    const stderrWrite = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      captured.push(String(chunk));
      return (stdoutWrite as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      captured.push(String(chunk));
      return (stderrWrite as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stderr.write;

    const bodies: string[] = [];
    const errors: ImpersonationError[] = [];
    // A hostile or buggy upstream that echoes the request (and so the secret, in three spellings).
    const echoing: typeof fetch = async (_input, init) =>
      new Response(`upstream says: ${String(init?.body)} ${encodeURIComponent(String(init?.body))}`, { status: 500 });
    const throwingFetch: typeof fetch = async (_input, init) => {
      throw new Error(`socket hang up while sending ${String(init?.body)}`);
    };
    const apps = await Promise.all([
      mount(),
      mount({ fetch: echoing }),
      mount({ fetch: throwingFetch }),
      mount({ host: 'http://127.0.0.1:1' }),
      mount({ clientId: 'no-such-client' }),
      mount({ fetch: async () => new Response(JSON.stringify({ token_type: 'Bearer', note: secret }), { status: 200 }) }),
    ]);
    try {
      for (const app of apps) {
        for (const user of ['auth0|alice', 'auth0|nobody', undefined]) {
          for (const method of ['POST', 'GET']) {
            for (const origin of [undefined, 'https://evil.example']) {
              const answer = await request(`${app.origin}/t`, { method, ...(user ? { user } : {}), ...(origin ? { origin } : {}) });
              bodies.push(answer.text, JSON.stringify(answer.headers));
            }
          }
        }
        errors.push(...app.errors);
      }
    } finally {
      for (const [i, m] of methods.entries()) console[m] = originals[i] as (typeof console)[typeof m];
      process.stdout.write = stdoutWrite;
      process.stderr.write = stderrWrite;
      await Promise.all(apps.map((app) => app.close()));
    }

    assert.ok(bodies.some((b) => b.includes('access_token')), 'some requests succeeded');
    assert.ok(errors.length >= 20, `onError saw the failures (${errors.length})`);
    assert.ok(errors.some((e) => e.message.includes('[withheld: it contained the client secret]')), 'a message that echoed the secret was withheld');
    const everything = [
      ...bodies,
      ...captured,
      ...errors.flatMap((e) => [e.message, e.publicMessage, e.stack ?? '', String(e.cause ?? ''), JSON.stringify(e)]),
    ].join('\n');
    for (const spelling of [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]) {
      assert.ok(!everything.includes(spelling), `the secret (${spelling === secret ? 'raw' : 'encoded'}) appears nowhere`);
    }
  });
});

describe('mounted in other servers', () => {
  /** The smallest Connect/Express-shaped app: `use(path, fn)` and `fn(req, res, next)`. */
  function connectLike(): { use(path: string, fn: NodeHandler): void; listener: http.RequestListener; nextCalls: number } {
    const stack: Array<{ path: string; fn: NodeHandler }> = [];
    const app = {
      nextCalls: 0,
      use(path: string, fn: NodeHandler) {
        stack.push({ path, fn });
      },
      listener(req: IncomingMessage, res: ServerResponse) {
        let i = 0;
        const next = (error?: unknown): void => {
          app.nextCalls += 1;
          const layer = stack[i++];
          if (error || !layer) {
            res.statusCode = error ? 500 : 404;
            res.end(error ? 'error' : 'not found');
            return;
          }
          if (!req.url?.startsWith(layer.path)) return next();
          layer.fn(req, res, next);
        };
        next();
      },
    };
    return app;
  }

  test('as Express/Connect middleware (req, res, next): answers itself and never calls next', async () => {
    const app = connectLike();
    let sessionSeen = false;
    app.use('/', (req, _res, next) => {
      // A session middleware in front, as apps have.
      (req as IncomingMessage & { session?: { user?: string } }).session = { user: /sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1] };
      next?.();
    });
    const mounted = await mount(
      {
        resolveUser: (req) => {
          const user = (req as IncomingMessage & { session?: { user?: string } }).session?.user;
          sessionSeen = true;
          return user ? { field: 'subject', value: decodeURIComponent(user) } : null;
        },
      },
      (handler) => {
        app.use('/api/qlik-token', handler);
        return app.listener;
      },
    );
    try {
      const answer = await request(`${mounted.origin}/api/qlik-token`, { user: 'auth0|bob' });
      assert.equal(answer.status, 200);
      assert.ok(sessionSeen);
      assert.equal((await usersMe(answer.json.access_token as string)).name, 'Bob Builder');
      assert.equal((await request(`${mounted.origin}/api/qlik-token`)).status, 401);
      assert.equal(app.nextCalls, 4, 'next was called by the router and the session middleware only');
      assert.equal((await request(`${mounted.origin}/elsewhere`)).status, 404, 'other paths fall through');
    } finally {
      await mounted.close();
    }
  });
});

describe('evict and revoke', () => {
  test("revoke(user): the tenant's /oauth/revoke makes the token useless, and the next request gets a fresh one", async () => {
    const app = await mount();
    try {
      const first = (await request(`${app.origin}/t`, { user: 'auth0|alice' })).json.access_token as string;
      await usersMe(first);
      assert.equal(await app.handler.revoke({ field: 'subject', value: 'auth0|alice' }), true);
      assert.equal(tenant.stats.revocations, 1);
      const refused = await fetch(`${tenant.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${first}` } });
      assert.equal(refused.status, 401, 'the tenant no longer accepts the revoked token');
      const second = (await request(`${app.origin}/t`, { user: 'auth0|alice' })).json.access_token as string;
      assert.notEqual(second, first);
      assert.equal((await usersMe(second)).subject, 'auth0|alice');
      assert.equal(upstreamCalls(), 2);
      assert.equal(await app.handler.revoke({ field: 'subject', value: 'auth0|bob' }), false, 'nothing cached, nothing to revoke');
      assert.equal(tenant.stats.revocations, 1);
    } finally {
      await app.close();
    }
  });

  test('evict(user): the next request goes upstream; the token itself stays valid', async () => {
    const app = await mount();
    try {
      const first = (await request(`${app.origin}/t`, { user: 'auth0|bob' })).json.access_token as string;
      await app.handler.evict({ field: 'subject', value: 'auth0|bob' });
      const second = (await request(`${app.origin}/t`, { user: 'auth0|bob' })).json.access_token as string;
      assert.notEqual(second, first);
      assert.equal(upstreamCalls(), 2);
      await usersMe(first);
      await assert.rejects(app.handler.evict({ field: 'email', value: 'x' } as unknown as UserLookup), TypeError);
    } finally {
      await app.close();
    }
  });
});
