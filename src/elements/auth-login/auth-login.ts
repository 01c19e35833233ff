import { LitElement, isServer, type PropertyValues, type TemplateResult } from 'lit';
import { ContextProvider } from '@lit/context';
import type { AuthClientOptions } from '../../auth/client.ts';
import type { EmbedKitError } from '../../auth/errors.ts';
import { SIGN_IN_OPTIONS, tokensFromBackend, type SignInConfig } from '../../auth/sign-in-owner.ts';
import { SignInRelay, type SignInNews } from '../../auth/sign-in-relay.ts';
import type { AuthSnapshot, AuthSource, AuthStatus, SignInSource } from '../../auth/source.ts';
import type { AuthUser } from '../../auth/user.ts';
import { authContext } from '../auth-context.ts';
import { styles } from './auth-login.styles.ts';
import { renderAuthLogin } from './auth-login.view.ts';
import {
  AuthBeforeRedirectEvent,
  AuthErrorEvent,
  AuthSignedInEvent,
  AuthSignedOutEvent,
  AuthTokenRefreshedEvent,
  AuthUserChangedEvent,
} from './events.ts';

type Provider = NonNullable<AuthClientOptions['provider']>;

/** The event the element dispatches for each kind of news from its sign-in. */
const EVENTS: { [K in keyof SignInNews]: new (...args: SignInNews[K]) => Event } = {
  'signed-in': AuthSignedInEvent,
  'token-refreshed': AuthTokenRefreshedEvent,
  'signed-out': AuthSignedOutEvent,
  error: AuthErrorEvent,
  'user-changed': AuthUserChangedEvent,
};

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
 * Rendered on the server (`@lit-labs/ssr`) it shows signed out (with tokens from a backend:
 * "Signing in…", as the browser will ask at once) and creates no owner: there is no page to sign
 * in from, and the browser takes over.
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
export class AuthLogin extends LitElement implements AuthSource, SignInConfig {
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
   * host, issuer (else token endpoint) and client id, in memory only: a new tab or page load asks them first, sign-out signs
   * them all out, and one refresh serves them all. `none`: this element keeps to itself.
   */
  declare share: 'tabs' | 'none';

  /**
   * Extra client options for page code: a `fetch` seam, `tokenRequestFormat`, `credentials`,
   * `timeoutMs`. Property only.
   */
  options: Partial<AuthClientOptions> = {};

  #host: string | undefined;
  #clientId: string | undefined;
  #redirectUri: string | undefined;
  readonly #provider = new ContextProvider(this, { context: authContext });
  /** Creates and follows the owner of the sign-in state; the element shows it. */
  readonly #signIn = new SignInRelay(this, {
    ownerChanged: (owner) => this.#provider.setValue(owner),
    report: (type, ...args) => this.dispatchEvent(new (EVENTS[type] as new (...news: typeof args) => Event)(...args)),
    // Cancelling auth-before-redirect returns false: the owner forgets the sign-in.
    navigate: (url) => this.dispatchEvent(new AuthBeforeRedirectEvent(url)) && location.assign(url.href),
  });

  constructor() {
    super();
    this.provider = 'qlik';
    this.autoRedirect = false;
    this.share = 'tabs';
  }

  /**
   * Where the sign-in stands (the owner's status). Reflected as the `status` attribute, so CSS can
   * style on it. Rendered on the server with tokens from a backend it is `exchanging`: the browser
   * asks the backend as soon as the element upgrades, so the page does not flash a Retry button.
   */
  get status(): AuthStatus {
    if (isServer && tokensFromBackend(this)) return 'exchanging';
    return this.#signIn.status;
  }

  /** The last typed error, if any. */
  get error(): EmbedKitError | undefined {
    return this.#signIn.error;
  }

  /**
   * Who signed in, once known (`id`, `name`, `email`, plus the provider's own fields): the verified
   * ID token's claims for `oidc`, the provider's user endpoint for `qlik` and `genesys`.
   */
  get user(): AuthUser | undefined {
    return this.#signIn.user;
  }

  /** The sign-in this element shows: the one owner of status, tokens, user and error. */
  get auth(): SignInSource | undefined {
    return this.#signIn.owner;
  }

  /** The tenant origin (normalised once a client exists), or the `host` attribute as given. */
  get host(): string | undefined {
    return this.auth?.host ?? this.#host;
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
    return this.auth?.redirectUri ?? this.#redirectUri;
  }
  set redirectUri(value: string | undefined) {
    const old = this.#redirectUri;
    this.#redirectUri = value;
    this.requestUpdate('redirectUri', old);
  }

  /** Epoch milliseconds when the access token expires. */
  get expiresAt(): number | undefined {
    return this.auth?.expiresAt;
  }

  /** Also waits while the owner's code loads, so that `status` has settled. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    const loading = this.#signIn.loading;
    if (!loading) return done;
    await loading;
    // A load that failed stays in place (and is shown); one that worked was replaced by the owner.
    return this.#signIn.loading === loading ? super.getUpdateComplete() : this.getUpdateComplete();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // On the server there is no page to sign in from: it renders signed out, and the browser takes over.
    if (!isServer && this.#signIn.needsOwner(SIGN_IN_OPTIONS.some((key) => changed.has(key)))) this.#signIn.configure(this, this.hasAttribute('client-secret'));
    // Reflected by hand: `status` is read only, so it is not a reactive property.
    if (this.getAttribute('status') !== this.status) this.setAttribute('status', this.status);
  }

  protected override updated(): void {
    this.#signIn.updated({ share: this.share, autoRedirect: this.autoRedirect });
  }

  /** Starts the Authorization Code + PKCE redirect; with tokens from a backend, asks the backend again. */
  signIn(): Promise<void> {
    return this.#signIn.signIn();
  }

  /** Revokes the tokens where the provider can, then forgets them. */
  signOut(): Promise<void> {
    return this.#signIn.signOut();
  }

  /** The owner's snapshots, whichever owner the element holds (a new one after an option change). */
  subscribe(listener: (snapshot: AuthSnapshot) => void): () => void {
    return this.#signIn.subscribe(listener);
  }

  /** The owner's `getAccessToken()`, once there is an owner. */
  getAccessToken(options?: { forceRefresh?: boolean }): Promise<string> {
    return this.#signIn.getAccessToken(options);
  }

  protected override render(): TemplateResult {
    return renderAuthLogin({
      status: this.status,
      error: this.error,
      userName: this.user?.name,
      // On the server there is no owner; the view still says where the tokens will come from.
      backend: isServer ? tokensFromBackend(this) : this.#signIn.backend,
      signIn: () => void this.signIn(),
      signOut: () => void this.signOut(),
    });
  }
}
