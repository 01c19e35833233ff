import type { Clock } from '../auth/clock.ts';
import { EmbedKitError } from '../auth/errors.ts';
import type { AuthSource } from '../auth/source.ts';
import { buildEngineUrl, redactEngineUrl } from './engine-url.ts';
import { Emitter } from './emitter.ts';
import { engineClosedError } from './engine-closed.ts';
import { EngineRequestError } from './errors.ts';
import type { LazySocket } from './lazy-socket.ts';
import type { EnigmaSession, EnigmaSuspendedEvent, QixDoc, QixGlobal } from './qix-types.ts';
import type { QixSchema } from './schema-types.ts';
import { classifySessionFailure, isResumableCloseCode } from './session-failure.ts';
import { addRequestDeadline } from './request-deadline.ts';
import { GraceRefCount } from './session-refs.ts';
import { resumeWithBackoff } from './session-resume.ts';
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

/** What a session needs from its pool; passed in, so the session never reaches back into it. */
export interface SessionDeps {
  loadEnigma(): Promise<EnigmaFactory>;
  loadSchema(): Promise<QixSchema>;
  /** Makes the socket enigma asks for, from a function that resolves its URL (fetching a token). */
  makeSocket(resolveUrl: (signal: AbortSignal) => Promise<string>): LazySocket;
  fetch: typeof fetch | undefined;
  reloadUri(): string;
  clock: Clock;
  graceMs: number;
  maxResumeAttempts: number;
  resumeDelay: (attempt: number) => number;
  /** Opening (enigma, socket, OpenDoc) fails with `open_timeout` after this long. */
  openTimeoutMs: number;
  /** Once open, an engine request with no answer after this long fails with `request_timeout`. */
  requestTimeoutMs: number;
}

export interface SessionIdentity {
  key: string;
  appId: string;
  identity?: string;
  ttl?: number;
}

/** enigma.js's error code for a request on a socket that is not open. */
const NOT_CONNECTED = -1;
/** How long a failed open waits for the close code that explains it. */
const CLOSE_EVIDENCE_MS = 1000;

