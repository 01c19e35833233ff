/**
 * Which token a user gets: the cache, single-flight (in this process, then across instances when
 * the cache can), the upstream call, and what happens while a shared cache is down (a
 * per-process cache stands in, the outage is reported once, the store is tried again later).
 */
import type { IncomingMessage } from 'node:http';
import { withDeadline } from './deadline.ts';
import { ImpersonationError } from './errors.ts';
import { memoryTokenCache, type CachedToken, type TokenCache } from './token-cache.ts';
import { requestImpersonationToken, revokeAccessToken, type UpstreamConfig, type UserLookup } from './upstream.ts';

/** Counters for the site's own metrics, since the handler was created. */
export interface ImpersonationStats {
  /** Requests answered from a cache or from a call already under way. */
  hits: number;
  /** Requests that found no usable token and had one fetched (here or by another instance). */
  misses: number;
  /** Token requests sent to the tenant, retries included. */
  upstreamCalls: number;
  /** Fetches that waited for another instance's lock. */
  lockWaits: number;
  /** Reports to `onError`. */
  errors: number;
  /** False while the shared cache is failing and a per-process cache stands in. */
  cacheAvailable: boolean;
}

export interface TokenBrokerOptions {
  /** The site's cache, or undefined for the in-process LRU alone. */
  shared: TokenCache | undefined;
  maxCachedUsers: number;
  upstream: UpstreamConfig;
  skewMs: number;
  requestTimeoutMs: number;
  cacheRetryMs: number;
  refreshIntervalMs: number;
  keyFor(user: UserLookup): string;
  /** The shared cache's key for the tenant's rate limit: tenant and client, whoever the user. */
  quietKey: string;
  /** `req` is the request that started the work, when there was one. */
  report(error: ImpersonationError, req: IncomingMessage | undefined): void;
}

export class TokenBroker {
  readonly #options: TokenBrokerOptions;
  /** With no shared cache, the cache; with one, the stand-in while it is down. */
  #local: TokenCache;
  /** Fetches under way per key; `forced` for a refresh, whose failure leaves the cached token to the others. */
  readonly #inflight = new Map<string, { flight: Promise<CachedToken>; forced: boolean }>();
  readonly #counts = { hits: 0, misses: 0, upstreamCalls: 0, lockWaits: 0 };
  #down = false;
  #retryAt = 0;
  /**
   * After the tenant said 429 (here, or on another instance through the shared cache), no
   * upstream call before this (epoch ms).
   */
  #quietUntil = 0;

  constructor(options: TokenBrokerOptions) {
    this.#options = options;
    this.#local = memoryTokenCache({ maxEntries: options.maxCachedUsers, now: options.upstream.clock.now });
  }

