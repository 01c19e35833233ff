import { ContextConsumer, ContextProvider } from '@lit/context';
import { nothing, type PropertyValues, type ReactiveController, type TemplateResult } from 'lit';
import type { AuthSource, AuthStatus } from '../auth/source.ts';
import { EmbedKitError } from '../auth/errors.ts';
import { QlikApiError } from '../qlik/errors.ts';
import type { PooledSession, SessionLease, SessionPool } from '../qlik/session-pool.ts';
import type { EnigmaSession, QixDoc } from '../qlik/qix-types.ts';
import type { KitStrings } from '../qlik/i18n.ts';
import { authContext, findAuthSource, watchForAuthSource } from './auth-context.ts';
import { qlikSessionContext, type QlikSessionHost, type QlikSessionScope } from './session-context.ts';
import { QlikErrorEvent, QlikSessionOpenEvent, QlikSessionResumedEvent, QlikSessionSuspendedEvent } from './qlik-events.ts';
import { statusView, type QlikElementStatus } from './qlik-status.ts';
import { missingRendererError, onRendererPluginRegistered, rendererOpensSession } from './renderers/registry.ts';
import { loadedQlikRuntime, loadQlikRuntime } from './runtime-loader.ts';

/** What `<qlik-dashboard>` and `<qlik-object>` reflect as `status`. `idle`: no sign-in yet, or lazy and not near the viewport yet. */
export type { QlikElementStatus } from './qlik-status.ts';

/** The host properties that choose the session: a change to any of them reconnects. */
const SESSION_INPUTS = ['appId', 'identity', 'auth', 'authSource', 'pool', 'renderer'] as const;

/**
 * Connects an element to a pooled engine session: finds the sign-in (an `authSource`
 * property, `auth="<id>"`, `@lit/context`, or the page's single `<auth-login>`), waits until it
 * is signed in, acquires the session on connect and releases it on disconnect, and turns
 * session events into the element's `status` and DOM events.
 *
 * The outermost element is the one voice of a session: it provides its sign-in and pool through
 * `qlikSessionContext`, and kit elements it renders take them from there, share its session and
 * fire no session events of their own (the page would hear each open, drop and resume once per
 * object). Their own failures are fired again from the host, so the page hears each once, from
 * the element it placed.
 */
export class QlikSessionController implements ReactiveController {
  status: QlikElementStatus = 'idle';
  /** The sign-in in use, once found. */
  authSource: AuthSource | undefined;

  readonly #host: QlikSessionHost;
  readonly #consumer: ContextConsumer<typeof authContext, QlikSessionHost>;
  /** The enclosing element's session, when this one is nested in it. */
  readonly #outer: ContextConsumer<typeof qlikSessionContext, QlikSessionHost>;
  readonly #provider: ContextProvider<typeof qlikSessionContext, QlikSessionHost>;
  #connected = false;
  #relaying = false;
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
  /** Set while `renderer` names a plugin that is not registered yet. */
  #stopWaitingForPlugin: (() => void) | undefined;
  /** Set while the session runtime (the shared pool's code) loads. */
  #loadingRuntime = false;

  /** Whether the host may open its session now (`loading="lazy"`: once it nears the viewport). */
  readonly #near: () => boolean;

