/**
 * The sign-in orchestrator: authorization code flow with PKCE for a public browser client,
 * tokens in memory, refresh on demand, revocation on sign-out. `<auth-login>` wraps it; it
 * works on its own too.
 *
 * This module is what a page needs before anyone signs in: the option checks that must fail at
 * once, status, events and `isCallback`. The protocol itself (`flows.ts`: PKCE, the callback
 * checks and code exchange, tokens, discovery, the user) loads the first time it is needed;
 * `<auth-login>` preloads it when the page is idle, and at once on a callback.
 * @see https://www.rfc-editor.org/rfc/rfc9700 (OAuth 2.0 Security Best Current Practice)
 */
import { notifyListeners } from './listeners.ts';
import type { AuthSnapshot, AuthSource, AuthStatus } from './source.ts';
import { ConfigurationError, EmbedKitError, type UserInfoError } from './errors.ts';
import { isCallbackUrl, parseCallback } from './callback-url.ts';
import { assertSecureUrl, providerHost, refuseClientSecret, type ProviderName } from './provider-options.ts';
import type { AuthFlows } from './flows.ts';
import type { SignOutReason } from './token-store.ts';
import type { AuthUser } from './user.ts';

export interface AuthClientOptions {
  /** Default `qlik`. */
  provider?: ProviderName;
  /** Qlik tenant (`tenant.eu.qlikcloud.com` or an https origin). */
  host?: string;
  /** Genesys Cloud region domain, e.g. `mypurecloud.com`. */
  region?: string;
  /** OIDC issuer to discover; for other providers, the expected RFC 9207 `iss`. */
  issuer?: string;
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  revocationEndpoint?: string;
  userinfoEndpoint?: string;
  clientId: string;
  /** Default: `location.origin + location.pathname`. Must be registered exactly so. */
  redirectUri?: string;
  scope?: string;
  tokenRequestFormat?: 'form' | 'json';
  credentials?: RequestCredentials;
  fetch?: typeof fetch;
  /** Per request; default 15 000. */
  timeoutMs?: number;
  /** Refresh this many seconds before expiry; default 30. */
  refreshSkewSeconds?: number;
  /** Defaults to the tab's session storage (see transaction.ts); only ever holds the login transaction. */
  storage?: Storage;
  /**
   * `tabs` (default): share the sign-in with the other open tabs of this origin and sign-in
   * (provider, host, client id) over a `BroadcastChannel`, in memory only (see tab-sync.ts);
   * `none`: this client keeps to itself.
   */
  share?: 'tabs' | 'none';
}

export interface SignedInDetail {
  expiresAt: number | undefined;
}
export type TokenRefreshedDetail = SignedInDetail;
export interface SignedOutDetail {
  reason: SignOutReason;
  error?: EmbedKitError;
}
export interface StatusChangeDetail {
  status: AuthStatus;
  previous: AuthStatus;
}

/** Events an `AuthClient` dispatches, all plain `CustomEvent`s. */
export interface AuthClientEventMap {
  'signed-in': CustomEvent<SignedInDetail>;
  'token-refreshed': CustomEvent<TokenRefreshedDetail>;
  'signed-out': CustomEvent<SignedOutDetail>;
  error: CustomEvent<EmbedKitError>;
  'status-change': CustomEvent<StatusChangeDetail>;
  /** Detail: the new user, or `null` when there is none (signed out). */
  'user-change': CustomEvent<AuthUser | null>;
  'user-error': CustomEvent<UserInfoError>;
}

/** What the flows may do to the `AuthClient` that loaded them, beyond its public API. */
export interface ClientInternals {
  readonly options: AuthClientOptions;
  location(): Location;
  /** The ID token verifier (and jose), imported only when an ID token arrives. */
  loadIdToken(): Promise<typeof import('./id-token.ts')>;
  setStatus(status: AuthStatus): void;
  setError(error: EmbedKitError | undefined): void;
  notify(): void;
}

let flowsModule: Promise<typeof import('./flows.ts')> | undefined;

/** The error for a chunk of the kit's own code that did not load. */
export function loadFailed(cause: unknown): EmbedKitError {
  return new EmbedKitError('load_failed', 'The sign-in code could not be loaded.', {
    hint: 'The page could not load its own sign-in code (offline, or a deploy replaced the files). Reload the page.',
    cause,
  });
}

/**
 * Loads the sign-in flows, once per page. A failed load (offline, or a deploy replaced the files)
 * is tried again by the next call. `<auth-login>` calls it when idle, so that a click on Sign in
 * does not wait for it.
 */
export function loadAuthFlows(): Promise<typeof import('./flows.ts')> {
  if (!flowsModule) {
    const pending = import('./flows.ts');
    flowsModule = pending;
    pending.catch(() => {
      if (flowsModule === pending) flowsModule = undefined;
    });
  }
  return flowsModule;
}

function pageLocation(): Location {
  const location = globalThis.location as Location | undefined;
  if (!location) {
    throw new ConfigurationError('missing_option', 'There is no page location to default the redirect URI from.', {
      hint: 'Pass redirectUri.',
    });
  }
  return location;
}

