import type { AuthSource } from '../auth/source.ts';
import { EmbedKitError } from '../auth/errors.ts';
import { buildEngineUrl, redactEngineUrl } from './engine-url.ts';
import { Emitter } from './emitter.ts';
import { EngineConnectError, EngineRequestError, WebSocketTokenError, engineClosedError, toEngineRequestError } from './errors.ts';
import { LazySocket, type CreateSocket } from './lazy-socket.ts';
import type { EnigmaSession, EnigmaSuspendedEvent, QixDoc, QixGlobal } from './qix-types.ts';
import { loadSchema, type QixSchema, type SchemaChoice } from './schema.ts';
import { clearWebSocketTokenCache, exchangeForWebSocketToken } from './websocket-token.ts';

/** `status` of a pooled session; elements add `idle` for "not signed in yet". */
export type SessionStatus = 'connecting' | 'open' | 'suspended' | 'error' | 'closed';

export interface SessionEvents {
  status: { status: SessionStatus };
  open: { app: QixDoc; global: QixGlobal };
  suspended: { initiator: 'network' | 'manual'; code: number; reason: string };
  resumed: { attempts: number };
  closed: { reason: 'released' | 'signed-out' | 'closed' };
  error: { error: EmbedKitError };
}

export interface PoolEvents {
  open: { session: PooledSession };
  suspended: { session: PooledSession } & SessionEvents['suspended'];
  resumed: { session: PooledSession } & SessionEvents['resumed'];
  closed: { session: PooledSession } & SessionEvents['closed'];
  error: { session: PooledSession; error: EmbedKitError };
}

/** enigma.js's module, as far as we use it. */
export interface EnigmaFactory {
  create(config: {
    schema: object;
    url: string;
    createSocket: (url: string) => unknown;
    suspendOnClose: boolean;
    protocol?: { delta?: boolean };
  }): EnigmaSession;
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
  /** Used for the websocket-token exchange. */
  fetch?: typeof fetch;
  /** `reloadUri` sent to the engine. Default: the page URL. */
  reloadUri?: string | (() => string);
  /**
   * Deadline for opening a session and its app (token exchange, socket, `OpenDoc`). An engine
   * that accepts the socket but never answers ends in `engine_timeout`, with Retry. Default 30 000 ms.
   */
  openTimeoutMs?: number;
}

export interface AcquireOptions {
  appId: string;
  /** Separate engine session (own selections) for the same app and user. */
  identity?: string;
  /** Engine session time-to-live in seconds. Only the first acquirer's value is used. */
  ttl?: number;
}

/** Close codes after which QLIK-PROTOCOL.md says to resume, plus the codes of a dropped network. */
const RESUMABLE_CODES = new Set([4003, 4004, 4007, 1001, 1005, 1006, 1011, 1012, 1013, 1014]);

export function isResumableCloseCode(code: number): boolean {
  return RESUMABLE_CODES.has(code);
}

/** enigma.js's error code for a request on a socket that is not open. */
const NOT_CONNECTED = -1;

const defaultResumeDelay = (attempt: number): number => Math.min(250 * 2 ** (attempt - 1), 4000);

/** A use of a pooled session. `release()` is idempotent. */
export class SessionLease {
  readonly session: PooledSession;
  #released = false;
  readonly #onRelease: () => void;

  constructor(session: PooledSession, onRelease: () => void) {
    this.session = session;
    this.#onRelease = onRelease;
  }

