/**
 * The impersonation handler at scale: 4 backend processes sharing one real `redis-server` (unix
 * socket in a temp dir), against a stand-in tenant that counts upstream calls.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { createClient } from 'redis';
import IORedis from 'ioredis';
import { REFRESH_HEADER, redisTokenCache, type CachedToken, type RedisClientLike } from '../../src/server/index.ts';
import { request, type Answer } from '../support/impersonation-http.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';
import { rateLimitedReply, startStandInTenant, type StandInTenant } from '../support/stand-in-tenant.ts';
import { newEncryptionKey, startWorkers, stopWorkers, type Worker, type WorkerConfig } from '../support/impersonation-workers.ts';

const KEY_PREFIX = 'embed-kit-test:';
/** A Redis command this slow means the store is down; a loaded CI machine is not that (the default 250 ms is for production). */
const LOADED_MACHINE_COMMAND_MS = 4000;
let redis: TestRedis;
let tenant: StandInTenant;
let workers: Worker[];
let config: WorkerConfig;
const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });

before(async () => {
  [redis, tenant] = await Promise.all([startRedis(), startStandInTenant()]);
  config = {
    tenantUrl: tenant.url,
    clientId: 'backend',
    clientSecret: 'backend-secret',
    redisSocket: redis.socketPath,
    keyPrefix: KEY_PREFIX,
    encryptionKey: newEncryptionKey(),
    // Generous: 2 cores carry 4 instances, the tenant, Redis and 2,000 sockets here.
    timeoutMs: 5000,
    requestTimeoutMs: 20_000,
    cacheRetryMs: 50,
    commandTimeoutMs: LOADED_MACHINE_COMMAND_MS,
    lockTtlMs: 10_000,
  };
  workers = await startWorkers(4, config);
});
after(async () => {
  agent.destroy();
  await stopWorkers(workers ?? []);
  await Promise.all([redis?.close(), tenant?.close()]);
});
beforeEach(() => tenant.reset());

// Long client timeouts: a hanging handler still fails the test, a loaded machine does not.
const ask = (worker: Worker, user: string, headers?: Record<string, string>): Promise<Answer> =>
  request(`${worker.origin}/access-token`, { user, agent, timeoutMs: 60_000, ...(headers ? { headers } : {}) });

/** After an outage: asks each instance until every one is back on Redis (each tries it again after cacheRetryMs). */
async function untilBackOnRedis(targets: readonly Worker[], probe: string): Promise<void> {
  for (let round = 0; ; round += 1) {
    const back = await Promise.all(targets.map(async (w, i) => (await ask(w, `${probe}-${round}-${i}`)).status === 200 && (await w.stats()).cacheAvailable));
    if (back.every(Boolean)) return;
    assert.ok(round < 500, 'every instance is back on Redis');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs the tasks with at most `limit` in flight; results in task order. */
async function pool<T>(limit: number, tasks: ReadonlyArray<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await (tasks[index] as () => Promise<T>)();
      }
    }),
  );
  return results;
}

async function totalUpstreamCalls(): Promise<number> {
  const stats = await Promise.all(workers.map((w) => w.stats()));
  return stats.reduce((sum, s) => sum + s.upstreamCalls, 0);
}