/**
 * Sign-in for a public browser client. Construct it with the provider options, call
 * `signIn()` to leave for the authorization server, and on the page the server sends the user
 * back to, `handleCallback()`.
 *
 * @fires signed-in - the code exchange succeeded
 * @fires token-refreshed - a refresh succeeded
 * @fires signed-out - tokens are gone: `{ reason: 'user' | 'other_tab' | 'refresh_failed' | 'expired', error? }`
 * @fires error - sign-in failed; detail is the typed error
 * @fires status-change - `{ status, previous }`
 * @fires user-change - `user` changed; detail is the new user or `null`
 * @fires user-error - the user could not be loaded after sign-in (`user_unavailable`); still signed in
 */
export class AuthClient extends EventTarget implements AuthSource {
  /** Origin the tokens are for, when the provider has one. */
  readonly host: string | undefined;
  readonly clientId: string;
  readonly redirectUri: string;

  readonly #options: AuthClientOptions;
  readonly #listeners = new Set<(snapshot: AuthSnapshot) => void>();
  #status: AuthStatus = 'signed-out';
  #error: EmbedKitError | undefined;
  /** The protocol side, once loaded; it holds the tokens and the user. */
  #flows: AuthFlows | undefined;
  #loading: Promise<AuthFlows> | undefined;
  #closed = false;

  /**
   * @throws {ConfigurationError} at once for a client secret (`client_secret_refused`), plain
   * http off loopback (`insecure_endpoint`), or a missing client id, host, region or issuer
   * (`missing_option`).
   */
  constructor(options: AuthClientOptions) {
    super();
    if (typeof options !== 'object' || options === null) throw new TypeError('AuthClient needs an options object');
    refuseClientSecret(options);
    const clientId = typeof options.clientId === 'string' ? options.clientId.trim() : '';
    if (!clientId) {
      throw new ConfigurationError('missing_option', 'The clientId option is required.', {
        hint: 'Set client-id to the id of the OAuth client registered for this page.',
      });
    }
    // Checks every provider option (and works out the host) without the network.
    this.host = providerHost(options);
    this.#options = { ...options };
    this.clientId = clientId;
    const uri = options.redirectUri?.trim() || `${pageLocation().origin}${pageLocation().pathname}`;
    // RFC 6749 §3.1.2: the redirection endpoint URI must not include a fragment.
    if (assertSecureUrl(uri, 'redirectUri').hash) {
      throw new ConfigurationError('invalid_option', `The redirectUri ${uri} has a fragment.`, {
        hint: 'Remove the #fragment from redirect-uri (and from the registered URI).',
      });
    }
    // Kept as written, since servers compare it with the registered string.
    this.redirectUri = uri;
    // The token store checks this too, but it loads later; a bad value should fail now.
    const skew = options.refreshSkewSeconds ?? 30;
    if (!Number.isFinite(skew) || skew < 0) throw new TypeError(`refreshSkewSeconds must be >= 0, got ${String(skew)}`);
  }

  /** `signed-out`, `redirecting`, `exchanging`, `signed-in` or `error`. */
  get status(): AuthStatus {
    return this.#status;
  }

  /** The last failure; cleared by a new sign-in or a sign-out. */
  get error(): EmbedKitError | undefined {
    return this.#error;
  }

  /** Epoch milliseconds when the access token expires, when known. */
  get expiresAt(): number | undefined {
    return this.#flows?.expiresAt;
  }

  /**
   * Who signed in, once known: for `oidc`, the claims of the verified ID token (`sub`, plus `id`);
   * for `qlik` and `genesys` (and `oidc` without an ID token), the provider's user endpoint, loaded
   * right after sign-in. `undefined` while signed out or when it could not be loaded.
   */
  get user(): AuthUser | undefined {
    return this.#flows?.user;
  }

