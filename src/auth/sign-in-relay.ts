/**
 * The sign-in an element shows. For the element's options it creates the one owner of sign-in
 * state (an `AuthClient`, or a `BackendTokenSource` for tokens from a backend), loading the
 * owner's code on demand. It reads status, error and user from that owner, and relays its
 * snapshots and news; it holds only what comes before there is an owner: a refused option, a
 * failed load. It starts the work a state calls for (the callback, asking the other tabs, an
 * automatic redirect) only when the element says an update is done. Framework-free: `<auth-login>` wires it to the DOM.
 */
import type { AuthClient } from './client.ts';
import { isCallbackUrl } from './callback-url.ts';
import { EmbedKitError, toEmbedKitError } from './errors.ts';
import { notifyListeners } from './listeners.ts';
import { loadOwner } from './owner-loader.ts';
import { createOwner, tokensFromBackend, type SignInConfig } from './sign-in-owner.ts';
import type { AuthSnapshot, AuthStatus, SignInSource } from './source.ts';
import type { SignOutReason } from './token-store.ts';
import { hasPendingTransaction } from './transaction.ts';
import type { AuthUser } from './user.ts';

/** At most one automatic redirect per page load, however many elements or re-renders ask. */
let autoRedirectUsed = false;

/** What the page hears of, as the relay saw it: by kind, the arguments of its event. */
export interface SignInNews {
  'signed-in': [expiresAt: number | undefined];
  'token-refreshed': [expiresAt: number | undefined];
  'signed-out': [reason: SignOutReason, error?: EmbedKitError];
  error: [error: EmbedKitError];
  'user-changed': [user: AuthUser | undefined];
}

/** The element the relay serves (a lit element is one as it is). */
export interface SignInRelayElement {
  /** Status, error or user changed: show it. */
  requestUpdate(): void;
  /** Settles once the pending update is done. */
  readonly updateComplete: Promise<unknown>;
}

/** What the relay tells the element besides updates. */
export interface SignInRelayHost {
  /** The owner shown changed (`undefined`: none). */
  ownerChanged(owner: SignInSource | undefined): void;
  report<K extends keyof SignInNews>(type: K, ...args: SignInNews[K]): void;
  /** Leaves for the authorization server; returning `false` cancels the sign-in. */
  navigate(url: URL): unknown;
}

export class SignInRelay {
  readonly #element: SignInRelayElement;
  readonly #host: SignInRelayHost;
  /** An `AuthClient`, or else a `BackendTokenSource`. It (and the tokens in its memory) outlives a move in the DOM. */
  #owner: SignInSource | undefined;
  /** `#owner` is a `BackendTokenSource` (tokens from your backend), not a PKCE `AuthClient`. */
  #backend = false;
  /** While the owner's code loads: settles once the owner exists, or failed to load. */
  #loading: Promise<void> | undefined;
  /** A backend source was just created and has not asked for its first token yet. */
  #backendFetchPending = false;
  #unlisten: (() => void) | undefined;
  #callbackStarted = false;
  /** The client that has asked the other tabs, and whether it still waits for them. */
  #asked: SignInSource | undefined;
  #asking = false;
  /** The status subscribers last heard: the owner's while there is one, else the relay's own. */
  #status: AuthStatus = 'signed-out';
  /** Without an owner, a status the subscribers have not heard yet (the first one included). */
  #statusUnheard = true;
  /** Only without an owner: a refused option or a failed load. */
  #error: EmbedKitError | undefined;
  readonly #listeners = new Set<(snapshot: AuthSnapshot) => void>();

  constructor(element: SignInRelayElement, host: SignInRelayHost) {
    this.#element = element;
    this.#host = host;
  }

  /** The owner's status, or the relay's own while there is none. */
  get status(): AuthStatus {
    return this.#owner?.status ?? this.#status;
  }

  /** The owner's last typed error, or the relay's own while there is none. */
  get error(): EmbedKitError | undefined {
    return this.#owner ? this.#owner.error : this.#error;
  }