  stats(errors: number): ImpersonationStats {
    return { ...this.#counts, errors, cacheAvailable: !this.#down };
  }

  /**
   * A token for `user`; `refresh` (a browser that saw the engine refuse its token) fetches anew,
   * rate limited per user. The cached token stays in place until its successor is stored: when
   * no new one can be had (quiet period, 429, 5xx, timeout), the flagged request gets the error
   * and every other request, here or on another instance, is still served the cached token.
   */
  async token(user: UserLookup, refresh: boolean, req: IncomingMessage): Promise<CachedToken> {
    const key = this.#options.keyFor(user);
    const deadline = this.#options.upstream.clock.now() + this.#options.requestTimeoutMs;
    const forced = refresh && (await this.#claim(key, req));
    const current = this.#inflight.get(key);
    if (current && !forced) {
      this.#counts.hits += 1;
      const joined = this.#within(current.flight, key, deadline);
      // This request did not ask for a new token: if the refresh fails, the kept one will do.
      return current.forced ? joined.catch((error: unknown) => this.#keptOr(key, error, req)) : joined;
    }
    let filled = this.#fill(key, user, forced, deadline, req);
    // The old token was kept, and it may be the one the engine refused: the next flag may try again.
    if (forced) filled = filled.catch((error: unknown) => this.#unclaim(key).then(() => Promise.reject(error)));
    const flight: Promise<CachedToken> = filled.finally(() => {
      if (this.#inflight.get(key)?.flight === flight) this.#inflight.delete(key);
    });
    this.#inflight.set(key, { flight, forced });
    return this.#within(flight, key, deadline);
  }

  /** Removes the user's token from every cache this instance can reach. */
  async evict(user: UserLookup): Promise<void> {
    await this.#deleteEverywhere(this.#options.keyFor(user), undefined);
  }

  /**
   * Evicts, then revokes the token at the tenant. True when there was a token to revoke. When the
   * shared cache cannot be reached, the token this instance knows is still revoked, but the call
   * rejects with `cache_unavailable`: the shared copy, which may be another token, survives.
   */
  async revoke(user: UserLookup): Promise<boolean> {
    const key = this.#options.keyFor(user);
    let token = await this.#local.get(key);
    if (this.#options.shared) {
      try {
        token = (await this.#options.shared.get(key)) ?? token;
      } catch (error) {
        this.#markDown(error, undefined);
      }
    }
    let unreachable: ImpersonationError | undefined;
    await this.#deleteEverywhere(key, undefined).catch((error: ImpersonationError) => (unreachable = error));
    // Revoked at the tenant, the token is useless wherever a copy survives.
    if (token) await revokeAccessToken(this.#options.upstream, token.accessToken);
    if (unreachable) {
      const done = token ? 'the token this instance held was revoked at the tenant and removed here' : 'this instance held no token';
      throw new ImpersonationError('cache_unavailable', 'the shared token cache is unavailable', 503, {
        detail: `${done}, but the shared cache could not be reached: its copy (perhaps another token) is still handed out until it expires; revoke again once the cache is back`,
        cause: unreachable.cause,
      });
    }
    return token !== undefined;
  }

  /** F11: the request's own deadline, whatever the flight does; a flight past it is dropped. */
  #within(flight: Promise<CachedToken>, key: string, deadline: number): Promise<CachedToken> {
    return withDeadline(
      flight,
      deadline - this.#options.upstream.clock.now(),
      () => new ImpersonationError('upstream_timeout', 'the analytics tenant did not answer in time', 504, { detail: `no token within the request deadline (${this.#options.requestTimeoutMs} ms)` }),
      () => {
        if (this.#inflight.get(key)?.flight === flight) this.#inflight.delete(key);
      },
    );
  }

  /** The cached token if there still is one, else `error` again. */
  async #keptOr(key: string, error: unknown, req: IncomingMessage): Promise<CachedToken> {
    const shared = this.#options.shared;
    let kept: CachedToken | undefined;
    if (shared && !this.#down) {
      try {
        kept = await shared.get(key);
      } catch (failure) {
        this.#markDown(failure, req);
      }
    }
    kept ??= await this.#local.get(key);
    if (!kept) throw error;
    return kept;
  }

  async #claim(key: string, req: IncomingMessage): Promise<boolean> {
    const shared = this.#options.shared;
    if (shared?.claim && this.#sharedUsable()) {
      try {
        return await shared.claim(key, this.#options.refreshIntervalMs);
      } catch (error) {
        this.#markDown(error, req);
      }
    }
    return (await this.#local.claim?.(key, this.#options.refreshIntervalMs)) ?? true;
  }

  async #unclaim(key: string): Promise<void> {
    const shared = this.#options.shared;
    if (shared?.unclaim && !this.#down) await shared.unclaim(key).catch(() => undefined);
    await this.#local.unclaim?.(key);
  }

  async #deleteEverywhere(key: string, req: IncomingMessage | undefined): Promise<void> {
    await this.#local.delete(key);
    const shared = this.#options.shared;
    if (!shared) return;
    try {
      await shared.delete(key);
      this.#markUp();
    } catch (error) {
      this.#markDown(error, req);
      throw new ImpersonationError('cache_unavailable', 'the shared token cache is unavailable', 503, {
        detail: 'the token was removed from this instance only',
        cause: error,
      });
    }
  }

  async #fill(key: string, user: UserLookup, forced: boolean, deadline: number, req: IncomingMessage): Promise<CachedToken> {
    const { upstream, skewMs } = this.#options;
    const load = async (): Promise<CachedToken> => {
      const quietMs = await this.#quietLeft();
      if (quietMs > 0) {
        // The tenant's limit applies to this client, whoever the user: wait as it asked.
        const retryAfter = Math.ceil(quietMs / 1000);
        throw new ImpersonationError('rate_limited', 'the analytics tenant is busy; try again shortly', 503, {
          detail: `not asking the tenant again before its Retry-After ends (${retryAfter} s)`,
          retryAfterSeconds: retryAfter,
        });
      }
      const issued = await requestImpersonationToken(upstream, user, {
        deadline,
        onAttempt: () => void (this.#counts.upstreamCalls += 1),
        notice: (error) => this.#options.report(error, req),
        rateLimited: (seconds) => this.#holdOff(seconds * 1000),
      });
      const lifetimeMs = issued.expiresIn * 1000;
      const expiresAt = issued.issuedAt + lifetimeMs;
      return { accessToken: issued.accessToken, expiresAt, reuseUntil: expiresAt - Math.min(skewMs, lifetimeMs / 2) };
    };

    const shared = this.#options.shared;
    if (shared && this.#sharedUsable()) {
      let loaded: CachedToken | undefined;
      let loadFailed = false;
      const tracked = async (): Promise<CachedToken> => {
        try {
          return (loaded = await load());
        } catch (error) {
          loadFailed = true;
          throw error;
        }
      };
      try {
        const hit = forced ? undefined : await shared.get(key);
        this.#markUp();
        if (hit) {
          this.#counts.hits += 1;
          return hit;
        }
        this.#counts.misses += 1;
        // Not for a refresh: singleFlight would hand back the token being replaced, and the
        // per-user claim already makes a refresh one at a time across instances.
        if (shared.singleFlight && !forced) {
          const result = await shared.singleFlight(key, tracked, { deadline });
          if (result.waited) this.#counts.lockWaits += 1;
          return result.token;
        }
        const token = await tracked();
        await shared.set(key, token);
        return token;
      } catch (error) {
        if (loadFailed || error instanceof ImpersonationError) throw error;
        this.#markDown(error, req);
        if (loaded) {
          await this.#local.set(key, loaded);
          return loaded;
        }
        this.#counts.misses -= 1; // counted again below
      }
    }

    const hit = forced ? undefined : await this.#local.get(key);
    if (hit) {
      this.#counts.hits += 1;
      return hit;
    }
    this.#counts.misses += 1;
    const token = await load();
    await this.#local.set(key, token);
    return token;
  }

  /**
   * Milliseconds before the tenant may be asked again: this instance's own quiet period, else the
   * one another instance shared. The shared cache's lock holder reads it after taking the lock,
   * so a waiter that takes over from a rate-limited holder does not ask again.
   */
  async #quietLeft(): Promise<number> {
    const { shared, quietKey, upstream } = this.#options;
    const left = this.#quietUntil - upstream.clock.now();
    if (left > 0 || !shared?.quietLeft || this.#down) return Math.max(0, left);
    // Not readable: the store is failing, which the request's own cache calls notice and report.
    const sharedLeft = await shared.quietLeft(quietKey).catch(() => 0);
    if (sharedLeft > 0) this.#quietUntil = upstream.clock.now() + sharedLeft;
    return sharedLeft;
  }

  /** A 429 said to wait `ms`: quiet here, and on every instance through the shared cache. */
  async #holdOff(ms: number): Promise<void> {
    const { shared, quietKey, upstream } = this.#options;
    this.#quietUntil = Math.max(this.#quietUntil, upstream.clock.now() + ms);
    // Before the lock is released (the retry or the error comes after this), so that no waiter misses it.
    if (ms > 0 && shared?.quiet && !this.#down) await shared.quiet(quietKey, ms).catch(() => undefined);
  }

  /** While down, one request per `cacheRetryMs` tries the shared cache again. */
  #sharedUsable(): boolean {
    if (!this.#down) return true;
    const now = this.#options.upstream.clock.now();
    if (now < this.#retryAt) return false;
    this.#retryAt = now + this.#options.cacheRetryMs;
    return true;
  }

  #markDown(error: unknown, req: IncomingMessage | undefined): void {
    this.#retryAt = this.#options.upstream.clock.now() + this.#options.cacheRetryMs;
    if (this.#down) return;
    this.#down = true;
    this.#options.report(
      new ImpersonationError('cache_unavailable', 'the shared token cache is unavailable', 503, {
        detail: `${error instanceof Error ? error.message : String(error)}; serving without it (per-process cache, upstream directly) and trying it again every ${this.#options.cacheRetryMs} ms`,
        cause: error,
      }),
      req,
    );
  }

  #markUp(): void {
    if (!this.#down) return;
    this.#down = false;
    // What was cached here during the outage never reached the shared cache, where a revoke may
    // have happened since: start clean.
    this.#local = memoryTokenCache({ maxEntries: this.#options.maxCachedUsers, now: this.#options.upstream.clock.now });
  }
}