/**
 * One pooled enigma.js session and its doc. Elements read `app`, `global`, `enigma` and
 * `status`, and listen with `on()`. The pool creates it; `retain()`/`release()` count its users.
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

  readonly #deps: SessionDeps;
  readonly #refs: GraceRefCount;
  /** Bumped on every (re)connect and on close; stale async work compares and stops. */
  #generation = 0;
  #socketsMade = 0;
  #lastSocket: LazySocket | undefined;
  #resuming = false;
  #unsubscribeAuth: (() => void) | undefined;
  #detachEnigma: (() => void) | undefined;

  constructor(deps: SessionDeps, auth: AuthSource, id: SessionIdentity) {
    super();
    this.#deps = deps;
    this.key = id.key;
    this.auth = auth;
    this.appId = id.appId;
    this.identity = id.identity || undefined;
    this.ttl = id.ttl;
    this.#refs = new GraceRefCount({ clock: deps.clock, graceMs: deps.graceMs, onIdle: () => void this.close('released') });
    this.#unsubscribeAuth = auth.subscribe((snapshot) => {
      if (snapshot.status === 'signed-out' || snapshot.status === 'error') {
        clearWebSocketTokenCache(auth);
        void this.close('signed-out');
      }
    });
  }

  /** Number of unreleased leases. */
  get refCount(): number {
    return this.#refs.count;
  }

  retain(): void {
    this.#refs.retain();
  }

  release(): void {
    if (this.status !== 'closed') this.#refs.release();
  }

  /**
   * Resolves with the app once the session is open (at once if it is); rejects with the
   * typed error if it fails or closes first. Waits through `suspended`.
   */
  whenOpen(signal?: AbortSignal): Promise<QixDoc> {
    if (this.status === 'open' && this.app) return Promise.resolve(this.app);
    if (this.status === 'error') return Promise.reject(this.error);
    if (this.status === 'closed') return Promise.reject(closedError());
    return new Promise<QixDoc>((resolve, reject) => {
      const offs: (() => void)[] = [];
      const settle = (outcome: () => void) => {
        offs.forEach((off) => off());
        signal?.removeEventListener('abort', onAbort);
        outcome();
      };
      const onAbort = () => settle(() => reject(signal?.reason));
      offs.push(
        this.on('open', ({ app }) => settle(() => resolve(app))),
        this.on('error', ({ error }) => settle(() => reject(error))),
        this.on('closed', () => settle(() => reject(closedError()))),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** After an error: reconnect from scratch (new enigma session, new socket, new token). */
  retry(): void {
    if (this.status !== 'error') return;
    this.connect();
  }

  /** Opens the session: enigma + schema, socket, `OpenDoc`, within `openTimeoutMs`. */
  connect(): void {
    const generation = ++this.#generation;
    this.#teardownEnigma();
    this.error = undefined;
    this.app = undefined;
    this.global = undefined;
    this.#socketsMade = 0;
    this.#setStatus('connecting');
    const deadline = this.#deps.clock.setTimeout(() => {
      if (generation !== this.#generation || this.status !== 'connecting') return;
      this.#fail(
        new EngineRequestError('open_timeout', `Opening app ${this.appId} did not finish within ${Math.round(this.#deps.openTimeoutMs / 1000)} s.`, {
          hint: 'The engine accepted the connection but did not answer. Press Retry; if it keeps happening, check the tenant and the network.',
        }),
      );
    }, this.#deps.openTimeoutMs);
    void this.#open(generation).finally(() => this.#deps.clock.clearTimeout(deadline));
  }

  async #open(generation: number): Promise<void> {
    try {
      const [enigmaFactory, schema] = await Promise.all([this.#deps.loadEnigma(), this.#deps.loadSchema()]);
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
      addRequestDeadline(enigma, {
        clock: this.#deps.clock,
        timeoutMs: this.#deps.requestTimeoutMs,
        appId: this.appId,
        applies: () => generation === this.#generation && this.status === 'open',
      });
      this.#attachEnigma(enigma, generation);
      const global = await enigma.open();
      if (generation !== this.#generation) return;
      const app = await global.openDoc(this.appId);
      if (generation !== this.#generation) return;
      this.global = global;
      this.app = app;
      this.#setStatus('open');
      this.emit('open', { app, global });
    } catch (error) {
      if (generation !== this.#generation) return;
      // A request can fail as "not connected" a moment before the socket reports the close
      // code that explains it (4204…). Wait briefly for that evidence.
      const socket = this.#lastSocket;
      if (socket && !socket.closeInfo && (error as { code?: unknown } | undefined)?.code === NOT_CONNECTED) {
        let timer: unknown;
        await Promise.race([socket.closed, new Promise((resolve) => (timer = this.#deps.clock.setTimeout(() => resolve(undefined), CLOSE_EVIDENCE_MS)))]);
        this.#deps.clock.clearTimeout(timer);
        if (generation !== this.#generation) return;
      }
      this.#fail(classifySessionFailure(error, this.#lastSocket, { what: 'Opening the app', appId: this.appId }).error);
    }
  }

  #url(token: string): string {
    return buildEngineUrl({ host: this.auth.host ?? '', appId: this.appId, identity: this.identity, ttl: this.ttl, accessToken: token, reloadUri: this.#deps.reloadUri() });
  }

  #makeSocket(generation: number): LazySocket {
    // The first socket may use a cached websocket token; every later one (resume) gets a new one.
    const fresh = this.#socketsMade++ > 0;
    const socket = this.#deps.makeSocket(async (signal) => {
      if (generation !== this.#generation) throw closedError();
      const token = await exchangeForWebSocketToken(this.auth, { fetch: this.#deps.fetch, signal, fresh, clock: this.#deps.clock });
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
    this.#setStatus('suspended');
    this.emit('suspended', { initiator: event.initiator, code: event.code, reason: event.reason ?? '' });
    // A manual suspend is the page author's; they resume it.
    if (event.initiator === 'manual') return;
    if (!isResumableCloseCode(event.code)) {
      this.#fail(engineClosedError(event.code, event.reason));
      return;
    }
    void this.#resume(generation);
  }

  async #resume(generation: number): Promise<void> {
    const enigma = this.enigma;
    if (!enigma || this.#resuming) return;
    this.#resuming = true;
    try {
      const outcome = await resumeWithBackoff({
        clock: this.#deps.clock,
        maxAttempts: this.#deps.maxResumeAttempts,
        delay: this.#deps.resumeDelay,
        resume: () => enigma.resume(),
        stillWanted: () => generation === this.#generation && this.status === 'suspended',
        classify: (error) => classifySessionFailure(error, this.#lastSocket, { what: 'Reconnecting', appId: this.appId }),
      });
      if (outcome.resumed) this.#onResumed(outcome.attempts);
      else if ('error' in outcome) this.#fail(outcome.error);
    } finally {
      this.#resuming = false;
    }
  }

  #onResumed(attempts: number): void {
    if (this.status === 'open') return;
    this.#setStatus('open');
    this.emit('resumed', { attempts });
  }

  #fail(error: EmbedKitError): void {
    if (this.status === 'closed') return;
    this.error = error;
    this.#generation += 1;
    this.#teardownEnigma();
    this.#setStatus('error');
    this.emit('error', { error });
  }

  /** Closes now: the socket, the enigma session, the sign-in subscription; the pool lets it go. */
  async close(reason: SessionEvents['closed']['reason'] = 'closed'): Promise<void> {
    if (this.status === 'closed') return;
    this.#generation += 1;
    this.#refs.cancel();
    this.#unsubscribeAuth?.();
    this.#unsubscribeAuth = undefined;
    const closing = this.#teardownEnigma();
    this.app = undefined;
    this.global = undefined;
    this.#setStatus('closed');
    this.emit('closed', { reason });
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
    const forget = () => enigma.removeAllListeners();
    return Promise.resolve()
      .then(() => enigma.close())
      .then(forget, forget);
  }

  #setStatus(status: SessionStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.emit('status', { status });
  }
}

function closedError(): EmbedKitError {
  return new EmbedKitError('session_closed', 'The session is closed.');
}
