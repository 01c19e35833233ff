import { LitElement, type PropertyValues, type TemplateResult } from 'lit';
import { ContextProvider } from '@lit/context';
import type { AuthClient, AuthClientOptions } from '../../auth/client.ts';
import { isCallbackUrl } from '../../auth/callback-url.ts';
import { hasPendingTransaction } from '../../auth/transaction.ts';
import { EmbedKitError, toEmbedKitError } from '../../auth/errors.ts';
import { notifyListeners } from '../../auth/listeners.ts';
import type { AuthSnapshot, AuthSource, AuthStatus, SignInSource } from '../../auth/source.ts';
import type { AuthUser } from '../../auth/user.ts';
import { authContext } from '../auth-context.ts';
import { styles } from './auth-login.styles.ts';
import { renderAuthLogin } from './auth-login.view.ts';
import { loadOwner, ownerModules as modules, type BackendModule, type ClientModule } from './owner-loader.ts';
import {
  AuthBeforeRedirectEvent,
  AuthErrorEvent,
  AuthSignedInEvent,
  AuthSignedOutEvent,
  AuthTokenRefreshedEvent,
  AuthUserChangedEvent,
  type SignOutReason,
} from './events.ts';

type Provider = NonNullable<AuthClientOptions['provider']>;

/** At most one automatic redirect per page load, however many elements or re-renders ask. */
let autoRedirectUsed = false;
/** Options that shape the client; a change to any of them starts a new client. */
const CLIENT_OPTIONS = [
  'provider',
  'host',
  'region',
  'issuer',
  'clientId',
  'redirectUri',
  'scope',
  'authorizationEndpoint',
  'tokenEndpoint',
  'revocationEndpoint',
  'accessTokenUrl',
  'accessTokenFunctionName',
  'getAccessTokenFn',
  'share',
] as const;

/**
 * @tagname auth-login
 * @summary Signs the user in with OAuth 2 Authorization Code + PKCE and keeps the tokens in memory.
 *
 * With `access-token-url` (or `get-access-token`, or the `getAccessTokenFn` property) it takes the
 * tokens from your backend instead: no redirect and no PKCE. It asks at once, shows signed out
 * when the backend answers 401, and its sign-in button asks again.
 *
 * It does not hold the sign-in itself: it creates the one owner of the sign-in state (`auth`, an
 * `AuthClient` or a `BackendTokenSource`), shows it, and provides it to nested elements through
 * context. Others find the element by `auth="<id>"` or, when it is the only one, by looking it up
 * in the document; its `status`, `getAccessToken()` and `subscribe()` forward to the owner.
 *
 * @event auth-before-redirect - Before navigating to the authorization server. Cancelable.
 * @event auth-signed-in - Tokens are held in memory.
 * @event auth-token-refreshed - The access token was refreshed.
 * @event auth-signed-out - Tokens were dropped; `reason` says why: `user`, `other_tab` (signed out in
 *   another tab), `refresh_failed`, `expired` or `backend`.
 * @event auth-error - Something failed; `error` is the typed error with `code` and `hint`. A
 *   `user_unavailable` error (the user could not be loaded) leaves the sign-in and `status` as they are.
 * @event auth-user-changed - `user` changed; `user` is the new value.
 *
 * @slot sign-in - Replaces the sign-in button.
 * @slot signed-in - Replaces the signed-in label.
 * @slot sign-out - Replaces the sign-out button.
 * @slot error - Replaces the error message.
 *
 * @csspart base - The wrapper.
 * @csspart button - Both buttons.
 * @csspart sign-in - The sign-in button.
 * @csspart sign-out - The sign-out button.
 * @csspart status - The progress text while redirecting or exchanging.
 * @csspart signed-out - "Signed out", with tokens from a backend that answered 401.
 * @csspart user-name - The signed-in user's name, inside the signed-in label.
 * @csspart error - The error message.
 *
 * @cssproperty --embed-kit-accent - Button colour.
 * @cssproperty --embed-kit-accent-contrast - Button text colour.
 * @cssproperty --embed-kit-error - Error text colour.
 * @cssproperty --embed-kit-radius - Button corner radius.
 * @cssproperty --embed-kit-font - Font shorthand.
 */
