/**
 * A `TokenCache` on Redis, shared by every instance of the site's backend.
 *
 * - Tokens are encrypted at rest with AES-256-GCM under a key the site provides; the Redis key
 *   name is bound into the ciphertext (AAD), so a value copied to another user's key does not
 *   decrypt. Key names are an HMAC of tenant host, client id, scope and user: no user id in clear.
 * - Single-flight across instances: `SET lock NX PX`; the others poll with backoff until the token
 *   appears, or the lock is gone (a crashed holder's lock expires) and one of them takes over.
 * - A 429 from the tenant quiets every instance: `quiet` sets a key that expires with the
 *   `Retry-After`, and each instance reads it before it calls the tenant.
 * - Every command has a deadline, so a hung Redis fails fast and the handler serves without it.
 *
 * The client is yours: node-redis (`redis`, v4 or v5, `createClient()`) or `ioredis`, both
 * optional peer dependencies; this module imports neither.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { withDeadline } from './deadline.ts';
import { ImpersonationError } from './errors.ts';
import type { CachedToken, SingleFlightResult, TokenCache } from './token-cache.ts';

/** node-redis (`sendCommand([...])`) or ioredis (`call(name, ...args)`); nothing else is used. */
export type RedisClientLike =
  | { sendCommand(args: string[]): Promise<unknown>; on?(event: string, listener: (...args: unknown[]) => void): unknown }
  | { call(command: string, ...args: string[]): Promise<unknown>; on?(event: string, listener: (...args: unknown[]) => void): unknown };

export interface RedisTokenCacheOptions {
  /** Prepended to every key, e.g. `myapp:qlik:`. Default `embed-kit:`. */
  keyPrefix?: string;
  /** 32 random bytes: a Buffer, or base64 / hex text (`openssl rand -base64 32`). Same on every instance. */
  encryptionKey: Uint8Array | string;
  /** Deadline of one Redis command. Default 250 ms. */
  commandTimeoutMs?: number;
  /**
   * Lifetime of the single-flight lock. Its holder renews it every third of this while it works,
   * so this is how long a crashed holder keeps the others waiting. Default 5000 ms.
   */
  lockTtlMs?: number;
}

/** Thrown when Redis fails or does not answer in time; the handler then serves without it. */
export class TokenCacheUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TokenCacheUnavailableError';
  }
}

const RELEASE_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
/** Sets the quiet period unless a longer one is already under way (PTTL is -2 when there is none). */
const QUIET_SCRIPT = "if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end return 1";
const RENEW_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
const FORMAT = 'v1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FIRST_POLL_MS = 2;
const MAX_POLL_MS = 50;

function keyBytes(value: Uint8Array | string): Buffer {
  let bytes: Buffer | undefined;
  if (value instanceof Uint8Array) bytes = Buffer.from(value);
  else if (typeof value === 'string' && /^[0-9a-f]{64}$/i.test(value.trim())) bytes = Buffer.from(value.trim(), 'hex');
  else if (typeof value === 'string' && /^[A-Za-z0-9+/_-]{43}=?$/.test(value.trim())) bytes = Buffer.from(value.trim(), 'base64');
  if (bytes?.length !== 32) {
    throw new TypeError('redisTokenCache: `encryptionKey` must be 32 random bytes: a Buffer, or 44-character base64 / 64-digit hex text (make one with `openssl rand -base64 32`).');
  }
  return bytes;
}

function commandRunner(client: RedisClientLike): (args: string[]) => Promise<unknown> {
  if ('call' in client && typeof client.call === 'function') return (args) => client.call(args[0] as string, ...args.slice(1));
  if ('sendCommand' in client && typeof client.sendCommand === 'function') return (args) => client.sendCommand(args);
  throw new TypeError('redisTokenCache: pass a connected node-redis client (`createClient()` from `redis`) or an ioredis client.');
}

/**
 * ```ts
 * import { createClient } from 'redis';
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const cache = redisTokenCache(client, { keyPrefix: 'shop:qlik:', encryptionKey: process.env.TOKEN_CACHE_KEY! });
 * ```
 */
