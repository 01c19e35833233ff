/**
 * Where the impersonation handler keeps tokens: a small interface, and the in-process LRU that is
 * the default. `redisTokenCache` (./redis-token-cache.ts) shares tokens across instances.
 */

/** A token as cached: absolute times in epoch milliseconds. */
export interface CachedToken {
  accessToken: string;
  expiresAt: number;
  /** After this the token is no longer handed out; a fresh one is fetched. */
  reuseUntil: number;
}

/** What `singleFlight` did for the caller, for `stats()`. */
export interface SingleFlightResult {
  token: CachedToken;
  /** True when this caller waited for another instance's lock at least once. */
  waited: boolean;
}

/**
 * A token store for `createImpersonationTokenHandler({ cache })`. Keys are opaque strings the
 * handler builds from tenant host, client id, scope and user; a shared store must keep them apart
 * and should not store them in the clear. Methods may throw (or reject) when the store is down:
 * the handler then serves from upstream with a per-process cache, reports `cache_unavailable`
 * once, and tries the store again after `cacheRetryMs`.
 */
export interface TokenCache {
  /** The token, or `undefined` when there is none or it is past `reuseUntil`. */
  get(key: string): Promise<CachedToken | undefined>;
  /** Stores until `reuseUntil`. */
  set(key: string, token: CachedToken): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Optional: runs `load` at most once at a time across every instance sharing the store; the
   * others wait (up to `deadline`, epoch ms) and pick up its result; a crashed holder must not
   * block them for long (a lock that expires). Stores the loaded token itself.
   */
  singleFlight?(key: string, load: () => Promise<CachedToken>, options: { deadline: number }): Promise<SingleFlightResult>;
  /** Optional: true for the first caller per key within `ms` across instances (a shared rate limit). */
  claim?(key: string, ms: number): Promise<boolean>;
  /** Optional, with `claim`: ends the claim early (a refresh that failed), so that the next flag may try again. */
  unclaim?(key: string): Promise<void>;
  /**
   * Optional, with `quietLeft`: after the tenant answered 429, no instance asks it anything for
   * `ms`. A longer quiet period already under way stays. `key` names the tenant and client.
   */
  quiet?(key: string, ms: number): Promise<void>;
  /** Optional, with `quiet`: milliseconds left of the quiet period under `key`; 0 when there is none. */
  quietLeft?(key: string): Promise<number>;
}

export interface MemoryTokenCacheOptions {
  /** Most tokens kept; the least recently used go first. Default 1000; 0 keeps none. */
  maxEntries?: number;
  now?: () => number;
}

/** The default cache: per process, least recently used out first. */
export function memoryTokenCache(options: MemoryTokenCacheOptions = {}): TokenCache {
  const max = options.maxEntries ?? 1000;
  if (!Number.isSafeInteger(max) || max < 0) throw new TypeError(`memoryTokenCache: \`maxEntries\` must be a whole number >= 0, not ${String(max)}.`);
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order, so re-inserting on use makes it an LRU.
  const tokens = new Map<string, CachedToken>();
  const claims = new Map<string, number>();

  const trim = <T>(map: Map<string, T>): void => {
    while (map.size > max) map.delete(map.keys().next().value as string);
  };

  return {
    async get(key) {
      const token = tokens.get(key);
      if (!token) return undefined;
      tokens.delete(key);
      if (token.reuseUntil <= now()) return undefined;
      tokens.set(key, token);
      return token;
    },
    async set(key, token) {
      if (max === 0) return;
      tokens.delete(key);
      tokens.set(key, token);
      trim(tokens);
    },
    async delete(key) {
      tokens.delete(key);
    },
    async claim(key, ms) {
      const until = claims.get(key);
      if (until !== undefined && until > now()) return false;
      claims.delete(key);
      claims.set(key, now() + ms);
      while (claims.size > Math.max(max, 1000)) claims.delete(claims.keys().next().value as string);
      return true;
    },
    async unclaim(key) {
      claims.delete(key);
    },
  };
}