export class AuthLogin extends LitElement implements AuthSource {
  static override styles = styles;

  static override properties = {
    provider: { type: String },
    host: { type: String, noAccessor: true },
    region: { type: String },
    issuer: { type: String },
    clientId: { type: String, attribute: 'client-id', noAccessor: true },
    redirectUri: { type: String, attribute: 'redirect-uri', noAccessor: true },
    scope: { type: String },
    authorizationEndpoint: { type: String, attribute: 'authorization-endpoint' },
    tokenEndpoint: { type: String, attribute: 'token-endpoint' },
    revocationEndpoint: { type: String, attribute: 'revocation-endpoint' },
    accessTokenUrl: { type: String, attribute: 'access-token-url' },
    accessTokenFunctionName: { type: String, attribute: 'get-access-token' },
    getAccessTokenFn: { attribute: false },
    autoRedirect: { type: Boolean, attribute: 'auto-redirect' },
    share: { type: String },
    status: { type: String, reflect: true },
    error: { attribute: false },
    user: { attribute: false },
  };

  /** `qlik` (default), `genesys`, `oidc` or `custom`. */
  declare provider: Provider;
  /** Genesys Cloud region, e.g. `mypurecloud.com`. */
  declare region: string | undefined;
  /** OIDC issuer, discovered through `/.well-known/openid-configuration`. */
  declare issuer: string | undefined;
  /** OAuth scope; each provider has a default. */
  declare scope: string | undefined;
  /** `custom` provider endpoints. */
  declare authorizationEndpoint: string | undefined;
  declare tokenEndpoint: string | undefined;
  declare revocationEndpoint: string | undefined;
  /** Your backend's token endpoint (POSTed with cookies, answers `{access_token, expires_in}`); 401 means signed out. */
  declare accessTokenUrl: string | undefined;
  /** `get-access-token`: the name of a global `() => Promise<string>` (qlik-embed's contract). */
  declare accessTokenFunctionName: string | undefined;
  /** The same contract as a property: your function returns the raw access token. Property only. */
  declare getAccessTokenFn: (() => Promise<string | null | undefined>) | undefined;
  /**
   * Redirect to sign in as soon as the page loads signed out (at most once per page load), after
   * asking the other open tabs. With a live session at the provider, it comes back without a click.
   */
  declare autoRedirect: boolean;
  /**
   * `tabs` (default): share the sign-in with this origin's other open tabs of the same provider,
   * host and client id, in memory only: a new tab or page load asks them first, sign-out signs
   * them all out, and one refresh serves them all. `none`: this element keeps to itself.
   */
  declare share: 'tabs' | 'none';
  /** Where the sign-in stands (the owner's status). Reflected, so CSS can style on it. Read only. */
  declare status: AuthStatus;
  /** The last typed error, if any. */
  declare error: EmbedKitError | undefined;
  /**
   * Who signed in, once known (`id`, `name`, `email`, plus the provider's own fields): the verified
   * ID token's claims for `oidc`, the provider's user endpoint for `qlik` and `genesys`. Read only.
   */
  declare user: AuthUser | undefined;

  /**
   * Extra client options for page code: a `fetch` seam, `tokenRequestFormat`, `credentials`,
   * `timeoutMs`. Property only.
   */
  options: Partial<AuthClientOptions> = {};