  get released(): boolean {
    return this.#released;
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#onRelease();
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
 * - Signing out closes every session of that sign-in at once.
 */
export class SessionPool extends Emitter<PoolEvents> {
  readonly graceMs: number;
  readonly maxResumeAttempts: number;
  readonly resumeDelay: (attempt: number) => number;
  readonly openTimeoutMs: number;
  /** Counters for tests and the bench. */
  readonly stats = { socketsCreated: 0, socketsOpen: 0, sessionsCreated: 0 };

  readonly #sessions = new Map<string, PooledSession>();
  readonly #authIds = new WeakMap<AuthSource, number>();
  #nextAuthId = 1;
  readonly #options: SessionPoolOptions;
  #enigma: Promise<EnigmaFactory> | undefined;
  #schema: Promise<QixSchema> | undefined;

  constructor(options: SessionPoolOptions = {}) {
    super();
    this.#options = options;
    this.graceMs = options.graceMs ?? 2000;
    this.maxResumeAttempts = options.maxResumeAttempts ?? 10;
    this.resumeDelay = options.resumeDelay ?? defaultResumeDelay;
    this.openTimeoutMs = options.openTimeoutMs ?? 30_000;
    if (!(this.openTimeoutMs > 0)) throw new TypeError(`openTimeoutMs must be a positive number of ms, got ${String(options.openTimeoutMs)}`);
  }

  /** Sessions currently pooled (open, connecting, suspended or failed, not closed). */
  get size(): number {
    return this.#sessions.size;
  }

  get sessions(): PooledSession[] {
    return [...this.#sessions.values()];
  }

  /** Takes a share of the session for this sign-in and app, creating and connecting it if needed. */
  acquire(auth: AuthSource, options: AcquireOptions): SessionLease {
    if (!auth || typeof auth.getAccessToken !== 'function') throw new TypeError('auth must be an AuthSource');
    if (typeof options?.appId !== 'string' || options.appId === '') throw new TypeError('appId is required');
    if (!auth.host) throw new TypeError('The sign-in has no host');
    const key = this.#key(auth, options);
    let session = this.#sessions.get(key);
    if (!session) {
      session = new PooledSession(this, key, auth, options);
      this.#sessions.set(key, session);
      this.stats.sessionsCreated += 1;
      session.connect();
    }
    session.retain();
    const leased = session;
    return new SessionLease(leased, () => leased.releaseOne());
  }

  /** Closes every session now, ignoring the grace period. */
  async closeAll(): Promise<void> {
    await Promise.all(this.sessions.map((session) => session.close('closed')));
  }

  /** @internal */
  forget(session: PooledSession): void {
    if (this.#sessions.get(session.key) === session) this.#sessions.delete(session.key);
  }

  /** @internal Re-emits a session's events at pool level. */
  relay<K extends keyof PoolEvents>(type: K, detail: PoolEvents[K]): void {
    this.emit(type, detail);
  }

  /** @internal */
  loadEnigma(): Promise<EnigmaFactory> {
    this.#enigma ??= (this.#options.loadEnigma ?? defaultLoadEnigma)();
    this.#enigma.catch(() => (this.#enigma = undefined));
    return this.#enigma;
  }

  /** @internal */
  loadSchema(): Promise<QixSchema> {
    const choice = this.#options.schema ?? 'core';
    this.#schema ??= typeof choice === 'object' ? Promise.resolve(choice) : loadSchema(choice);
    this.#schema.catch(() => (this.#schema = undefined));
    return this.#schema;
  }

  /** @internal Makes the socket enigma asks for; see `LazySocket`. */
  makeSocket(resolveUrl: (signal: AbortSignal) => Promise<string>): LazySocket {
    this.stats.socketsCreated += 1;
    const createSocket: CreateSocket = this.#options.createSocket ?? ((url) => new WebSocket(url));
    return new LazySocket(resolveUrl, createSocket, {
      opened: () => (this.stats.socketsOpen += 1),
      closed: (wasOpen) => {
        if (wasOpen) this.stats.socketsOpen -= 1;
      },
    });
  }

  /** @internal */
  get fetch(): typeof fetch | undefined {
    return this.#options.fetch;
  }

  /** @internal */
  reloadUri(): string {
    const option = this.#options.reloadUri;
    const value = typeof option === 'function' ? option() : option;
    if (value) return value;
    if (typeof location !== 'undefined') return location.href.split('#')[0] ?? location.href;
    throw new TypeError('reloadUri is required outside a browser');
  }

  #key(auth: AuthSource, options: AcquireOptions): string {
    let id = this.#authIds.get(auth);
    if (id === undefined) this.#authIds.set(auth, (id = this.#nextAuthId++));
    return JSON.stringify([id, auth.host, options.appId, options.identity ?? '']);
  }
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

/**
 * One pooled enigma.js session and its doc. Elements read `app`, `global`, `enigma` and
 * `status`, and listen with `on()`.
 */
export class PooledSession extends Emitter<SessionEvents> {
  readonly key: string;
  readonly auth: AuthSource;
  readonly appId: string;
  readonly identity: string | undefined;
  readonly ttl: number | undefined;

  status: SessionStatus = 'connecting';
  error: EmbedKitError | undefined;
  /** The enigma.js session, for page authors' own calls. */
  enigma: EnigmaSession | undefined;
  global: QixGlobal | undefined;
  /** The opened app (enigma Doc). */
  app: QixDoc | undefined;

  readonly #pool: SessionPool;
  #refs = 0;
  #graceTimer: ReturnType<typeof setTimeout> | undefined;
  #resumeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped on every (re)connect and on close; stale async work compares and stops. */
  #generation = 0;
  #socketsMade = 0;
  #lastSocket: LazySocket | undefined;
  #resuming = false;
  #unsubscribeAuth: (() => void) | undefined;
  #detachEnigma: (() => void) | undefined;

  constructor(pool: SessionPool, key: string, auth: AuthSource, options: AcquireOptions) {
    super();
    this.#pool = pool;
    this.key = key;
    this.auth = auth;
    this.appId = options.appId;
    this.identity = options.identity || undefined;
    this.ttl = options.ttl;
    this.#unsubscribeAuth = auth.subscribe((snapshot) => {
      if (snapshot.status === 'signed-out' || snapshot.status === 'error') {
        clearWebSocketTokenCache(auth);
        void this.close('signed-out');
      }
    });
  }

  /** Number of unreleased leases. */
  get refCount(): number {
    return this.#refs;
  }

  /** @internal */
  retain(): void {
    this.#refs += 1;
    if (this.#graceTimer !== undefined) {
      clearTimeout(this.#graceTimer);
      this.#graceTimer = undefined;
    }
  }

  /** @internal */
  releaseOne(): void {
    this.#refs = Math.max(0, this.#refs - 1);
    if (this.#refs > 0 || this.status === 'closed') return;
    this.#graceTimer = setTimeout(() => {
      this.#graceTimer = undefined;
      if (this.#refs === 0) void this.close('released');
    }, this.#pool.graceMs);
  }

  /**
   * Resolves with the app once the session is open (at once if it is); rejects with the
   * typed error if it fails or closes first. Waits through `suspended`.
   */
  whenOpen(signal?: AbortSignal): Promise<QixDoc> {
    if (this.status === 'open' && this.app) return Promise.resolve(this.app);
    if (this.status === 'error') return Promise.reject(this.error);
    if (this.status === 'closed') return Promise.reject(new EmbedKitError('session_closed', 'The session is closed.'));
    return new Promise<QixDoc>((resolve, reject) => {
      const offs: (() => void)[] = [];
      const done = () => {
        offs.forEach((off) => off());
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        done();
        reject(signal?.reason);
      };
      offs.push(
        this.on('open', ({ app }) => {
          done();
          resolve(app);
        }),
        this.on('error', ({ error }) => {
          done();
          reject(error);
        }),
        this.on('closed', () => {
          done();
          reject(new EmbedKitError('session_closed', 'The session is closed.'));
        }),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** After an error: reconnect from scratch (new enigma session, new socket, new token). */
  retry(): void {
    if (this.status !== 'error') return;
    this.connect();
  }

  /** @internal Opens the session: enigma + schema, socket, `OpenDoc`. */
  connect(): void {
    const generation = ++this.#generation;
    this.#teardownEnigma();
    this.error = undefined;
    this.app = undefined;
    this.global = undefined;
    this.#socketsMade = 0;
    this.#setStatus('connecting');
    void this.#open(generation);
  }

  async #open(generation: number): Promise<void> {
    const deadline = setTimeout(() => {
      if (generation !== this.#generation || this.status !== 'connecting') return;
      const ms = this.#pool.openTimeoutMs;
      this.#fail(
        new EngineConnectError('engine_timeout', `The engine did not open app ${this.appId} within ${ms} ms.`, {
          hint: 'Press Retry. If it keeps happening, check the tenant and the app, or raise openTimeoutMs on the session pool.',
        }),
      );
    }, this.#pool.openTimeoutMs);
    try {
      await this.#openOnce(generation);
    } finally {
      clearTimeout(deadline);
    }
  }

  async #openOnce(generation: number): Promise<void> {
    try {
      const [enigmaFactory, schema] = await Promise.all([this.#pool.loadEnigma(), this.#pool.loadSchema()]);
      if (generation !== this.#generation) return;
      const enigma = enigmaFactory.create({
        schema,
        // Only for enigma's bookkeeping; every socket gets its own URL with a new token.
        url: redactEngineUrl(this.#url('[token]')),
        createSocket: () => this.#makeSocket(generation),
        suspendOnClose: true,
        protocol: { delta: true },
      });
      this.enigma = enigma;
      this.#attachEnigma(enigma, generation);
      const global = await enigma.open();
      if (generation !== this.#generation) return;
      const app = await global.openDoc(this.appId);
      if (generation !== this.#generation) return;
      this.global = global;
      this.app = app;
      this.#setStatus('open');
      this.emit('open', { app, global });
      this.#pool.relay('open', { session: this });
    } catch (error) {
      if (generation !== this.#generation) return;
      // A request can fail as "not connected" a moment before the socket reports the close
      // code that explains it (4204…). Wait briefly for that evidence.
      const socket = this.#lastSocket;
      if (socket && !socket.closeInfo && (error as { code?: unknown } | undefined)?.code === NOT_CONNECTED) {
        await Promise.race([socket.closed, new Promise((resolve) => setTimeout(resolve, 1000))]);
        if (generation !== this.#generation) return;
      }
      this.#fail(this.#classify(error, 'Opening the app'));
    }
  }

  #url(token: string): string {
    return buildEngineUrl({
      host: this.auth.host ?? '',
      appId: this.appId,
      identity: this.identity,
      ttl: this.ttl,
      accessToken: token,
      reloadUri: this.#pool.reloadUri(),
    });
  }

  #makeSocket(generation: number): LazySocket {
    // The first socket may use a cached websocket token; every later one (resume) gets a new one.
    const fresh = this.#socketsMade++ > 0;
    const socket = this.#pool.makeSocket(async (signal) => {
      if (generation !== this.#generation) throw new EmbedKitError('session_closed', 'The session is closed.');
      const token = await exchangeForWebSocketToken(this.auth, { fetch: this.#pool.fetch, signal, fresh });
      return this.#url(token);
    });
    this.#lastSocket = socket;
    return socket;
  }

  #attachEnigma(enigma: EnigmaSession, generation: number): void {
    const onSuspended = (event: EnigmaSuspendedEvent) => {
      if (generation === this.#generation) this.#onSuspended(event, generation);
    };
    const onResumed = () => {
      if (generation === this.#generation && !this.#resuming) this.#onResumed(0);
    };
    enigma.on('suspended', onSuspended);
    enigma.on('resumed', onResumed);
    this.#detachEnigma = () => {
      enigma.removeListener('suspended', onSuspended);
      enigma.removeListener('resumed', onResumed);
    };
  }

  #onSuspended(event: EnigmaSuspendedEvent, generation: number): void {
    // While connecting, `#open` reports the failure itself.
    if (this.status !== 'open') return;
    const detail = { initiator: event.initiator, code: event.code, reason: event.reason ?? '' };
    this.#setStatus('suspended');
    this.emit('suspended', detail);
    this.#pool.relay('suspended', { session: this, ...detail });
    // A manual suspend is the page author's; they resume it.
    if (event.initiator === 'manual') return;
    if (!isResumableCloseCode(event.code)) {
      this.#fail(engineClosedError(event.code, event.reason));
      return;
    }
    void this.#resumeLoop(generation);
  }

  async #resumeLoop(generation: number): Promise<void> {
    const enigma = this.enigma;
    if (!enigma || this.#resuming) return;
    this.#resuming = true;
    try {
      for (let attempt = 1; attempt <= this.#pool.maxResumeAttempts; attempt++) {
        await new Promise<void>((resolve) => {
          this.#resumeTimer = setTimeout(resolve, this.#pool.resumeDelay(attempt));
        });
        this.#resumeTimer = undefined;
        if (generation !== this.#generation || this.status !== 'suspended') return;
        try {
          await enigma.resume();
          if (generation !== this.#generation) return;
          this.#onResumed(attempt);
          return;
        } catch (error) {
          if (generation !== this.#generation) return;
          const fatal = this.#fatalResumeError(error);
          if (fatal) {
            this.#fail(fatal);
            return;
          }
        }
      }
      this.#fail(
        new EngineRequestError('resume_failed', `Could not reconnect to the app after ${this.#pool.maxResumeAttempts} tries.`, {
          hint: 'Check the network connection, then press Retry.',
        }),
      );
    } finally {
      this.#resuming = false;
    }
  }

  /** A resume failure that more tries cannot fix, or undefined to keep trying. */
  #fatalResumeError(error: unknown): EmbedKitError | undefined {
    const socket = this.#lastSocket;
    if (socket?.failure !== undefined) {
      const failure = socket.failure;
      // Network trouble reaching the token endpoint is worth another try; refusals are not.
      if (failure instanceof WebSocketTokenError && (failure.code === 'network_error' || failure.code === 'timeout' || failure.status >= 500)) {
        return undefined;
      }
      return failure instanceof EmbedKitError ? failure : toEngineRequestError(failure, 'Reconnecting');
    }
    if (socket?.opened && socket.closeInfo && !isResumableCloseCode(socket.closeInfo.code)) {
      return engineClosedError(socket.closeInfo.code, socket.closeInfo.reason);
    }
    void error;
    return undefined;
  }

  #onResumed(attempts: number): void {
    if (this.status === 'open') return;
    this.#setStatus('open');
    this.emit('resumed', { attempts });
    this.#pool.relay('resumed', { session: this, attempts });
  }

  /** Turns a failed open into the most specific typed error the evidence allows. */
  #classify(error: unknown, what: string): EmbedKitError {
    const socket = this.#lastSocket;
    if (socket?.failure !== undefined) {
      const failure = socket.failure;
      return failure instanceof EmbedKitError ? failure : toEngineRequestError(failure, what);
    }
    if (socket?.opened && socket.closeInfo && socket.closeInfo.code !== 1000) {
      return engineClosedError(socket.closeInfo.code, socket.closeInfo.reason);
    }
    if (socket && !socket.opened) {
      const origin = typeof location !== 'undefined' ? location.origin : 'this page\'s origin';
      return new EngineConnectError('engine_unreachable', `Could not connect to the engine for app ${this.appId}.`, {
        cause: error,
        hint:
          `The tenant refused the websocket. Most often this page's origin (${origin}) is not in the tenant's ` +
          'allowlist of trusted origins: add it. Also check that the app exists and the user may open it.',
      });
    }
    return toEngineRequestError(error, what);
  }

  #fail(error: EmbedKitError): void {
    if (this.status === 'closed') return;
    this.error = error;
    this.#generation += 1;
    this.#teardownEnigma();
    this.#setStatus('error');
    this.emit('error', { error });
    this.#pool.relay('error', { session: this, error });
  }

  /** Closes now: the socket, the enigma session, the sign-in subscription; leaves the pool. */
  async close(reason: SessionEvents['closed']['reason'] = 'closed'): Promise<void> {
    if (this.status === 'closed') return;
    this.#generation += 1;
    if (this.#graceTimer !== undefined) clearTimeout(this.#graceTimer);
    if (this.#resumeTimer !== undefined) clearTimeout(this.#resumeTimer);
    this.#graceTimer = this.#resumeTimer = undefined;
    this.#unsubscribeAuth?.();
    this.#unsubscribeAuth = undefined;
    this.#pool.forget(this);
    const closing = this.#teardownEnigma();
    this.app = undefined;
    this.global = undefined;
    this.#setStatus('closed');
    this.emit('closed', { reason });
    this.#pool.relay('closed', { session: this, reason });
    await closing;
  }

  #teardownEnigma(): Promise<void> {
    const enigma = this.enigma;
    this.#detachEnigma?.();
    this.#detachEnigma = undefined;
    this.enigma = undefined;
    if (!enigma) return Promise.resolve();
    // suspendOnClose sessions only end on an explicit close(). (enigma throws synchronously
    // when its socket was never created, hence the wrapping promise.)
    return Promise.resolve()
      .then(() => enigma.close())
      .then(
      () => enigma.removeAllListeners(),
      () => enigma.removeAllListeners(),
    );
  }

  #setStatus(status: SessionStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.emit('status', { status });
  }
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
