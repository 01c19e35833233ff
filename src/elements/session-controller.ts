import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AuthSource, AuthStatus } from '../auth/source.ts';
import { EmbedKitError } from '../auth/errors.ts';
import { sharedSessionPool, type PooledSession, type SessionLease, type SessionPool } from '../qlik/session-pool.ts';
import type { EnigmaSession, QixDoc } from '../qlik/qix-types.ts';
import { authContext, findAuthSource, watchForAuthSource } from './auth-context.ts';
import { QlikErrorEvent, QlikSessionOpenEvent, QlikSessionResumedEvent, QlikSessionSuspendedEvent } from './qlik-events.ts';

/** What `<qlik-dashboard>` and `<qlik-object>` reflect as `status`. `idle`: no sign-in yet. */
export type QlikElementStatus = 'idle' | 'connecting' | 'open' | 'suspended' | 'error' | 'closed';

/** The element properties the controller reads. */
export interface QlikSessionHost extends ReactiveControllerHost, HTMLElement {
  appId: string;
  identity?: string;
  /** Id of the `<auth-login>` (or other AuthSource element) to use. */
  auth?: string;
  /** An AuthSource object set directly; wins over every lookup. */
  authSource?: AuthSource;
  /** The pool to use; default the page's shared pool. */
  pool?: SessionPool;
}

export interface QlikSessionControllerOptions {
  /** When false (e.g. `renderer="qlik-embed"`) the controller finds the sign-in but opens no session. */
  wantsSession?: () => boolean;
  /** Told about every status change. */
  onStatus?: (status: QlikElementStatus) => void;
}

/**
 * Connects an element to a pooled engine session: finds the sign-in (an `authSource`
 * property, `auth="<id>"`, `@lit/context`, or the page's single `<auth-login>`), waits until it
 * is signed in, acquires the session on connect and releases it on disconnect, and turns
 * session events into the element's `status` and DOM events.
 */
export class QlikSessionController implements ReactiveController {
  status: QlikElementStatus = 'idle';
  /** The sign-in in use, once found. */
  authSource: AuthSource | undefined;

  readonly #host: QlikSessionHost;
  readonly #options: QlikSessionControllerOptions;
  readonly #consumer: ContextConsumer<typeof authContext, QlikSessionHost>;
  #connected = false;
  #lease: SessionLease | undefined;
  #leaseOffs: (() => void)[] = [];
  #unsubscribeAuth: (() => void) | undefined;
  #stopWatching: (() => void) | undefined;
  #lastAuthStatus: AuthStatus | undefined;
  /** Set when the pool closed the session under us (not sign-out): wait for `retry()`. */
  #closedByPool = false;
  #announcedOpen = false;
  #leaseKey = '';
  /** A configuration problem found before any session could start (e.g. a sign-in without host). */
  #configError: EmbedKitError | undefined;