  #host: string | undefined;
  #clientId: string | undefined;
  #redirectUri: string | undefined;
  /**
   * An `AuthClient`, or else a `BackendTokenSource`. It (and the tokens in its memory) outlives a
   * move in the DOM.
   */
  #client: SignInSource | undefined;
  /** `#client` is a `BackendTokenSource` (tokens from your backend), not a PKCE `AuthClient`. */
  #backend = false;
  /** While the owner's code loads: settles once the owner exists, or failed to load. */
  #clientLoading: Promise<void> | undefined;
  /** A backend source was just created and has not asked for its first token yet. */
  #backendFetchPending = false;
  #unlisten: (() => void) | undefined;
  #callbackStarted = false;
  /** The client that has asked the other tabs, and whether it still waits for them. */
  #asked: SignInSource | undefined;
  #asking = false;
  readonly #listeners = new Set<(snapshot: AuthSnapshot) => void>();
  readonly #provider = new ContextProvider(this, { context: authContext });

  constructor() {
    super();
    this.provider = 'qlik';
    this.autoRedirect = false;
    this.share = 'tabs';
    this.status = 'signed-out';
    this.error = undefined;
    this.user = undefined;
  }

  /** The sign-in this element shows: the one owner of status, tokens, user and error. */
  get auth(): SignInSource | undefined {
    return this.#client;
  }

  /** The tenant origin (normalised once a client exists), or the `host` attribute as given. */
  get host(): string | undefined {
    return this.#client?.host ?? this.#host;
  }
  set host(value: string | undefined) {
    const old = this.#host;
    this.#host = value;
    this.requestUpdate('host', old);
  }

  get clientId(): string | undefined {
    return this.#clientId;
  }
  set clientId(value: string | undefined) {
    const old = this.#clientId;
    this.#clientId = value;
    this.requestUpdate('clientId', old);
  }

  /** The registered redirect URI; defaults to this page's URL without query or hash. */
  get redirectUri(): string | undefined {
    return this.#client?.redirectUri ?? this.#redirectUri;
  }
  set redirectUri(value: string | undefined) {
    const old = this.#redirectUri;
    this.#redirectUri = value;
    this.requestUpdate('redirectUri', old);
  }

  /** Epoch milliseconds when the access token expires. */
  get expiresAt(): number | undefined {
    return this.#client?.expiresAt;
  }