  constructor(host: QlikSessionHost, options: { near?: () => boolean } = {}) {
    this.#host = host;
    this.#near = options.near ?? (() => true);
    this.#consumer = new ContextConsumer(host, {
      context: authContext,
      subscribe: true,
      callback: () => this.#resolve(),
    });
    this.#outer = new ContextConsumer(host, {
      context: qlikSessionContext,
      subscribe: true,
      callback: () => this.#resolve(),
    });
    this.#provider = new ContextProvider(host, { context: qlikSessionContext });
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

  /** The status the host reflects: the session's, or `error` when the host's own work failed on an open session. */
  statusWith(hostError: EmbedKitError | undefined): QlikElementStatus {
    return hostError && this.status === 'open' ? 'error' : this.status;
  }

  /**
   * The visible state: a progress indicator while connecting or `loading`, a notice while
   * suspended, and the session's error, else `hostError`, with a retry button.
   */
  renderStatus(loading: boolean, hostError: EmbedKitError | undefined, strings?: KitStrings): TemplateResult | typeof nothing {
    // Signed in and lazy, out of view: nothing to say yet.
    if (this.status === 'idle' && this.authSource?.status === 'signed-in' && !this.#near()) return nothing;
    return statusView({ status: this.status, hasAuth: this.authSource !== undefined, loading, error: this.error ?? hostError, retry: () => this.#host.retry(), ...(strings ? { strings } : {}) });
  }

  hostConnected(): void {
    this.#connected = true;
    // Once: the shadow root lives as long as the host, across moves in the DOM.
    if (!this.#relaying) {
      this.#relaying = true;
      this.#host.renderRoot.addEventListener(QlikErrorEvent.type, this.#relayError);
    }
    this.#provide(this.authSource);
    this.#resolve();
  }

  hostDisconnected(): void {
    this.#connected = false;
    // The consumer keeps its last value; forget it, so that moved out of the outer element this
    // one speaks for itself. Reconnected inside it, the context answers again.
    this.#outer.value = undefined;
    this.#stopWaitingForPlugin?.();
    this.#stopWaitingForPlugin = undefined;
    this.#stopWatching?.();
    this.#stopWatching = undefined;
    this.#unsubscribeAuth?.();
    this.#unsubscribeAuth = undefined;
    this.authSource = undefined;
    this.#releaseLease();
    this.#setStatus('closed');
  }

  /** The host calls this from its `willUpdate`: a changed `app-id`, `identity`, `auth`, `authSource`, `pool` or `renderer` reconnects. */
  willUpdate(changed: PropertyValues): void {
    if (!this.#connected || !SESSION_INPUTS.some((name) => changed.has(name))) return;
    this.#closedByPool = false;
    this.#resolve();
  }

  /**
   * The open app for a method call. The host has been woken (a lazy one opens now, as if it came
   * into view); this waits for the session runtime and the open, within the pool's open deadline.
   * Rejects with the session's typed error, or `not_open` when there is nothing to open (not
   * signed in, no `app-id`, a renderer that draws on its own, disconnected).
   */
  async whenOpen(): Promise<QixDoc> {
    // The runtime's load settles for the controller first (it subscribed first), so the lease is there after it.
    if (this.#loadingRuntime) await loadQlikRuntime();
    const pooled = this.pooled;
    if (this.app) return this.app;
    if (pooled && this.status !== 'error') return pooled.whenOpen();
    const signedIn = this.authSource?.status === 'signed-in';
    throw this.error ?? new QlikApiError('not_open', `<${this.#host.localName}> has no open session (${signedIn ? `status "${this.status}"` : 'not signed in'}).`, {
      hint: signedIn ? 'Give it an app-id and keep it in the page (renderer="qlik-embed" has no kit session); after a close, press Retry.' : 'Sign in first (until <auth-login> is "signed-in" nothing opens), then call it again.',
    });
  }

  /** A lazy host neared the viewport: it may open its session now. */
  nearViewport(): void {
    this.#sync();
  }

  /**
   * After a session error or a pool close: opens the session again. Otherwise the session is
   * fine, and `retryHost` (the host's own work: its object, its sheets) runs instead.
   */
  retry(retryHost: () => void): void {
    if (!this.error && this.status !== 'closed') {
      retryHost();
      return;
    }
    this.#closedByPool = false;
    const pooled = this.pooled;
    if (pooled?.status === 'error') {
      pooled.retry();
      return;
    }
    this.#resolve();
  }

  #resolve(): void {
    if (!this.#connected || this.#rendererMissing()) return;
    const host = this.#host;
    const outer = this.#outer.value;
    const found = host.authSource ?? (outer ? outer.authSource : host.auth ? findAuthSource(host, host.auth) : (this.#consumer.value ?? findAuthSource(host)));
    this.#provide(found);
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
    const wants = rendererOpensSession(this.#host.renderer);
    // Lazy and out of view: no runtime, no socket, no OpenDoc until it nears the viewport.
    const deferred = wants && !this.#near();
    if (auth.status !== 'signed-in' || !wants || !this.#host.appId || deferred) {
      // While the code is exchanged, fetch the session runtime alongside (a failure is reported when it is needed).
      if (auth.status === 'exchanging' && wants && !deferred && this.#host.appId) loadQlikRuntime().catch(() => undefined);
      this.#releaseLease();
      this.#setStatus(auth.status === 'signed-in' && !wants ? 'open' : 'idle');
      this.#host.requestUpdate();
      return;
    }
    // The page's shared pool comes with the session runtime, which loads when first needed.
    const pool = this.#explicitPool() ?? loadedQlikRuntime()?.sharedSessionPool();
    const key = JSON.stringify([this.#host.appId, this.#host.identity ?? '']);
    if (this.#lease && (!pool || this.#leaseKey !== key || this.#lease.session.auth !== auth || !pool.sessions.includes(this.#lease.session))) {
      this.#releaseLease();
    }
    if (this.#lease || this.#closedByPool) return;
    if (!pool) {
      this.#loadRuntime();
      return;
    }
    this.#leaseKey = key;
    try {
      this.#acquire(pool, auth);
      this.#configError = undefined;
    } catch (error) {
      // The pool refuses a sign-in it cannot use (no host, plain http off loopback).
      if (!(error instanceof EmbedKitError)) throw error;
      this.#fail(error);
    }
  }

  /** Connecting starts with loading the session runtime; then the session is acquired as usual. */
  #loadRuntime(): void {
    this.#setStatus('connecting');
    if (this.#loadingRuntime) return;
    this.#loadingRuntime = true;
    loadQlikRuntime().then(
      () => {
        this.#loadingRuntime = false;
        this.#sync();
      },
      (error: EmbedKitError) => {
        this.#loadingRuntime = false;
        if (this.#connected) this.#fail(error);
      },
    );
  }

  /** A failure before any session could start: shown, and fired once per kind. */
  #fail(error: EmbedKitError): void {
    const reported = this.#configError?.code === error.code;
    this.#configError = error;
    this.#setStatus('error');
    if (!reported) this.#announce(new QlikErrorEvent(error));
    this.#host.requestUpdate();
  }

  /** The pool set on this element or on the element it is nested in. */
  #explicitPool(): SessionPool | undefined {
    return this.#host.pool ?? this.#outer.value?.pool;
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
        this.#announce(new QlikSessionSuspendedEvent(initiator, code, reason));
      }),
      session.on('resumed', () => {
        this.#announce(new QlikSessionResumedEvent());
      }),
      session.on('error', ({ error }) => {
        this.#announce(new QlikErrorEvent(error));
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
    this.#announce(new QlikSessionOpenEvent(this.#host.appId));
  }

  /**
   * `renderer` names a plugin the page has not imported: shows and fires the error once, and
   * tries again when a plugin registers (a plugin script may load after the elements).
   */
  #rendererMissing(): boolean {
    const error = missingRendererError(this.#host.renderer);
    if (!error) {
      this.#stopWaitingForPlugin?.();
      this.#stopWaitingForPlugin = undefined;
      if (this.#configError?.code === 'renderer_not_registered') this.#configError = undefined;
      return false;
    }
    this.#releaseLease();
    const reported = this.#configError?.message === error.message;
    if (!reported) this.#configError = error;
    this.#stopWaitingForPlugin ??= onRendererPluginRegistered(() => this.#resolve());
    this.#setStatus('error');
    // After the current script: a page that imports the kit and then adds its listeners hears it.
    if (!reported) queueMicrotask(() => this.#announce(new QlikErrorEvent(error)));
    this.#host.requestUpdate();
    return true;
  }

  /** Hands the elements the host renders its sign-in and pool, when they changed. */
  #provide(authSource: AuthSource | undefined): void {
    const pool = this.#explicitPool();
    const current = this.#provider.value;
    if (current && current.authSource === authSource && current.pool === pool) return;
    const scope: QlikSessionScope = { authSource, pool };
    this.#provider.setValue(scope);
  }

  /** Fires a session event, unless an enclosing kit element reports this session already. */
  #announce(event: Event): void {
    if (this.#outer.value) return;
    this.#host.dispatchEvent(event);
  }

  /** A kit element in the host's shadow root failed on its own: the page hears it from the host. */
  readonly #relayError = (event: Event): void => {
    event.stopPropagation();
    this.#host.dispatchEvent(new QlikErrorEvent((event as QlikErrorEvent).error));
  };

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
    this.#host.requestUpdate();
  }
}