async function redisClient(): Promise<ReturnType<typeof createClient>> {
  const client = createClient({ socket: { path: redis.socketPath, tls: false } });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

describe('4 instances sharing one Redis', () => {
  test('2,000 concurrent requests for one user across the 4 instances: exactly 1 upstream call', async () => {
    const before = await totalUpstreamCalls();
    const answers = await Promise.all(Array.from({ length: 2000 }, (_, i) => ask(workers[i % 4] as Worker, 'one-user')));
    assert.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
    assert.equal(new Set(answers.map((a) => a.json.access_token)).size, 1, 'one token for everyone');
    assert.equal(tenant.tokenCalls('one-user'), 1);
    assert.equal((await totalUpstreamCalls()) - before, 1, "the instances' own counters agree");
  });

  test('1,000 distinct users, each asked on two instances at once: 1,000 upstream calls, then none for the same users', async () => {
    const users = Array.from({ length: 1000 }, (_, i) => `many-${i}`);
    const pairs = await pool(
      64,
      users.map((user, i) => () => Promise.all([ask(workers[i % 4] as Worker, user), ask(workers[(i + 1) % 4] as Worker, user)])),
    );
    const first = pairs.flat();
    assert.ok(first.every((a) => a.status === 200));
    assert.ok(pairs.every(([a, b]) => a.json.access_token === b.json.access_token), 'both instances handed out the same token');
    assert.equal(tenant.tokenCalls(), 1000);
    assert.equal(new Set(tenant.calls.map((c) => c.user)).size, 1000, 'one call per user');
    const again = await pool(
      128,
      users.map((user, i) => () => ask(workers[(i + 2) % 4] as Worker, user)),
    );
    assert.ok(again.every((a) => a.status === 200));
    assert.equal(tenant.tokenCalls(), 1000, 'no upstream call for users already cached, on any instance');
    assert.deepEqual(
      again.map((a) => a.json.access_token),
      pairs.map(([a]) => a.json.access_token),
    );
  });

  test('revoke on one instance: the tenant is told, and no instance hands out the revoked token; the next request goes upstream', async () => {
    const answers = await Promise.all(workers.map((w) => ask(w, 'leaving-user')));
    const revoked = answers[0]?.json.access_token;
    assert.equal(tenant.tokenCalls('leaving-user'), 1);
    assert.equal(await workers[0]?.revoke('leaving-user'), true);
    assert.deepEqual(tenant.revoked, [revoked]);
    for (const worker of workers.slice(1)) {
      const answer = await ask(worker, 'leaving-user');
      assert.equal(answer.status, 200);
      assert.notEqual(answer.json.access_token, revoked, 'the revoked token is gone from every instance');
    }
    assert.equal(tenant.tokenCalls('leaving-user'), 2, 'the first request after the revoke went upstream, the others shared its token');
    assert.equal(await workers[2]?.revoke('nobody-cached'), false, 'nothing to revoke');

    await ask(workers[1] as Worker, 'evicted-user');
    await workers[3]?.evict('evicted-user');
    await ask(workers[2] as Worker, 'evicted-user');
    assert.equal(tenant.tokenCalls('evicted-user'), 2, 'evict on one instance: the next request goes upstream');
  });

  test('tokens in Redis are ciphertext: no token, user or encoding of them without the key; a value moved to another key does not open', async () => {
    const answers = await Promise.all(workers.map((w) => ask(w, 'secret-keeper')));
    const token = answers[0]?.json.access_token;
    assert.equal(typeof token, 'string');
    const client = await redisClient();
    try {
      const names = await client.keys(`${KEY_PREFIX}*`);
      assert.ok(names.length > 0);
      const values = await Promise.all(names.map((name) => client.get(name)));
      const dump = [...names, ...values].join('\n');
      for (const secret of [String(token), 'secret-keeper']) {
        for (const spelling of [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url'), Buffer.from(secret).toString('hex')]) {
          assert.ok(!dump.includes(spelling), `${spelling} is not in Redis`);
        }
      }

      // At the cache level: the right key reads its own entry; another key, or another entry's name, does not.
      const sample: CachedToken = { accessToken: 'sample-token', expiresAt: Date.now() + 60_000, reuseUntil: Date.now() + 60_000 };
      const right = redisTokenCache(client as unknown as RedisClientLike, { keyPrefix: 'crypto:', encryptionKey: config.encryptionKey, commandTimeoutMs: LOADED_MACHINE_COMMAND_MS });
      const wrong = redisTokenCache(client as unknown as RedisClientLike, { keyPrefix: 'crypto:', encryptionKey: newEncryptionKey(), commandTimeoutMs: LOADED_MACHINE_COMMAND_MS });
      await right.set('k1', sample);
      const [rightName] = await client.keys('crypto:tok:*');
      assert.deepEqual(await right.get('k1'), sample);
      await wrong.set('k1', { ...sample, accessToken: 'other' });
      const wrongName = (await client.keys('crypto:tok:*')).find((name) => name !== rightName) as string;
      await client.set(wrongName, (await client.get(rightName as string)) as string);
      assert.equal(await wrong.get('k1'), undefined, 'the ciphertext does not open under another key');
      await right.set('k2', sample);
      const k2Name = (await client.keys('crypto:tok:*')).find((name) => name !== rightName && name !== wrongName) as string;
      await client.set(k2Name, (await client.get(rightName as string)) as string);
      assert.equal(await right.get('k2'), undefined, "a value moved to another user's key does not open (the key name is authenticated)");
    } finally {
      await client.quit();
    }
  });

  test('ioredis works through the same adapter', async () => {
    const client = new IORedis({ path: redis.socketPath });
    try {
      const cache = redisTokenCache(client, { keyPrefix: 'ioredis:', encryptionKey: config.encryptionKey, commandTimeoutMs: LOADED_MACHINE_COMMAND_MS });
      const sample: CachedToken = { accessToken: 'io-token', expiresAt: Date.now() + 60_000, reuseUntil: Date.now() + 60_000 };
      let loads = 0;
      const load = async (): Promise<CachedToken> => {
        loads += 1;
        return sample;
      };
      const results = await Promise.all(Array.from({ length: 5 }, () => cache.singleFlight?.('io', load, { deadline: Date.now() + 5000 })));
      assert.equal(loads, 1);
      assert.ok(results.every((r) => r?.token.accessToken === 'io-token'));
      assert.equal(await cache.claim?.('io', 60_000), true);
      assert.equal(await cache.claim?.('io', 60_000), false);
      await cache.delete('io');
      assert.equal(await cache.get('io'), undefined);
    } finally {
      client.disconnect();
    }
  });

  test(`${REFRESH_HEADER} after an engine 401: 50 flagged requests for one user across the 4 instances make exactly 1 more upstream call`, async () => {
    const before = await Promise.all(workers.map((w) => ask(w, 'refreshing-user')));
    assert.equal(tenant.tokenCalls('refreshing-user'), 1);
    const stale = before[0]?.json.access_token;
    const flag = (i: number): Promise<Answer> => ask(workers[i % 4] as Worker, 'refreshing-user', { [REFRESH_HEADER]: '1' });
    // 8 one after another (twice round the instances, so each sees a flag after another one
    // refreshed), then the other 42 at once.
    const flagged: Answer[] = [];
    for (let i = 0; i < 8; i += 1) flagged.push(await flag(i));
    flagged.push(...(await Promise.all(Array.from({ length: 42 }, (_, i) => flag(i)))));
    assert.deepEqual([...new Set(flagged.map((a) => a.status))], [200]);
    assert.equal(tenant.tokenCalls('refreshing-user'), 2, 'one refresh for the user, whichever instances the flags reached');
    const after = await Promise.all(workers.map((w) => ask(w, 'refreshing-user')));
    const fresh = new Set(after.map((a) => a.json.access_token));
    assert.equal(fresh.size, 1, 'every instance hands out the refreshed token');
    assert.ok(!fresh.has(stale), 'not the token the engine refused');
    assert.equal(tenant.tokenCalls('refreshing-user'), 2);
  });

  test('Redis killed mid-run: no failed request, each instance serves from its own cache, the outage reported once per instance; recovery once Redis is back', async () => {
    const users = Array.from({ length: 20 }, (_, i) => `outage-${i}`);
    const statuses: number[] = [];
    let killed: Promise<void> | undefined;
    let callsAtKill = 0;
    // 400 requests, 16 in flight; every user is asked on every instance (request i: instance i % 4,
    // user floor(i / 4) % 20), so all 20 are in Redis well before it dies after the 100th answer.
    const reportsBefore = workers.map((w) => w.errors.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < 400) {
          const i = next++;
          const answer = await ask(workers[i % 4] as Worker, users[Math.floor(i / 4) % users.length] as string);
          statuses.push(answer.status);
          if (statuses.length === 100) {
            callsAtKill = tenant.tokenCalls();
            killed = redis.kill();
          }
        }
      }),
    );
    await killed;
    // Whichever instance had no request after the kill gets one now.
    for (const worker of workers) statuses.push((await ask(worker, 'outage-0')).status);
    assert.equal(statuses.length, 404);
    assert.deepEqual([...new Set(statuses)], [200], 'every request was served through the outage');
    assert.ok(callsAtKill <= users.length, 'before the outage: at most one upstream call per user');
    // About 300 requests came after the kill; without a per-process cache each would go upstream.
    // Bound: once per user per instance, plus the first fetch of a user not yet fetched at the kill.
    const duringOutage = tenant.tokenCalls() - callsAtKill;
    const bound = users.length * workers.length + (users.length - callsAtKill);
    assert.ok(duringOutage <= bound, `at most one upstream call per user per instance during the outage: ${duringOutage} calls, bound ${bound}`);
    for (const [i, worker] of workers.entries()) {
      assert.deepEqual(
        worker.errors.slice(reportsBefore[i]).map((e) => e.code),
        ['cache_unavailable'],
        'the outage is reported once, and nothing else went wrong',
      );
      assert.equal((await worker.stats()).cacheAvailable, false);
    }

    await redis.start();
    await untilBackOnRedis(workers, 'probe');
    tenant.calls.length = 0;
    const after = await Promise.all(Array.from({ length: 200 }, (_, i) => ask(workers[i % 4] as Worker, 'after-recovery')));
    assert.ok(after.every((a) => a.status === 200));
    assert.equal(tenant.tokenCalls('after-recovery'), 1, 'shared single-flight works again');
  });

  test('revoke while Redis is down: the token the instance held is revoked, but revoke rejects with cache_unavailable, because the shared copy survives', async () => {
    const [holder, other] = workers as [Worker, Worker];
    await untilBackOnRedis(workers, 'before-partial');
    const shared = (await ask(other, 'partial-revoke')).json.access_token;
    // Redis goes down and comes back with its data, as one with snapshots does: SAVE, crash, restart.
    const client = await redisClient();
    await client.sendCommand(['SAVE']);
    await client.quit();
    await redis.kill();
    try {
      const during = await ask(holder, 'partial-revoke');
      assert.equal(during.status, 200);
      assert.notEqual(during.json.access_token, shared, 'fetched anew and kept in its own cache through the outage');
      const partial = /the shared token cache is unavailable: the token this instance held was revoked at the tenant/;
      await assert.rejects(holder.revoke('partial-revoke'), partial);
      // The reply and onError's report share one IPC channel, in order: the report is in by now.
      assert.ok(
        holder.errors.some((e) => e.code === 'cache_unavailable' && partial.test(e.message)),
        'onError heard of the partial revoke',
      );
      assert.equal(tenant.revoked.at(-1), during.json.access_token, 'the token the instance held is revoked at the tenant');
    } finally {
      // Back with the saved data, whatever happened above: the tests after this one need Redis.
      await redis.start();
      rmSync(path.join(path.dirname(redis.socketPath), 'dump.rdb'), { force: true });
    }
    await untilBackOnRedis([other], 'after-partial');
    assert.equal((await ask(other, 'partial-revoke')).json.access_token, shared, 'the copy revoke could not reach is still handed out: that is what the rejection said');
    await untilBackOnRedis([holder], 'after-partial-holder');
    assert.equal(await holder.revoke('partial-revoke'), true, 'revoked again once Redis is back');
    assert.equal(tenant.revoked.at(-1), shared);
    assert.notEqual((await ask(other, 'partial-revoke')).json.access_token, shared);
  });
});