  /** Also waits while the owner's code loads, so that `status` has settled. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    const loading = this.#clientLoading;
    if (!loading) return done;
    await loading;
    // A load that failed stays in place (and is shown); one that worked was replaced by the source.
    return this.#clientLoading === loading ? super.getUpdateComplete() : this.getUpdateComplete();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const configChanged = CLIENT_OPTIONS.some((key) => changed.has(key)) || !(this.#client || this.#clientLoading);
    // A code exchange in flight must finish; a backend fetch may simply be dropped.
    if (configChanged && (this.status !== 'exchanging' || this.#backend)) this.#createClient();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!this.#client) {
      // Without an owner (no client id, bad options) the element's own status is the news.
      if (changed.has('status')) notifyListeners(this.#listeners, { status: this.status });
      return;
    }
    if (this.#backend) {
      // The site's session may already exist: ask the backend at once (after this update).
      if (this.#backendFetchPending) {
        this.#backendFetchPending = false;
        queueMicrotask(() => void this.signIn());
      }
      return;
    }
    // Work that changes `status` starts after this update, not inside it.
    if (!this.#callbackStarted && isCallbackUrl(location.href)) {
      this.#callbackStarted = true;
      queueMicrotask(() => void this.#handleCallback());
      return;
    }
    // Another open tab may be signed in already: ask it before anything redirects.
    if (this.#asked !== this.#client && this.share !== 'none' && this.status === 'signed-out') {
      const client = (this.#asked = this.#client) as AuthClient;
      this.#asking = true;
      queueMicrotask(() =>
        void client.signInFromOtherTabs().finally(() => {
          this.#asking = false;
          this.requestUpdate();
        }),
      );
      return;
    }
    // Never while this tab waits for a sign-in to come back: a server that returns without an
    // answer would otherwise start a redirect loop.
    if (this.autoRedirect && !this.#asking && !autoRedirectUsed && this.status === 'signed-out' && !this.error && !hasPendingTransaction()) {
      autoRedirectUsed = true;
      queueMicrotask(() => void this.signIn());
    }
  }

  /** Starts the Authorization Code + PKCE redirect; with tokens from a backend, asks the backend again. */
  async signIn(): Promise<void> {
    if (this.#clientLoading) await this.#clientLoading;
    const client = this.#client;
    if (!client) {
      if (this.error) this.dispatchEvent(new AuthErrorEvent(this.error));
      return;
    }
    this.error = undefined;
    if (this.#backend) {
      // Asks the backend again. Failures arrive through the source's events; a 401 is just `signed-out`.
      await client.signIn().catch(() => undefined);
      return;
    }
    // Failures reach the page through the owner's `error` event.
    await client
      .signIn({
        returnPath: location.pathname + location.search + location.hash,
        // Cancelling auth-before-redirect returns false: the owner forgets the sign-in.
        navigate: (url) => this.dispatchEvent(new AuthBeforeRedirectEvent(url)) && location.assign(url.href),
      })
      .catch(() => undefined);
  }

  /** Revokes the tokens where the provider can, then forgets them. */
  async signOut(): Promise<void> {
    if (this.#clientLoading) {
      await this.#clientLoading;
      // Signed out before the first ask: do not ask.
      this.#backendFetchPending = false;
    }
    await this.#client?.signOut();
  }

  /** The owner's snapshots, whichever owner the element holds (a new one after an option change). */
  subscribe(listener: (snapshot: AuthSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The owner's `getAccessToken()`, once there is an owner. */
  async getAccessToken(options?: { forceRefresh?: boolean }): Promise<string> {
    await this.#clientLoading;
    if (!this.#client) {
      throw this.error ?? new EmbedKitError('not_signed_in', 'Not signed in.', { hint: 'Call signIn() or wait for auth-signed-in.' });
    }
    return this.#client.getAccessToken(options);
  }

  #createClient(): void {
    this.#unlisten?.();
    this.#unlisten = undefined;
    // A replaced backend source stops its refresh timer (its listeners are already gone); a
    // replaced client stops talking to other tabs.
    if (this.#backend) void this.#client?.signOut();
    else (this.#client as AuthClient | undefined)?.close();
    this.#backend = false;
    this.#setClient(undefined);
    this.#clientLoading = undefined;
    this.error = undefined;
    this.#setUser(undefined);
    if (this.hasAttribute('client-secret')) {
      this.#fail(
        new EmbedKitError('client_secret_refused', 'A client secret was given to <auth-login>; it was ignored.', {
          hint: 'Anything in a page can be read by anyone who loads it, so a browser cannot keep a secret. Register a public client and use PKCE, or serve tokens from your backend with access-token-url.',
        }),
      );
      return;
    }
    const backend = Boolean(this.accessTokenUrl?.trim() || this.accessTokenFunctionName?.trim() || this.getAccessTokenFn);
    this.#backend = backend;
    if (!backend && !this.clientId) {
      this.status = 'signed-out';
      return;
    }
    const kind = backend ? 'backend' : 'client';
    if (modules.backend && backend) this.#createBackendSource(modules.backend);
    else if (modules.client && !backend) this.#createAuthClient(modules.client);
    else {
      // A backend source asks at once, so the wait for its code counts as part of that.
      if (backend) this.status = 'exchanging';
      const pending: Promise<void> = loadOwner(kind).then(
        () => {
          if (this.#clientLoading !== pending) return;
          // Created in an update, as when the code was already there.
          this.#clientLoading = undefined;
          this.requestUpdate();
          return this.updateComplete.then(() => undefined);
        },
        // Shown, and not tried again until the options change.
        (error: unknown) => {
          if (this.#clientLoading === pending) this.#fail(error);
        },
      );
      this.#clientLoading = pending;
    }
  }

  #createAuthClient({ AuthClient }: ClientModule): void {
    this.#create(
      () =>
        new AuthClient({
          ...this.options,
          provider: this.provider,
          host: this.#host,
          region: this.region,
          issuer: this.issuer,
          clientId: this.clientId ?? '',
          redirectUri: this.#redirectUri,
          scope: this.scope,
          authorizationEndpoint: this.authorizationEndpoint,
          tokenEndpoint: this.tokenEndpoint,
          revocationEndpoint: this.revocationEndpoint,
          share: this.share === 'none' ? 'none' : 'tabs',
        }),
    );
  }

  #createBackendSource({ BackendTokenSource, globalTokenFunction }: BackendModule): void {
    const name = this.accessTokenFunctionName?.trim();
    this.#create(
      () =>
        new BackendTokenSource({
          accessTokenUrl: this.accessTokenUrl,
          getAccessToken: this.getAccessTokenFn ?? (name ? globalTokenFunction(name) : undefined),
          host: this.#host,
          clientId: this.clientId,
          redirectUri: this.#redirectUri,
          fetch: this.options.fetch,
          timeoutMs: this.options.timeoutMs,
          credentials: this.options.credentials,
        }),
    );
  }

  /** Creates the owner (its constructor refuses bad options at once: shown as the element's error). */
  #create(make: () => SignInSource): void {
    try {
      this.#setClient(make());
      this.#backendFetchPending = this.#backend;
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Makes `client` the owner shown, forwarded and provided through context. */
  #setClient(client: SignInSource | undefined): void {
    this.#client = client;
    this.#provider.setValue(client);
    if (!client) return;
    this.#unlisten = this.#listen(client);
    this.status = client.status;
    notifyListeners(this.#listeners, { status: client.status, expiresAt: client.expiresAt });
  }

  #listen(client: SignInSource): () => void {
    const handlers: Record<string, (event: Event) => void> = {
      'signed-in': () => this.dispatchEvent(new AuthSignedInEvent(client.expiresAt)),
      'token-refreshed': () => this.dispatchEvent(new AuthTokenRefreshedEvent(client.expiresAt)),
      'signed-out': (event) => {
        const detail = (event as CustomEvent<{ reason: SignOutReason; error?: EmbedKitError }>).detail;
        this.dispatchEvent(new AuthSignedOutEvent(detail?.reason ?? 'user', detail?.error));
      },
      error: (event) => {
        const error = (event as CustomEvent<EmbedKitError>).detail;
        this.error = error;
        this.dispatchEvent(new AuthErrorEvent(error));
      },
      'user-change': (event) => this.#setUser((event as CustomEvent<AuthUser | null>).detail ?? undefined),
      // Reported, but not shown as the element's error: the sign-in itself worked.
      'user-error': (event) => this.dispatchEvent(new AuthErrorEvent((event as CustomEvent<EmbedKitError>).detail)),
    };
    for (const [type, handler] of Object.entries(handlers)) client.addEventListener(type, handler);
    // The element's status follows the owner's before anyone hears of the change.
    const unsubscribe = client.subscribe((snapshot) => {
      this.status = snapshot.status;
      notifyListeners(this.#listeners, snapshot);
    });
    return () => {
      unsubscribe();
      for (const [type, handler] of Object.entries(handlers)) client.removeEventListener(type, handler);
    };
  }

  async #handleCallback(): Promise<void> {
    // The owner reports failures through its `error` event; a callback another element's sign-in
    // started is left to that element.
    const client = this.#client as AuthClient;
    if (!this.#backend) await client.handleCallback(location.href).catch(() => undefined);
  }

  #setUser(user: AuthUser | undefined): void {
    if (user === this.user) return;
    this.user = user;
    this.dispatchEvent(new AuthUserChangedEvent(user));
  }

  /** A failure before there is an owner to report it (configuration, loading). */
  #fail(error: unknown): void {
    const typed = toEmbedKitError(error);
    this.error = typed;
    this.status = 'error';
    this.dispatchEvent(new AuthErrorEvent(typed));
  }

  protected override render(): TemplateResult {
    return renderAuthLogin({
      status: this.status,
      error: this.error,
      userName: this.user?.name,
      backend: this.#backend,
      signIn: () => void this.signIn(),
      signOut: () => void this.signOut(),
    });
  }
}
