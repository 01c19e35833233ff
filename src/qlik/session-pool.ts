import { systemClock, type Clock } from '../auth/clock.ts';
import type { EmbedKitError } from '../auth/errors.ts';
import type { AuthSource } from '../auth/source.ts';
import { tenantUrl } from './engine-url.ts';
import { Emitter } from './emitter.ts';
import { EngineRequestError } from './errors.ts';
import { LazySocket, type CreateSocket } from './lazy-socket.ts';
import { PooledSession, type EnigmaFactory, type SessionDeps, type SessionEvents } from './pooled-session.ts';
import { loadSchema, type SchemaChoice } from './schema.ts';
import type { QixSchema } from './schema-types.ts';
import { defaultResumeDelay } from './session-resume.ts';

export { PooledSession, type EnigmaFactory, type SessionEvents, type SessionStatus } from './pooled-session.ts';
export { isResumableCloseCode } from './session-failure.ts';

export interface PoolEvents {
  open: { session: PooledSession };
  suspended: { session: PooledSession } & SessionEvents['suspended'];
  resumed: { session: PooledSession } & SessionEvents['resumed'];
  closed: { session: PooledSession } & SessionEvents['closed'];
  error: { session: PooledSession; error: EmbedKitError };
}

export interface SessionPoolOptions {
  /** Opens the real socket for a ready URL. Default: `url => new WebSocket(url)`. */
  createSocket?: CreateSocket;
  /** Loads enigma.js. Default: a dynamic `import('enigma.js')`, so pages without Qlik objects never load it. */
  loadEnigma?: () => Promise<EnigmaFactory>;
  /** `core` (default), `full`, or a schema object. See `schema.ts`. */
  schema?: SchemaChoice | QixSchema;
  /** How long a session with no users stays open, so DOM moves and remounts reuse it. Default 2000 ms. */
  graceMs?: number;
  /** Resume tries after a network drop or a 4003/4004/4007 close. Default 10. */
  maxResumeAttempts?: number;
  /** Wait before resume try `attempt` (1-based). Default 250 ms doubling to at most 4 s. */
  resumeDelay?: (attempt: number) => number;
  /** Opening a session (enigma, socket, `OpenDoc`) fails with `open_timeout` after this long. Default 30 s. */
  openTimeoutMs?: number;
  /**
   * Once the app is open, an engine request (`GetObject`, `GetLayout`, a selection, a data page…)
   * with no answer after this long rejects with `request_timeout`; the element shows it with Retry.
   * Reloads and saves (`DoReload`, `DoSave`…) are exempt. `0`: no deadline. Default 30 s.
   */
  requestTimeoutMs?: number;
  /** Used for the websocket-token exchange. */
  fetch?: typeof fetch;
  /** `reloadUri` sent to the engine. Default: the page URL. */
  reloadUri?: string | (() => string);
  /** Time seam for the grace period, resume backoff and the open and request deadlines. Default: the system clock. */
  clock?: Clock;
}

export interface AcquireOptions {
  appId: string;
  /** Separate engine session (own selections) for the same app and user. */
  identity?: string;
  /** Engine session time-to-live in seconds. Only the first acquirer's value is used. */
  ttl?: number;
}

/** A use of a pooled session. `release()` is idempotent. */
export class SessionLease {
  readonly session: PooledSession;
  #released = false;

  constructor(session: PooledSession) {
    this.session = session;
  }

  get released(): boolean {
    return this.#released;
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.session.release();
  }
}

/**
 * Pools enigma.js sessions: one session (one websocket, one `OpenDoc`) per sign-in, host, app
 * and identity, shared by every element that asks for it.
 *
 * - Reference-counted with `acquire()` / `SessionLease.release()`. After the last release the
 *   session stays open for `graceMs`, so moving an element or a framework remount reuses it.
 * - `suspendOnClose`: a network drop or close code 4003/4004/4007 suspends the session and
 *   resumes it with a new websocket token (so a refreshed access token when it had expired),
 *   with backoff and a bounded number of tries. enigma re-attaches the engine session, so
 *   selections survive when the engine kept it.
 * - Any other close code ends it with a typed `EngineClosedError` (`engine_closed_4204`…).
 * - Opening has a deadline (`openTimeoutMs`): an engine that never answers ends in `open_timeout`.
 *   Once open, every request has one (`requestTimeoutMs`): a quiet engine ends in `request_timeout`.
 * - Signing out closes every session of that sign-in at once.
 */
export class SessionPool extends Emitter<PoolEvents> {
  readonly graceMs: number;
  readonly maxResumeAttempts: number;
  /** Counters for tests and the bench. */
  readonly stats = { socketsCreated: 0, socketsOpen: 0, sessionsCreated: 0 };

  readonly #sessions = new Map<string, PooledSession>();
  readonly #authIds = new WeakMap<AuthSource, number>();
  #nextAuthId = 1;
  readonly #deps: SessionDeps;

