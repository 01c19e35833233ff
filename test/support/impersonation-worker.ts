/**
 * One backend instance in its own process, for the multi-instance tests and the bench: the
 * impersonation handler with a Redis token cache on a loopback port. Started by
 * `startWorkers()` (./impersonation-workers.ts); configured through EMBED_KIT_WORKER (JSON), it
 * answers `stats`, `evict` and `revoke` over the IPC channel and exits when the parent goes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import { createImpersonationTokenHandler, redisTokenCache, type RedisClientLike, type TokenCache } from '../../src/server/index.ts';
import { sessionUser } from './impersonation-http.ts';
import type { WorkerConfig, WorkerMessage, WorkerRequest } from './impersonation-workers.ts';

const config = JSON.parse(process.env.EMBED_KIT_WORKER ?? '{}') as WorkerConfig;
const send = (message: WorkerMessage): void => void process.send?.(message);

async function connect(): Promise<RedisClientLike> {
  // Reconnect quickly in tests; a site picks its own strategy.
  if (config.client === 'ioredis') return new (await import('ioredis')).default({ path: config.redisSocket, retryStrategy: (times) => Math.min(10 * 2 ** times, 100), maxRetriesPerRequest: 1, enableOfflineQueue: false });
  const client = createClient({ disableOfflineQueue: true, socket: { path: config.redisSocket, reconnectStrategy: (retries) => Math.min(10 * 2 ** retries, 100) } });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

const cache: TokenCache = redisTokenCache(await connect(), { keyPrefix: config.keyPrefix, encryptionKey: config.encryptionKey, ...(config.commandTimeoutMs ? { commandTimeoutMs: config.commandTimeoutMs } : {}), ...(config.lockTtlMs ? { lockTtlMs: config.lockTtlMs } : {}) });
const handler = createImpersonationTokenHandler({
  host: config.tenantUrl,
  clientId: config.clientId,
  clientSecret: config.clientSecret,
  resolveUser: sessionUser,
  cache,
  ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
  ...(config.requestTimeoutMs ? { requestTimeoutMs: config.requestTimeoutMs } : {}),
  ...(config.cacheRetryMs ? { cacheRetryMs: config.cacheRetryMs } : {}),
  onError: (error) => send({ type: 'error', code: error.code, message: error.message }),
});
const server = http.createServer(handler);
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

process.on('message', (message: WorkerRequest) => {
  void (async () => {
    try {
      const user = { field: 'subject', value: message.user ?? '' } as const;
      const result = message.op === 'stats' ? handler.stats() : message.op === 'evict' ? await handler.evict(user) : await handler.revoke(user);
      send({ type: 'reply', id: message.id, result: result ?? null });
    } catch (error) {
      send({ type: 'reply', id: message.id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', port: (server.address() as AddressInfo).port });
