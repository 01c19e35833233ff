/**
 * The browser's refresh flag (after an engine 401) when no new token can be had: the quiet period
 * after a 429, a 429, a 5xx or a timeout. The flagged request gets the error; the cached token
 * stays, so every other request for the user, here and on other instances, is still served.
 * In-process cache, and two handlers sharing a real `redis-server`.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'redis';
import { REFRESH_HEADER, redisTokenCache, type ImpersonationHandlerOptions, type RedisClientLike } from '../../src/server/index.ts';
import { mountHandler, request, testClock, type Answer, type MountedHandler } from '../support/impersonation-http.ts';
import { newEncryptionKey } from '../support/impersonation-workers.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';
import { rateLimitedReply, startStandInTenant, type StandInTenant } from '../support/stand-in-tenant.ts';

let tenant: StandInTenant;
before(async () => {
  tenant = await startStandInTenant();
});
after(() => tenant.close());
beforeEach(() => tenant.reset());

const unavailable = { status: 503, json: { errors: [{ code: 'HTTP-503', title: 'Service Unavailable' }] } };

function mount(overrides: Partial<ImpersonationHandlerOptions> = {}): Promise<MountedHandler> {
  return mountHandler({ host: tenant.url, clientId: 'backend', clientSecret: 'backend-secret', ...overrides });
}

const ask = (app: MountedHandler, user: string, flagged = false): Promise<Answer> =>
  request(`${app.origin}/t`, { user, timeoutMs: 60_000, ...(flagged ? { headers: { [REFRESH_HEADER]: '1' } } : {}) });

/** Resolves once `check` holds, looking again after each turn of the event loop; the caller's own request timeout bounds it. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('a refresh that fails keeps the cached token (in-process cache)', () => {
  test('5xx, timeout, 429 and the quiet period after it: the flagged request gets the error, the others the cached token', async () => {
    const clock = testClock();
    let timingOut = false;
    // A fetch whose deadline passed, as the abort signal's TimeoutError reports it.
    const fetchOrTimeout: typeof fetch = (input, init) => (timingOut ? Promise.reject(new DOMException('The operation timed out.', 'TimeoutError')) : fetch(input, init));
    // Interval 0: every flag refreshes, so each failure below is a refresh of its own.
    const app = await mount({ clock, refreshIntervalSeconds: 0, fetch: fetchOrTimeout });
    try {
      assert.equal((await ask(app, 'alice')).json.access_token, 'tok-1-alice');

      tenant.reply = () => unavailable;
      const failed = await ask(app, 'alice', true);
      assert.deepEqual([failed.status, failed.json.error], [502, 'upstream_failed']);
      tenant.reply = () => undefined;
      assert.equal((await ask(app, 'alice')).json.access_token, 'tok-1-alice', 'after a 5xx: the cached token, no new call');
      assert.equal(tenant.tokenCalls('alice'), 2);

      timingOut = true;
      const late = await ask(app, 'alice', true);
      timingOut = false;
      assert.deepEqual([late.status, late.json.error], [504, 'upstream_timeout']);
      assert.equal((await ask(app, 'alice')).json.access_token, 'tok-1-alice', 'after a timeout: the cached token');

      // A wait past the request deadline: no retry, 503 with Retry-After, and a quiet period.
      tenant.reply = () => rateLimitedReply('600');
      const limited = await ask(app, 'alice', true);
      assert.deepEqual([limited.status, limited.json.error, limited.headers['retry-after']], [503, 'rate_limited', '600']);
      tenant.reply = () => undefined;
      assert.equal((await ask(app, 'alice')).json.access_token, 'tok-1-alice', 'after a 429: the cached token');
      const calls = tenant.tokenCalls();

      clock.advance(60_000);
      const quiet = await ask(app, 'alice', true);
      assert.deepEqual([quiet.status, quiet.json.error, quiet.headers['retry-after']], [503, 'rate_limited', '540'], 'in the quiet period: 503 as before, with what is left of it');
      assert.equal((await ask(app, 'alice')).json.access_token, 'tok-1-alice', 'in the quiet period: the cached token');
      assert.equal((await ask(app, 'bob')).status, 503, 'a user with nothing cached still waits out the quiet period');
      assert.equal(tenant.tokenCalls(), calls, 'nothing asked of the tenant in the quiet period');

      clock.advance(540_000);
      const fresh = (await ask(app, 'alice', true)).json.access_token;
      assert.equal(fresh, `tok-${calls + 1}-alice`, 'after the quiet period the refresh goes through');
      assert.equal((await ask(app, 'alice')).json.access_token, fresh, 'and replaces the cached token');
    } finally {
      await app.close();
    }
  });

  test('a refresh that failed gives its per-user claim back: the next flag refreshes, a success holds the claim again', async () => {
    const app = await mount({ clock: testClock(), refreshIntervalSeconds: 30 });
    try {
      assert.equal((await ask(app, 'alice')).json.access_token, 'tok-1-alice');
      tenant.reply = () => unavailable;
      assert.equal((await ask(app, 'alice', true)).status, 502);
      tenant.reply = () => undefined;
      assert.equal((await ask(app, 'alice', true)).json.access_token, 'tok-3-alice', 'the kept token may be the one the engine refused: the next flag tries again');
      assert.equal((await ask(app, 'alice', true)).json.access_token, 'tok-3-alice', 'within the interval of a refresh that worked: the cache');
      assert.equal(tenant.tokenCalls('alice'), 3);
    } finally {
      await app.close();
    }
  });

  test('a request that joined a refresh under way gets the cached token when the refresh fails', async () => {
    let hold: ((answer: Response) => void) | undefined;
    let held: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => (held = resolve));
    const gated: typeof fetch = (input, init) => {
      if (!hold) return fetch(input, init);
      held();
      return new Promise<Response>((resolve) => (hold = resolve));
    };
    const app = await mount({ fetch: gated, refreshIntervalSeconds: 0 });
    try {
      assert.equal((await ask(app, 'alice')).json.access_token, 'tok-1-alice');
      hold = () => undefined;
      const flagged = ask(app, 'alice', true);
      await reached;
      const hits = app.handler.stats().hits;
      const joined = ask(app, 'alice');
      await until(() => app.handler.stats().hits > hits);
      hold(new Response(JSON.stringify(unavailable.json), { status: 503, headers: { 'content-type': 'application/json' } }));
      const [refresh, other] = await Promise.all([flagged, joined]);
      assert.deepEqual([refresh.status, refresh.json.error], [502, 'upstream_failed']);
      assert.deepEqual([other.status, other.json.access_token], [200, 'tok-1-alice'], 'it did not ask for a refresh: the cached token will do');
      assert.equal(tenant.tokenCalls('alice'), 1);
    } finally {
      await app.close();
    }
  });
});

describe('a refresh that fails keeps the cached token (two instances sharing Redis)', () => {
  let redis: TestRedis;
  const clients: Array<ReturnType<typeof createClient>> = [];
  let a: MountedHandler;
  let b: MountedHandler;

  before(async () => {
    redis = await startRedis();
    const encryptionKey = newEncryptionKey();
    const clock = testClock();
    const instance = async (): Promise<MountedHandler> => {
      const client = createClient({ socket: { path: redis.socketPath, tls: false } });
      client.on('error', () => undefined);
      clients.push(client);
      await client.connect();
      // A long command deadline: on a loaded machine a slow answer is not an outage.
      const cache = redisTokenCache(client as unknown as RedisClientLike, { keyPrefix: 'refresh-test:', encryptionKey, commandTimeoutMs: 4000 });
      return mount({ cache, clock });
    };
    [a, b] = [await instance(), await instance()];
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await Promise.all(clients.map((client) => client.quit()));
    await redis?.close();
  });

  test('5xx, 429 and the shared quiet period: the other instance keeps serving the token from Redis', async () => {
    // One user per failure: the flag's per-user claim lives in Redis, in real time.
    const users = ['dana', 'erin', 'fay'];
    const cached = new Map<string, unknown>();
    for (const user of users) {
      const first = (await ask(a, user)).json.access_token;
      assert.equal((await ask(b, user)).json.access_token, first, 'shared through Redis');
      cached.set(user, first);
    }

    tenant.reply = () => unavailable;
    const failed = await ask(a, 'dana', true);
    assert.deepEqual([failed.status, failed.json.error], [502, 'upstream_failed']);
    tenant.reply = () => undefined;
    assert.equal((await ask(b, 'dana')).json.access_token, cached.get('dana'), 'after a 5xx on A: B serves the token from Redis');
    assert.equal((await ask(a, 'dana')).json.access_token, cached.get('dana'), 'and so does A');
    const retried = (await ask(b, 'dana', true)).json.access_token;
    assert.notEqual(retried, cached.get('dana'), 'the failed refresh on A gave its claim in Redis back: a flag on B refreshes');
    assert.equal((await ask(a, 'dana')).json.access_token, retried, 'and A serves the new token');

    tenant.reply = () => rateLimitedReply('600');
    const limited = await ask(b, 'erin', true);
    assert.deepEqual([limited.status, limited.json.error, limited.headers['retry-after']], [503, 'rate_limited', '600']);
    tenant.reply = () => undefined;
    assert.equal((await ask(a, 'erin')).json.access_token, cached.get('erin'), 'after a 429 on B: A serves the token from Redis');
    assert.equal((await ask(b, 'erin')).json.access_token, cached.get('erin'));
    const calls = tenant.tokenCalls();

    // A learns of B's quiet period from Redis.
    const quiet = await ask(a, 'fay', true);
    assert.deepEqual([quiet.status, quiet.json.error], [503, 'rate_limited']);
    assert.ok(Number(quiet.headers['retry-after']) > 0, 'with Retry-After');
    assert.equal((await ask(b, 'fay')).json.access_token, cached.get('fay'), 'in the quiet period: B serves the token from Redis');
    assert.equal((await ask(a, 'fay')).json.access_token, cached.get('fay'));
    assert.equal(tenant.tokenCalls(), calls, 'nothing asked of the tenant in the quiet period');
  });
});