export function redisTokenCache(client: RedisClientLike, options: RedisTokenCacheOptions): TokenCache {
  if (typeof client !== 'object' || client === null) throw new TypeError('redisTokenCache: a Redis client is required.');
  const run = commandRunner(client);
  const master = keyBytes(options.encryptionKey);
  const encKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'embed-kit token cache v1: encryption', 32));
  const nameKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'embed-kit token cache v1: key names', 32));
  const prefix = options.keyPrefix ?? 'embed-kit:';
  const timeoutMs = options.commandTimeoutMs ?? 250;
  const lockTtlMs = Math.max(30, Math.floor(options.lockTtlMs ?? 5000));
  // The client's own reconnect logic brings it back; without a listener a connection error
  // event would end the process. Failures reach the site through the handler's onError.
  client.on?.('error', () => undefined);

  const name = (kind: 'tok' | 'lock' | 'claim' | 'quiet', key: string): string => `${prefix}${kind}:${createHmac('sha256', nameKey).update(key).digest('base64url')}`;

  async function command(args: string[]): Promise<unknown> {
    try {
      return await withDeadline(run(args), timeoutMs, () => new TokenCacheUnavailableError(`Redis ${args[0]} got no answer within ${timeoutMs} ms`));
    } catch (error) {
      if (error instanceof TokenCacheUnavailableError) throw error;
      throw new TokenCacheUnavailableError(`Redis ${args[0]} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  function seal(keyName: string, token: CachedToken): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', encKey, iv);
    cipher.setAAD(Buffer.from(keyName));
    const plain = JSON.stringify({ t: token.accessToken, e: token.expiresAt, r: token.reuseUntil });
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return FORMAT + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
  }

  /** `undefined` for anything that does not decrypt under this key (another key, tampering). */
  function open(keyName: string, value: string): CachedToken | undefined {
    if (!value.startsWith(FORMAT)) return undefined;
    try {
      const bytes = Buffer.from(value.slice(FORMAT.length), 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', encKey, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(keyName));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      const parsed = JSON.parse(plain) as { t?: unknown; e?: unknown; r?: unknown };
      if (typeof parsed.t !== 'string' || typeof parsed.e !== 'number' || typeof parsed.r !== 'number') return undefined;
      return { accessToken: parsed.t, expiresAt: parsed.e, reuseUntil: parsed.r };
    } catch {
      return undefined;
    }
  }

  const cache = {
    async get(key: string): Promise<CachedToken | undefined> {
      const keyName = name('tok', key);
      const value = await command(['GET', keyName]);
      const token = typeof value === 'string' ? open(keyName, value) : undefined;
      return token && token.reuseUntil > Date.now() ? token : undefined;
    },
    async set(key: string, token: CachedToken): Promise<void> {
      const ttl = Math.floor(token.reuseUntil - Date.now());
      if (ttl <= 0) return;
      const keyName = name('tok', key);
      await command(['SET', keyName, seal(keyName, token), 'PX', String(ttl)]);
    },
    async delete(key: string): Promise<void> {
      await command(['DEL', name('tok', key)]);
    },
    async claim(key: string, ms: number): Promise<boolean> {
      return (await command(['SET', name('claim', key), '1', 'PX', String(Math.max(1, Math.floor(ms))), 'NX'])) === 'OK';
    },
    async unclaim(key: string): Promise<void> {
      await command(['DEL', name('claim', key)]);
    },
    async quiet(key: string, ms: number): Promise<void> {
      const px = Math.floor(ms);
      if (px > 0) await command(['EVAL', QUIET_SCRIPT, '1', name('quiet', key), String(px)]);
    },
    async quietLeft(key: string): Promise<number> {
      const left = Number(await command(['PTTL', name('quiet', key)]));
      return left > 0 ? left : 0;
    },
    async singleFlight(key: string, load: () => Promise<CachedToken>, flight: { deadline: number }): Promise<SingleFlightResult> {
      const lockName = name('lock', key);
      const id = randomUUID();
      let delay = FIRST_POLL_MS;
      let waited = false;
      for (;;) {
        const found = await cache.get(key);
        if (found) return { token: found, waited };
        if ((await command(['SET', lockName, id, 'PX', String(lockTtlMs), 'NX'])) === 'OK') {
          // Renewed while this process works on it (a 429 wait and retry can outlast one lifetime).
          const renew = setInterval(() => void command(['EVAL', RENEW_SCRIPT, '1', lockName, id, String(lockTtlMs)]).catch(() => undefined), Math.floor(lockTtlMs / 3));
          renew.unref();
          try {
            // The previous holder may have stored it between our look and our lock.
            const stored = await cache.get(key);
            if (stored) return { token: stored, waited };
            const token = await load();
            await cache.set(key, token).catch(() => undefined);
            return { token, waited };
          } finally {
            clearInterval(renew);
            await command(['EVAL', RELEASE_SCRIPT, '1', lockName, id]).catch(() => undefined);
          }
        }
        waited = true;
        if (Date.now() + delay >= flight.deadline) {
          throw new ImpersonationError('upstream_timeout', 'the analytics tenant did not answer in time', 504, { detail: 'waited for another instance to fetch the token until the request deadline' });
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(MAX_POLL_MS, delay * 2);
      }
    },
  } satisfies TokenCache;
  return cache;
}
