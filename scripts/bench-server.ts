/**
 * `createImpersonationTokenHandler` throughput and p99 latency, over loopback, against the dev
 * tenant: the handler on a node http server, requests shaped as a browser sends them (Origin, a
 * `sid` cookie standing in for the site's session), a fixed number in flight.
 *
 * - one user: every request after the first is a cache hit (the handler's own cost).
 * - 1,000 distinct users, each asked once with a cold cache: every request is an upstream
 *   impersonation call to the tenant (oidc-provider issuing and storing a token).
 *
 * - benchRedisScaleOut(): the same for 1 and 4 processes sharing a Redis token cache.
 *
 * `npm run bench` calls both; run this file directly to print the numbers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { DEFAULT_USERS, IMPERSONATION_GRANT, startDevTenant, type DevTenant, type DevTenantUser } from '../src/dev-tenant/index.ts';
import { BACKEND_CLIENT_ID, BACKEND_CLIENT_SECRET } from '../src/dev-tenant/clients.ts';
import { createImpersonationTokenHandler } from '../src/server/index.ts';
import { sessionUser } from '../test/support/impersonation-http.ts';
import { newEncryptionKey, startWorkers, stopWorkers } from '../test/support/impersonation-workers.ts';
import { startRedis } from '../test/support/redis-server.ts';
import { startStandInTenant } from '../test/support/stand-in-tenant.ts';

export interface HandlerBenchResult {
  rps: number;
  p99ms: number;
}

const CONCURRENCY = 32;
const ONE_USER_REQUESTS = 5_000;
const DISTINCT_USERS = 1_000;
const WARMUP_USERS = 100;

/** `bench|user-0042` ↔ a 24-hex-digit Qlik user id. */
function benchUsers(count: number): DevTenantUser[] {
  return Array.from({ length: count }, (_, i) => ({
    id: (0xbe0000000000 + i).toString(16).padStart(24, '0'),
    subject: `bench|user-${String(i).padStart(4, '0')}`,
    name: `Bench User ${i}`,
    username: `bench-${i}`,
  }));
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

interface Target {
  url: string;
  origin: string;
  agent: http.Agent;
}

function post(target: Target, subject: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = { origin: target.origin, cookie: `sid=${encodeURIComponent(subject)}`, 'content-length': 0 };
    const req = http.request(target.url, { method: 'POST', agent: target.agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends one request per subject, `CONCURRENCY` in flight, round-robin over the targets; every answer must be 200. */
async function run(targets: Target | readonly Target[], subjects: readonly string[]): Promise<HandlerBenchResult> {
  const list = Array.isArray(targets) ? targets : [targets as Target];
  const latencies: number[] = new Array<number>(subjects.length);
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < subjects.length) {
      const index = next++;
      const t0 = performance.now();
      const status = await post(list[index % list.length] as Target, subjects[index] as string);
      latencies[index] = performance.now() - t0;
      if (status !== 200) throw new Error(`bench request for ${subjects[index]} answered ${status}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, subjects.length) }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rps: subjects.length / seconds, p99ms: percentile(latencies, 99) };
}

async function withHandler<T>(tenant: DevTenant, work: (target: Target) => Promise<T>): Promise<T> {
  const handler = createImpersonationTokenHandler({
    host: tenant.url,
    clientId: BACKEND_CLIENT_ID,
    clientSecret: BACKEND_CLIENT_SECRET,
    // Stands in for the site's session lookup.
    resolveUser: sessionUser,
    maxCachedUsers: 2 * DISTINCT_USERS,
    onError: (error) => console.error(`bench: ${error.code}: ${error.message}`),
  });
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    return await work({ url: `${origin}/access-token`, origin, agent });
  } finally {
    agent.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * Requests per second and p99 milliseconds for one user (cache hits) and for 1,000 distinct
 * users (one upstream call each). Throws if the upstream call counts are not what the cache
 * and single-flight promise: 1 for the one user, 1,000 for the 1,000.
 */
export async function benchImpersonationHandler(): Promise<{ oneUser: HandlerBenchResult; thousandUsers: HandlerBenchResult }> {
  const users = benchUsers(DISTINCT_USERS + WARMUP_USERS);
  const tenant = await startDevTenant({ port: 0, users: [...DEFAULT_USERS, ...users] });
  const upstream = (): number => tenant.stats.tokenRequests[IMPERSONATION_GRANT] ?? 0;
  try {
    const oneUser = await withHandler(tenant, async (target) => {
      await run(target, Array.from({ length: 2_000 }, () => 'auth0|alice'));
      return run(target, Array.from({ length: ONE_USER_REQUESTS }, () => 'auth0|alice'));
    });
    if (upstream() !== 1) throw new Error(`one user made ${upstream()} upstream calls, not 1`);

    tenant.stats.reset();
    const thousandUsers = await withHandler(tenant, async (target) => {
      // Warm up on users outside the measured set, so that every measured request is a miss.
      await run(target, users.slice(DISTINCT_USERS).map((u) => u.subject));
      return run(target, users.slice(0, DISTINCT_USERS).map((u) => u.subject));
    });
    if (upstream() !== DISTINCT_USERS + WARMUP_USERS) throw new Error(`1,000 users made ${upstream() - WARMUP_USERS} upstream calls, not 1,000`);
    return { oneUser, thousandUsers };
  } finally {
    await tenant.close();
  }
}

export function formatImpersonationBench(result: { oneUser: HandlerBenchResult; thousandUsers: HandlerBenchResult }): string[] {
  const line = (label: string, r: HandlerBenchResult) => `${label}: ${Math.round(r.rps).toLocaleString('en-US')} req/s, p99 ${r.p99ms.toFixed(1)} ms`;
  return [
    `impersonation token handler over loopback, ${CONCURRENCY} in flight, against the dev tenant:`,
    `  ${line(`1 user (${ONE_USER_REQUESTS.toLocaleString('en-US')} requests, cache hits)`, result.oneUser)}`,
    `  ${line(`${DISTINCT_USERS.toLocaleString('en-US')} distinct users (one upstream call each)`, result.thousandUsers)}`,
  ];
}

export interface ScaleOutResult {
  processes: number;
  oneUser: HandlerBenchResult & { upstreamCalls: number };
  thousandUsers: HandlerBenchResult & { upstreamCalls: number };
}

/**
 * The Redis token cache across processes: N backend instances (child processes, each the handler
 * with `redisTokenCache` on one local redis-server), requests round-robin over them, against a
 * stand-in tenant that answers at once, so the numbers are the handler's and Redis's own cost.
 * Hand-rolled client (the one above) rather than autocannon: it sends a different session per
 * request and counts per-request latency without another dependency.
 */
export async function benchRedisScaleOut(processCounts: readonly number[] = [1, 4]): Promise<ScaleOutResult[]> {
  const [redis, tenant] = await Promise.all([startRedis(), startStandInTenant()]);
  const results: ScaleOutResult[] = [];
  try {
    for (const processes of processCounts) {
      const workers = await startWorkers(processes, {
        tenantUrl: tenant.url,
        clientId: 'bench-backend',
        clientSecret: 'bench-secret',
        redisSocket: redis.socketPath,
        keyPrefix: `bench-${processes}:`,
        encryptionKey: newEncryptionKey(),
        timeoutMs: 10_000,
        requestTimeoutMs: 30_000,
        commandTimeoutMs: 2000,
      });
      const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
      const targets = workers.map((w) => ({ url: `${w.origin}/access-token`, origin: w.origin, agent }));
      try {
        const before = tenant.tokenCalls();
        const users = Array.from({ length: DISTINCT_USERS + WARMUP_USERS }, (_, i) => `bench|${processes}-${i}`);
        await run(targets, users.slice(DISTINCT_USERS)); // warm-up: connections, JIT
        const warm = tenant.tokenCalls();
        const thousandUsers = await run(targets, users.slice(0, DISTINCT_USERS));
        const thousandCalls = tenant.tokenCalls() - warm;
        const oneStart = tenant.tokenCalls();
        const oneUser = await run(targets, Array.from({ length: ONE_USER_REQUESTS }, () => `bench|${processes}-one`));
        const oneCalls = tenant.tokenCalls() - oneStart;
        if (oneCalls !== 1 || thousandCalls !== DISTINCT_USERS) throw new Error(`${processes} processes: ${oneCalls} upstream calls for 1 user, ${thousandCalls} for ${DISTINCT_USERS} (warm-up ${warm - before})`);
        results.push({ processes, oneUser: { ...oneUser, upstreamCalls: oneCalls }, thousandUsers: { ...thousandUsers, upstreamCalls: thousandCalls } });
      } finally {
        agent.destroy();
        await stopWorkers(workers);
      }
    }
  } finally {
    await Promise.all([redis.close(), tenant.close()]);
  }
  return results;
}

export function formatRedisScaleOut(results: readonly ScaleOutResult[]): string[] {
  const cell = (r: HandlerBenchResult & { upstreamCalls: number }) =>
    `${Math.round(r.rps).toLocaleString('en-US')} req/s, p99 ${r.p99ms.toFixed(1)} ms, ${r.upstreamCalls.toLocaleString('en-US')} upstream`;
  return [
    `impersonation handler with redisTokenCache (one redis-server), ${CONCURRENCY} in flight round-robin, stand-in tenant:`,
    ...results.map((r) => `  ${r.processes} process${r.processes === 1 ? ' ' : 'es'}: 1 user (${ONE_USER_REQUESTS.toLocaleString('en-US')} requests) ${cell(r.oneUser)}; ${DISTINCT_USERS.toLocaleString('en-US')} users cold ${cell(r.thousandUsers)}`),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = performance.now();
  const result = await benchImpersonationHandler();
  for (const line of formatImpersonationBench(result)) console.log(line);
  for (const line of formatRedisScaleOut(await benchRedisScaleOut())) console.log(line);
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