  constructor(options: SessionPoolOptions = {}) {
    super();
    this.graceMs = options.graceMs ?? 2000;
    this.maxResumeAttempts = options.maxResumeAttempts ?? 10;
    let enigma: Promise<EnigmaFactory> | undefined;
    let schema: Promise<QixSchema> | undefined;
    const createSocket: CreateSocket = options.createSocket ?? ((url) => new WebSocket(url));
    this.#deps = {
      loadEnigma: () => {
        enigma ??= (options.loadEnigma ?? defaultLoadEnigma)();
        enigma.catch(() => (enigma = undefined));
        return enigma;
      },
      loadSchema: () => {
        const choice = options.schema ?? 'core';
        schema ??= typeof choice === 'object' ? Promise.resolve(choice) : loadSchema(choice);
        schema.catch(() => (schema = undefined));
        return schema;
      },
      makeSocket: (resolveUrl) => {
        this.stats.socketsCreated += 1;
        return new LazySocket(resolveUrl, createSocket, {
          opened: () => (this.stats.socketsOpen += 1),
          closed: (wasOpen) => {
            if (wasOpen) this.stats.socketsOpen -= 1;
          },
        });
      },
      fetch: options.fetch,
      reloadUri: () => reloadUriFrom(options.reloadUri),
      clock: options.clock ?? systemClock,
      graceMs: this.graceMs,
      maxResumeAttempts: this.maxResumeAttempts,
      resumeDelay: options.resumeDelay ?? defaultResumeDelay,
      openTimeoutMs: options.openTimeoutMs ?? 30_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    };
  }

  /** Sessions currently pooled (open, connecting, suspended or failed, not closed). */
  get size(): number {
    return this.#sessions.size;
  }

  get sessions(): PooledSession[] {
    return [...this.#sessions.values()];
  }

  /**
   * Takes a share of the session for this sign-in and app, creating and connecting it if needed.
   * @throws {ConfigurationError} `missing_host`, or `insecure_endpoint` for plain http off loopback.
   */
  acquire(auth: AuthSource, options: AcquireOptions): SessionLease {
    if (!auth || typeof auth.getAccessToken !== 'function') throw new TypeError('auth must be an AuthSource');
    if (typeof options?.appId !== 'string' || options.appId === '') throw new TypeError('appId is required');
    tenantUrl(auth.host);
    const key = this.#key(auth, options);
    let session = this.#sessions.get(key);
    if (!session) {
      session = new PooledSession(this.#deps, auth, { key, ...options });
      this.#adopt(session);
      this.stats.sessionsCreated += 1;
      session.connect();
    }
    session.retain();
    return new SessionLease(session);
  }

  /** Closes every session now, ignoring the grace period. */
  async closeAll(): Promise<void> {
    await Promise.all(this.sessions.map((session) => session.close('closed')));
  }

  /** Pools the session and repeats its events at pool level until it closes. */
  #adopt(session: PooledSession): void {
    this.#sessions.set(session.key, session);
    const offs = [
      session.on('open', () => this.emit('open', { session })),
      session.on('suspended', (detail) => this.emit('suspended', { session, ...detail })),
      session.on('resumed', (detail) => this.emit('resumed', { session, ...detail })),
      session.on('error', ({ error }) => this.emit('error', { session, error })),
      session.on('closed', ({ reason }) => {
        offs.forEach((off) => off());
        if (this.#sessions.get(session.key) === session) this.#sessions.delete(session.key);
        this.emit('closed', { session, reason });
      }),
    ];
  }

  #key(auth: AuthSource, options: AcquireOptions): string {
    let id = this.#authIds.get(auth);
    if (id === undefined) this.#authIds.set(auth, (id = this.#nextAuthId++));
    return JSON.stringify([id, auth.host, options.appId, options.identity ?? '']);
  }
}

function reloadUriFrom(option: SessionPoolOptions['reloadUri']): string {
  const value = typeof option === 'function' ? option() : option;
  if (value) return value;
  if (typeof location !== 'undefined') return location.href.split('#')[0] ?? location.href;
  throw new TypeError('reloadUri is required outside a browser');
}

async function defaultLoadEnigma(): Promise<EnigmaFactory> {
  const module: { default?: unknown } = await import('enigma.js');
  // enigma.js is a UMD bundle. Bundlers expose its module.exports as `default`; served
  // unbundled (e.g. by a dev server without CommonJS support) it sets `globalThis.enigma`.
  const candidates = [module.default, (globalThis as { enigma?: unknown }).enigma];
  const factory = candidates.find((value): value is EnigmaFactory => typeof (value as EnigmaFactory | undefined)?.create === 'function');
  if (!factory) throw new EngineRequestError('enigma_not_loaded', 'enigma.js did not load.', { hint: 'Check that the enigma.js package is installed and bundled.' });
  return factory;
}

const SHARED_POOL = Symbol.for('embed-kit/session-pool');

/**
 * The page's pool. Kept on `globalThis` under a `Symbol.for` key, so two copies of the bundle
 * on one page (as CMS pages do) still share one socket per app.
 */
export function sharedSessionPool(): SessionPool {
  const holder = globalThis as { [SHARED_POOL]?: SessionPool };
  holder[SHARED_POOL] ??= new SessionPool();
  return holder[SHARED_POOL];
}