describe('the tenant answers 429 to 4 instances', () => {
  let quiet: Worker[] = [];
  before(async () => {
    // Their own processes and key prefix: the quiet period they share outlasts this test.
    quiet = await startWorkers(4, { ...config, keyPrefix: 'embed-kit-test-quiet:' });
  });
  after(() => stopWorkers(quiet));

  test('the quiet period after a 429 is shared: the 4 instances make at most 2 upstream calls (the call and its one retry) within its Retry-After', async () => {
    // The first answer asks for no wait, so the lock holder retries at once; the retry's answer
    // asks for 10 minutes, past every request's deadline, so the window outlasts the test.
    tenant.reply = (call) => rateLimitedReply(call.n === 1 ? '0' : '600');
    const oneUser = await Promise.all(Array.from({ length: 40 }, (_, i) => ask(quiet[i % 4] as Worker, 'busy-user')));
    const manyUsers = await Promise.all(Array.from({ length: 40 }, (_, i) => ask(quiet[i % 4] as Worker, `busy-${i}`)));
    for (const answer of [...oneUser, ...manyUsers]) {
      assert.equal(answer.status, 503);
      assert.equal(answer.json.error, 'rate_limited');
      const retryAfter = Number(answer.headers['retry-after']);
      assert.ok(retryAfter > 0 && retryAfter <= 600, `Retry-After ${String(answer.headers['retry-after'])}: what is left of the tenant's 600 s`);
    }
    assert.equal(tenant.tokenCalls(), 2, 'the instances that took the lock after the holder, and those asked for other users, asked the tenant nothing');
    const stats = await Promise.all(quiet.map((w) => w.stats()));
    assert.equal(
      stats.reduce((sum, s) => sum + s.upstreamCalls, 0),
      2,
    );
  });
});