  /** Called on every status change and token refresh. Returns the unsubscribe function. */
  subscribe(listener: (snapshot: AuthSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Whether `url` (default: the page) carries an authorization response: `state` plus `code` or `error`. */
  static isCallback(url?: string | URL): boolean {
    try {
      return isCallbackUrl(url ?? pageLocation().href);
    } catch {
      return false;
    }
  }

  /**
   * Builds the authorization request (RFC 6749 §4.1.1 with PKCE, RFC 7636 §4.3) and stores the
   * login transaction it needs on return.
   * @param returnPath same-origin path to come back to; default: the current page.
   */
  async createAuthorizationUrl(returnPath?: string): Promise<URL> {
    return (await this.#load()).createAuthorizationUrl(returnPath);
  }

  /**
   * Leaves for the authorization server. Status goes to `redirecting`; on failure to `error`
   * (and the promise rejects; with `load_failed` when the sign-in code itself cannot be loaded).
   * @param options.navigate replaces `location.assign`, e.g. for a popup or a test.
   */
  async signIn(options: { returnPath?: string; navigate?: (url: URL) => void } = {}): Promise<void> {
    this.#error = undefined;
    this.#setStatus('redirecting');
    try {
      await (await this.#load()).signIn(options);
    } catch (error) {
      throw this.#fail(error as EmbedKitError);
    }
  }

  /**
   * Finishes a sign-in on the redirect URI page: checks the response, exchanges the code exactly
   * once, and on the page itself removes the response from the URL and returns to the saved path
   * with `history.replaceState`. Status goes `exchanging` → `signed-in`, or `error` (the promise
   * rejects with the typed error, and no token request is made for a refused response; a
   * `load_failed` leaves the callback in the URL, untouched, for a reload to finish).
   * @param url default: the page URL.
   */
  async handleCallback(url?: string | URL): Promise<void> {
    const location = pageLocation();
    const href = new URL(url ?? location.href).href;
    const params = parseCallback(href);
    this.#error = undefined;
    this.#setStatus('exchanging');
    try {
      // History is only touched when the callback is this very page, not some URL handed in.
      await (await this.#load()).handleCallback(params, href === location.href);
    } catch (error) {
      throw this.#fail(error as EmbedKitError);
    }
  }

  /**
   * A valid access token, refreshed first when it expires within the skew.
   * @throws {SignInRequiredError} when not signed in; the refresh error when refresh fails.
   */
  getAccessToken(options: { forceRefresh?: boolean } = {}): Promise<string> {
    // Without the flows there have been no tokens; they still answer `not_signed_in`.
    return this.#flows ? this.#flows.getAccessToken(options) : this.#load().then((flows) => flows.getAccessToken(options));
  }

  /**
   * Asks the other open tabs of this sign-in for their tokens (about 150 ms at most, less when
   * every tab has answered) and signs in with them without a redirect. Resolves whether this
   * client is signed in afterwards. With `share: 'none'`, resolves `false` at once.
   */
  async signInFromOtherTabs(): Promise<boolean> {
    if (this.#options.share === 'none') return false;
    try {
      return await (await this.#load()).signInFromOtherTabs();
    } catch {
      // The flows could not load: nobody to ask, and Sign in reports the load failure.
      return false;
    }
  }

  /** Stops answering and listening to other tabs; call it when discarding the client. */
  close(): void {
    this.#closed = true;
    this.#flows?.close();
  }

  /**
   * Drops the tokens from memory at once (status `signed-out`), then revokes the refresh and
   * access tokens (RFC 7009) when the provider has a revocation endpoint. Revocation failures
   * are ignored: the tokens are already gone from the page.
   */
  async signOut(): Promise<void> {
    // Without the flows there are no tokens to drop or revoke.
    if (!(await this.#flows?.signOut())) {
      // Nothing was cleared, so nothing said so; still leave any error or redirecting state.
      this.#error = undefined;
      this.#setStatus('signed-out');
    }
  }

  override addEventListener<K extends keyof AuthClientEventMap>(
    type: K,
    listener: ((event: AuthClientEventMap[K]) => void) | { handleEvent(event: AuthClientEventMap[K]): void } | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void {
    super.addEventListener(type, listener, options);
  }

  override removeEventListener<K extends keyof AuthClientEventMap>(
    type: K,
    listener: ((event: AuthClientEventMap[K]) => void) | { handleEvent(event: AuthClientEventMap[K]): void } | null,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void {
    super.removeEventListener(type, listener, options);
  }

  /** The flows for this client, loading them first when needed. */
  #load(): Promise<AuthFlows> {
    this.#loading ??= loadAuthFlows().then(
      ({ AuthFlows }) => {
        const flows = new AuthFlows(this, {
          options: this.#options,
          location: pageLocation,
          // Imported here rather than in the flows: a bundler's helper for import() then lives only
          // in the code loaded up front, instead of in a shared chunk of its own.
          loadIdToken: () => import('./id-token.ts'),
          setStatus: (status) => this.#setStatus(status),
          setError: (error) => (this.#error = error),
          notify: () => this.#notify(),
        });
        if (this.#closed) flows.close();
        return (this.#flows = flows);
      },
      (cause: unknown) => {
        this.#loading = undefined;
        throw loadFailed(cause);
      },
    );
    return this.#loading;
  }

  /** Every error that reaches here is typed already: by the flows, or as `load_failed`. */
  #fail(error: EmbedKitError): EmbedKitError {
    this.#error = error;
    this.#setStatus('error');
    this.#dispatch('error', error);
    return error;
  }

  #setStatus(status: AuthStatus): void {
    const previous = this.#status;
    if (previous === status) return;
    this.#status = status;
    this.#notify();
    this.#dispatch('status-change', { status, previous });
  }

  #notify(): void {
    const snapshot: AuthSnapshot = { status: this.#status };
    if (this.expiresAt !== undefined) snapshot.expiresAt = this.expiresAt;
    notifyListeners(this.#listeners, snapshot);
  }

  #dispatch<K extends keyof AuthClientEventMap>(type: K, detail: AuthClientEventMap[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