  /** The owner's user (a backend source has none). */
  get user(): AuthUser | undefined {
    return (this.#owner as AuthClient | undefined)?.user;
  }

  get owner(): SignInSource | undefined {
    return this.#owner;
  }

  /** Tokens come from a backend. */
  get backend(): boolean {
    return this.#backend;
  }

  /** While the owner's code loads. */
  get loading(): Promise<void> | undefined {
    return this.#loading;
  }

  /** Whether options that changed call for a new owner: always without one, never during a code exchange. */
  needsOwner(optionsChanged: boolean): boolean {
    const changed = optionsChanged || !(this.#owner || this.#loading);
    // A code exchange in flight must finish; a backend fetch may simply be dropped.
    return changed && (this.status !== 'exchanging' || this.#backend);
  }

  /**
   * Replaces the owner with one for `config`, now or once its code has loaded. `config` is read
   * after the old owner is gone, so an element may pass itself: its getters then give the values
   * as set, not the old owner's normalised ones. A client secret given is refused.
   */
  configure(config: SignInConfig, clientSecret = false): void {
    this.#unlisten?.();
    this.#unlisten = undefined;
    // A replaced backend source stops its refresh timer (its listeners are already gone); a
    // replaced client stops talking to other tabs.
    if (this.#backend) void this.#owner?.signOut();
    else (this.#owner as AuthClient | undefined)?.close();
    this.#backend = false;
    this.#setOwner(undefined);
    this.#loading = undefined;
    this.#error = undefined;
    if (clientSecret) {
      this.#fail(
        new EmbedKitError('client_secret_refused', 'A client secret was given to <auth-login>; it was ignored.', {
          hint: 'Anything in a page can be read by anyone who loads it, so a browser cannot keep a secret. Register a public client and use PKCE, or serve tokens from your backend with access-token-url.',
        }),
      );
      return;
    }
    const backend = tokensFromBackend(config);
    this.#backend = backend;
    if (!backend && !config.clientId) {
      this.#setOwnStatus('signed-out');
      return;
    }
    let owner: SignInSource | undefined;
    try {
      owner = createOwner(config);
    } catch (error) {
      // Its constructor refuses bad options at once: shown as the error.
      this.#fail(error);
      return;
    }
    if (owner) {
      this.#setOwner(owner);
      this.#backendFetchPending = backend;
    } else {
      // A backend source asks at once, so the wait for its code counts as part of that.
      if (backend) this.#setOwnStatus('exchanging');
      const pending: Promise<void> = loadOwner(backend ? 'backend' : 'client').then(
        () => {
          if (this.#loading !== pending) return;
          // Created in an update, as when the code was already there.
          this.#loading = undefined;
          this.#element.requestUpdate();
          return this.#element.updateComplete.then(() => undefined);
        },
        // Shown, and not tried again until the options change.
        (error: unknown) => {
          if (this.#loading === pending) this.#fail(error);
        },
      );
      this.#loading = pending;
    }
  }

  /** After each update of the element: starts the work the state calls for, never inside the update. */
  updated(options: { share: 'tabs' | 'none'; autoRedirect: boolean }): void {
    const owner = this.#owner;
    if (!owner) {
      // Without an owner (no client id, bad options) the relay's own status is the news.
      if (this.#statusUnheard) notifyListeners(this.#listeners, { status: this.#status });
      this.#statusUnheard = false;
      return;
    }
    if (this.#backend) {
      // The site's session may already exist: ask the backend at once.
      if (this.#backendFetchPending) {
        this.#backendFetchPending = false;
        queueMicrotask(() => void this.signIn());
      }
      return;
    }
    if (!this.#callbackStarted && isCallbackUrl(location.href)) {
      this.#callbackStarted = true;
      // The owner reports failures through its `error` event; a callback another element's
      // sign-in started is left to that element.
      queueMicrotask(() => void (owner as AuthClient).handleCallback(location.href).catch(() => undefined));
      return;
    }
    // Another open tab may be signed in already: ask it before anything redirects.
    if (this.#asked !== owner && options.share !== 'none' && owner.status === 'signed-out') {
      this.#asked = owner;
      this.#asking = true;
      queueMicrotask(() =>
        void (owner as AuthClient).signInFromOtherTabs().finally(() => {
          this.#asking = false;
          this.#element.requestUpdate();
        }),
      );
      return;
    }
    // Never while this tab waits for a sign-in to come back: a server that returns without an
    // answer would otherwise start a redirect loop.
    if (options.autoRedirect && !this.#asking && !autoRedirectUsed && owner.status === 'signed-out' && !owner.error && !hasPendingTransaction()) {
      autoRedirectUsed = true;
      queueMicrotask(() => void this.signIn());
    }
  }

  /** Starts the Authorization Code + PKCE redirect; with tokens from a backend, asks the backend again. */
  async signIn(): Promise<void> {
    if (this.#loading) await this.#loading;
    const owner = this.#owner;
    if (!owner) {
      if (this.#error) this.#host.report('error', this.#error);
      return;
    }
    // The owner clears its error as it starts. Failures reach the page through the owner's
    // `error` event; with a backend, a 401 is just `signed-out`.
    if (this.#backend) {
      await owner.signIn().catch(() => undefined);
      return;
    }
    await owner
      .signIn({
        returnPath: location.pathname + location.search + location.hash,
        // A cancelled redirect returns false: the owner forgets the sign-in.
        navigate: (url) => this.#host.navigate(url),
      })
      .catch(() => undefined);
  }

  async signOut(): Promise<void> {
    if (this.#loading) {
      await this.#loading;
      // Signed out before the first ask: do not ask.
      this.#backendFetchPending = false;
    }
    await this.#owner?.signOut();
    // Signed out already, the owner only dropped its error: nothing told subscribers, so show it.
    this.#element.requestUpdate();
  }

  /** The owner's snapshots, whichever owner the relay holds (a new one after an option change). */
  subscribe(listener: (snapshot: AuthSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async getAccessToken(options?: { forceRefresh?: boolean }): Promise<string> {
    await this.#loading;
    if (!this.#owner) {
      throw this.#error ?? new EmbedKitError('not_signed_in', 'Not signed in.', { hint: 'Call signIn() or wait for auth-signed-in.' });
    }
    return this.#owner.getAccessToken(options);
  }

  #setOwner(owner: SignInSource | undefined): void {
    // A new owner has no user yet: the old one's is gone.
    if (this.user) this.#host.report('user-changed', undefined);
    this.#owner = owner;
    this.#host.ownerChanged(owner);
    this.#element.requestUpdate();
    if (!owner) return;
    this.#statusUnheard = false;
    this.#status = owner.status;
    this.#unlisten = this.#listen(owner);
    notifyListeners(this.#listeners, { status: owner.status, expiresAt: owner.expiresAt });
  }

  #listen(owner: SignInSource): () => void {
    const host = this.#host;
    const handlers: Record<string, (event: Event) => void> = {
      'signed-in': () => host.report('signed-in', owner.expiresAt),
      'token-refreshed': () => host.report('token-refreshed', owner.expiresAt),
      'signed-out': (event) => {
        const detail = (event as CustomEvent<{ reason: SignOutReason; error?: EmbedKitError }>).detail;
        host.report('signed-out', detail?.reason ?? 'user', detail?.error);
      },
      error: (event) => {
        this.#element.requestUpdate();
        host.report('error', (event as CustomEvent<EmbedKitError>).detail);
      },
      'user-change': (event) => {
        this.#element.requestUpdate();
        host.report('user-changed', (event as CustomEvent<AuthUser | null>).detail ?? undefined);
      },
      // Reported, but not kept as the error: the sign-in itself worked.
      'user-error': (event) => host.report('error', (event as CustomEvent<EmbedKitError>).detail),
    };
    for (const [type, handler] of Object.entries(handlers)) owner.addEventListener(type, handler);
    // Every change of the owner's (status, error, expiry) is shown; the relay keeps its status
    // too, so that it knows what subscribers last heard once the owner is gone.
    const unsubscribe = owner.subscribe((snapshot) => {
      this.#status = snapshot.status;
      this.#element.requestUpdate();
      notifyListeners(this.#listeners, snapshot);
    });
    return () => {
      unsubscribe();
      for (const [type, handler] of Object.entries(handlers)) owner.removeEventListener(type, handler);
    };
  }

  /** A status of the relay's own, heard by subscribers after the update that shows it. */
  #setOwnStatus(status: AuthStatus): void {
    if (status === this.#status) return;
    this.#statusUnheard = true;
    this.#status = status;
    this.#element.requestUpdate();
  }

  /** A failure before there is an owner to report it (configuration, loading). */
  #fail(error: unknown): void {
    const typed = (this.#error = toEmbedKitError(error));
    this.#element.requestUpdate();
    this.#setOwnStatus('error');
    this.#host.report('error', typed);
  }
}
