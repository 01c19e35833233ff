/**
 * The impersonation handler and the tenant's limits, against a stand-in tenant over real HTTP:
 * 429 with Retry-After, the browser's refresh flag (rate limited per user), stats(), and a cache
 * of the site's own making through the TokenCache interface.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { REFRESH_HEADER, type CachedToken, type ImpersonationHandlerOptions, type TokenCache } from '../../src/server/index.ts';
import { mountHandler, request, testClock, type MountedHandler } from '../support/impersonation-http.ts';
import { rateLimitedReply, startStandInTenant, type StandInTenant } from '../support/stand-in-tenant.ts';

let tenant: StandInTenant;
before(async () => {
  tenant = await startStandInTenant();
});
after(() => tenant.close());
beforeEach(() => tenant.reset());

function mount(overrides: Partial<ImpersonationHandlerOptions> = {}): Promise<MountedHandler> {
  return mountHandler({ host: tenant.url, clientId: 'backend', clientSecret: 'backend-secret', ...overrides });
}

describe('429 from the tenant', () => {
  test('Retry-After honoured: the handler waits as told and retries once', async () => {
    const clock = testClock();
    const app = await mount({ clock });
    try {
      tenant.reply = (call) => (call.n === 1 ? rateLimitedReply('2') : undefined);
      const answer = await request(`${app.origin}/t`, { user: 'alice' });
      assert.equal(answer.status, 200);
      assert.equal(answer.json.access_token, 'tok-2-alice');
      assert.deepEqual(clock.slept, [2000], 'waited the 2 s the tenant asked for');
      assert.equal(tenant.tokenCalls(), 2);
      assert.equal(app.handler.stats().upstreamCalls, 2);
    } finally {
      await app.close();
    }
  });

  test('429 again after the retry: 503 with the Retry-After the tenant gave; the browser sees no tenant text', async () => {
    const clock = testClock();
    const app = await mount({ clock });
    try {
      tenant.reply = (call) => rateLimitedReply(call.n === 1 ? '1' : '7');
      const answer = await request(`${app.origin}/t`, { user: 'alice' });
      assert.equal(answer.status, 503);
      assert.equal(answer.headers['retry-after'], '7');
      assert.deepEqual(answer.json, { error: 'rate_limited', message: 'the analytics tenant is busy; try again shortly' });
      assert.equal(tenant.tokenCalls(), 2, 'one retry, not more');
      const [error] = app.errors;
      assert.equal(error?.code, 'rate_limited');
      assert.equal(error?.retryAfterSeconds, 7);
      assert.equal(error?.upstreamCode, 'HTTP-429');

      // For the next 7 s this instance asks the tenant nothing, for any user; cached tokens still flow.
      tenant.reply = () => undefined;
      const other = await request(`${app.origin}/t`, { user: 'bob' });
      assert.equal(other.status, 503);
      assert.equal(other.headers['retry-after'], '7');
      assert.equal(tenant.tokenCalls(), 2, 'no call during the Retry-After');
      clock.advance(7000);
      assert.equal((await request(`${app.origin}/t`, { user: 'bob' })).status, 200);
      assert.equal(tenant.tokenCalls(), 3);
    } finally {
      await app.close();
    }
  });

  test('a Retry-After past the request deadline: 503 at once, no wait, no retry', async () => {
    const clock = testClock();
    const app = await mount({ clock, requestTimeoutMs: 5000 });
    try {
      tenant.reply = () => rateLimitedReply(new Date(clock.now() + 60_000).toUTCString());
      const answer = await request(`${app.origin}/t`, { user: 'alice' });
      assert.equal(answer.status, 503);
      assert.equal(answer.headers['retry-after'], '60', 'an HTTP-date Retry-After becomes seconds');
      assert.deepEqual(clock.slept, []);
      assert.equal(tenant.tokenCalls(), 1);
    } finally {
      await app.close();
    }
  });

  test('with the real clock: Retry-After 0 is retried right away', async () => {
    const app = await mount();
    try {
      tenant.reply = (call) => (call.n === 1 ? rateLimitedReply('0') : undefined);
      assert.equal((await request(`${app.origin}/t`, { user: 'alice' })).status, 200);
      assert.equal(tenant.tokenCalls(), 2);
    } finally {
      await app.close();
    }
  });
});

describe('the browser asks for a fresh token after an engine 401', () => {
  test(`${REFRESH_HEADER}: 1 fetches anew, at most once per user per refreshIntervalSeconds`, async () => {
    const clock = testClock();
    const app = await mount({ clock, refreshIntervalSeconds: 30 });
    const ask = (user: string, flagged: boolean) => request(`${app.origin}/t`, { user, ...(flagged ? { headers: { [REFRESH_HEADER]: '1' } } : {}) });
    try {
      assert.equal((await ask('alice', false)).json.access_token, 'tok-1-alice');
      assert.equal((await ask('alice', true)).json.access_token, 'tok-2-alice', 'the flag fetched a new token');
      const flood = await Promise.all(Array.from({ length: 50 }, () => ask('alice', true)));
      assert.ok(flood.every((a) => a.json.access_token === 'tok-2-alice'), 'a flood of flags is served from the cache');
      assert.equal(tenant.tokenCalls('alice'), 2);
      assert.equal((await ask('bob', true)).json.access_token, 'tok-3-bob', 'the limit is per user');
      clock.advance(31_000);
      assert.equal((await ask('alice', true)).json.access_token, 'tok-4-alice', 'again after the interval');
      assert.equal((await ask('alice', false)).json.access_token, 'tok-4-alice');
      assert.equal(tenant.tokenCalls(), 4);
    } finally {
      await app.close();
    }
  });
});

describe('stats() and the cache interface', () => {
  test('hits, misses, upstream calls and errors are counted', async () => {
    const app = await mount();
    try {
      await Promise.all(Array.from({ length: 10 }, () => request(`${app.origin}/t`, { user: 'alice' })));
      await request(`${app.origin}/t`, { user: 'alice' });
      tenant.reply = () => ({ status: 400, json: { error: 'invalid_grant', error_description: 'no such user' } });
      await request(`${app.origin}/t`, { user: 'nobody' });
      assert.deepEqual(app.handler.stats(), { hits: 10, misses: 2, upstreamCalls: 2, lockWaits: 0, errors: 1, cacheAvailable: true });
    } finally {
      await app.close();
    }
  });

  test("a cache of the site's own making is used through get/set/delete; when it throws, requests are served without it and it is reported once", async () => {
    const store = new Map<string, CachedToken>();
    let failing = false;
    const calls: string[] = [];
    const check = (op: string): void => {
      calls.push(op);
      if (failing) throw new Error('store down');
    };
    const cache: TokenCache = {
      get: async (key) => (check('get'), store.get(key)),
      set: async (key, token) => void (check('set'), store.set(key, token)),
      delete: async (key) => void (check('delete'), store.delete(key)),
    };
    const clock = testClock();
    const app = await mount({ cache, clock, cacheRetryMs: 1000 });
    try {
      const first = await request(`${app.origin}/t`, { user: 'alice' });
      assert.equal(store.size, 1);
      assert.equal((await request(`${app.origin}/t`, { user: 'alice' })).json.access_token, first.json.access_token);
      assert.deepEqual(calls, ['get', 'set', 'get']);

      failing = true;
      const during = await Promise.all(['alice', 'alice', 'bob'].map((user) => request(`${app.origin}/t`, { user })));
      assert.ok(during.every((a) => a.status === 200));
      assert.deepEqual(
        app.errors.map((e) => e.code),
        ['cache_unavailable'],
      );
      assert.equal(app.handler.stats().cacheAvailable, false);
      calls.length = 0;
      await request(`${app.origin}/t`, { user: 'bob' });
      assert.deepEqual(calls, [], 'not tried again before cacheRetryMs');

      failing = false;
      clock.advance(1000);
      await request(`${app.origin}/t`, { user: 'alice' });
      assert.equal(app.handler.stats().cacheAvailable, true, 'back once it answers');
      assert.equal(app.errors.length, 1);
    } finally {
      await app.close();
    }
  });
});