describe('a crashed lock holder', () => {
  let pair: Worker[] = [];
  before(async () => {
    // A short lock lifetime, so that the crashed holder's lock expires soon.
    pair = await startWorkers(2, { ...config, lockTtlMs: 1000 });
  });
  after(() => stopWorkers(pair));

  test('a live holder renews its lock: a call that outlasts the lock lifetime still makes one upstream call', async () => {
    const [holder, waiter] = pair as [Worker, Worker];
    tenant.reply = (call) => (call.user === 'slow' ? 'hang' : undefined);
    const first = ask(holder, 'slow');
    await tenant.callsReached(1);
    const second = ask(waiter, 'slow');
    // Hold the tenant's answer until Redis shows the lock renewed four times (past its 1 s lifetime).
    const client = await redisClient();
    try {
      const [lockName] = await client.keys(`${KEY_PREFIX}lock:*`);
      assert.ok(lockName, 'the holder took the lock');
      let renewals = 0;
      for (let last = await client.pTTL(lockName); renewals < 4; ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const ttl = await client.pTTL(lockName);
        assert.ok(ttl > 0, 'the lock never lapsed');
        if (ttl > last) renewals += 1;
        last = ttl;
      }
    } finally {
      await client.quit();
    }
    tenant.release();
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.status, 200);
    assert.equal(b.json.access_token, a.json.access_token);
    assert.equal(tenant.tokenCalls('slow'), 1);
  });

  test('a lock holder killed mid-call: a waiter on another instance takes over once the lock expires', async () => {
    const [waiter, victim] = pair as [Worker, Worker];
    tenant.reply = (call) => (call.user === 'held' && call.n === 1 ? 'hang' : undefined);
    const victimAnswer = ask(victim, 'held').catch((error: unknown) => error);
    await tenant.callsReached(1);
    const before = (await waiter.stats()).lockWaits;
    // The holder dies only once the waiter is seen polling its lock (SET NX tried again), so the
    // waiter waits on it however slow this machine is, instead of finding it already expired.
    const client = await redisClient();
    let waiting: Promise<Answer>;
    try {
      const lockTries = async (): Promise<number> => Number(/cmdstat_set:calls=(\d+)/.exec(String(await client.sendCommand(['INFO', 'commandstats'])))?.[1] ?? 0);
      const triesBefore = await lockTries();
      waiting = ask(waiter, 'held');
      for (let round = 0; (await lockTries()) < triesBefore + 2; round += 1) {
        assert.ok(round < 3000, 'the waiter polls the lock');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      await client.quit();
    }
    await victim.kill();
    const answer = await waiting;
    assert.equal(answer.status, 200, 'served within the request deadline');
    assert.equal(answer.json.access_token, 'tok-2-held', 'the waiter made the second call');
    assert.equal(tenant.tokenCalls('held'), 2);
    assert.equal((await waiter.stats()).lockWaits, before + 1, 'it waited on the dead holder’s lock first');
    assert.ok((await victimAnswer) instanceof Error, 'the killed instance never answered');
  });
});