  constructor(host: QlikSessionHost, options: QlikSessionControllerOptions = {}) {
    this.#host = host;
    this.#options = options;
    this.#consumer = new ContextConsumer(host, {
      context: authContext,
      subscribe: true,
      callback: () => this.#resolve(),
    });
    host.addController(this);
  }

  /** The pooled session, while one is held. */
  get pooled(): PooledSession | undefined {
    return this.#lease?.session;
  }

  /** The opened app (enigma Doc), while open or suspended. */
  get app(): QixDoc | undefined {
    const pooled = this.pooled;
    return pooled && (pooled.status === 'open' || pooled.status === 'suspended') ? pooled.app : undefined;
  }

  /** The enigma.js session, for page authors' own calls. */
  get session(): EnigmaSession | undefined {
    return this.pooled?.enigma;
  }

  get error(): EmbedKitError | undefined {
    return this.status === 'error' ? (this.pooled?.error ?? this.#configError) : undefined;
  }

  get pool(): SessionPool {
    return this.#host.pool ?? sharedSessionPool();
  }

  hostConnected(): void {
    this.#connected = true;
    this.#resolve();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#stopWatching?.();
    this.#stopWatching = undefined;
    this.#unsubscribeAuth?.();
    this.#unsubscribeAuth = undefined;
    this.authSource = undefined;
    this.#releaseLease();
    this.#setStatus('closed');
  }

  /** The host calls this when `app-id`, `identity`, `auth`, `authSource`, `pool` or the renderer changed. */
  configChanged(): void {
    if (!this.#connected) return;
    this.#closedByPool = false;
    this.#resolve();
  }

  /** After an error or a pool close: try again. */
  retry(): void {
    this.#closedByPool = false;
    const pooled = this.pooled;
    if (pooled?.status === 'error') {
      pooled.retry();
      return;
    }
    this.#resolve();
  }

  #resolve(): void {
    if (!this.#connected) return;
    const host = this.#host;
    const found = host.authSource ?? (host.auth ? findAuthSource(host, host.auth) : (this.#consumer.value ?? findAuthSource(host)));
    if (found !== this.authSource) {
      this.#unsubscribeAuth?.();
      this.#releaseLease();
      this.authSource = found;
      this.#lastAuthStatus = found?.status;
      this.#unsubscribeAuth = found?.subscribe((snapshot) => {
        const wasSignedIn = this.#lastAuthStatus === 'signed-in';
        this.#lastAuthStatus = snapshot.status;
        if (!wasSignedIn && snapshot.status === 'signed-in') this.#closedByPool = false;
        this.#sync();
      });
    }
    if (!found) {
      // An explicit `authSource` is never replaced by a lookup, so watch only when looking up.
      this.#stopWatching ??= watchForAuthSource(() => this.#resolve());
      this.#setStatus('idle');
      this.#host.requestUpdate();
      return;
    }
    this.#stopWatching?.();
    this.#stopWatching = undefined;
    this.#sync();
  }

  #sync(): void {
    const auth = this.authSource;
    if (!this.#connected || !auth) return;
    const wants = this.#options.wantsSession?.() ?? true;
    if (auth.status !== 'signed-in' || !wants || !this.#host.appId) {
      this.#releaseLease();
      this.#setStatus(auth.status === 'signed-in' && !wants ? 'open' : 'idle');
      this.#host.requestUpdate();
      return;
    }
    const pool = this.pool;
    const key = JSON.stringify([this.#host.appId, this.#host.identity ?? '']);
    if (this.#lease && (this.#leaseKey !== key || this.#lease.session.auth !== auth || !pool.sessions.includes(this.#lease.session))) {
      this.#releaseLease();
    }
    if (this.#lease || this.#closedByPool) return;
    this.#leaseKey = key;
    if (!auth.host) {
      const reported = this.#configError !== undefined;
      this.#configError ??= new EmbedKitError('missing_host', 'The sign-in has no tenant host.', {
        hint: 'Set host on the <auth-login> (e.g. host="https://tenant.eu.qlikcloud.com").',
      });
      this.#setStatus('error');
      if (!reported) this.#host.dispatchEvent(new QlikErrorEvent(this.#configError));
      this.#host.requestUpdate();
      return;
    }
    this.#configError = undefined;
    this.#acquire(pool, auth);
  }

  #acquire(pool: SessionPool, auth: AuthSource): void {
    const lease = pool.acquire(auth, { appId: this.#host.appId, identity: this.#host.identity || undefined });
    this.#lease = lease;
    this.#announcedOpen = false;
    const session = lease.session;
    const host = this.#host;
    this.#leaseOffs = [
      session.on('status', ({ status }) => {
        if (status === 'closed') return; // handled by 'closed'
        this.#setStatus(status);
        if (status === 'open') this.#announceOpen();
        host.requestUpdate();
      }),
      session.on('suspended', ({ initiator, code, reason }) => {
        host.dispatchEvent(new QlikSessionSuspendedEvent(initiator, code, reason));
      }),
      session.on('resumed', () => {
        host.dispatchEvent(new QlikSessionResumedEvent());
      }),
      session.on('error', ({ error }) => {
        host.dispatchEvent(new QlikErrorEvent(error));
      }),
      session.on('closed', ({ reason }) => {
        this.#releaseLease();
        if (reason !== 'signed-out') this.#closedByPool = true;
        this.#setStatus(reason === 'signed-out' ? 'idle' : 'closed');
        host.requestUpdate();
      }),
    ];
    this.#setStatus(session.status);
    if (session.status === 'open') {
      // Already open (shared or re-mounted): announce after the caller's code has run.
      queueMicrotask(() => {
        if (this.#lease === lease && session.status === 'open') this.#announceOpen();
      });
    }
    host.requestUpdate();
  }

  #announceOpen(): void {
    if (this.#announcedOpen) return;
    this.#announcedOpen = true;
    this.#host.dispatchEvent(new QlikSessionOpenEvent(this.#host.appId));
  }

  #releaseLease(): void {
    this.#leaseOffs.forEach((off) => off());
    this.#leaseOffs = [];
    this.#lease?.release();
    this.#lease = undefined;
    this.#announcedOpen = false;
  }

  #setStatus(status: QlikElementStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.#options.onStatus?.(status);
  }
}
