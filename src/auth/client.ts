/**
 * The owner of a PKCE sign-in: authorization code flow for a public browser client, tokens in
 * memory, refresh on demand, revocation on sign-out. `<auth-login>` provides it; it works on its
 * own too.
 *
 * This module is what a page needs before anyone signs in: the option checks that must fail at
 * once, status, events and `isCallback`. The protocol itself (`protocol.ts`: PKCE, the callback
 * checks and code exchange, tokens, discovery, the user) loads the first time it is needed;
 * `<auth-login>` preloads it when the page is idle, and at once on a callback.
 * @see https://www.rfc-editor.org/rfc/rfc9700 (OAuth 2.0 Security Best Current Practice)
 */
import { SignInState } from './sign-in-state.ts';
import type { SignInSource } from './source.ts';
import { type EmbedKitError, loadFailed, toEmbedKitError, type UserInfoError } from './errors.ts';
import { isCallbackUrl, parseCallback, settlePageCallback, takePageCallback } from './callback-url.ts';
import type { ResolvedProvider } from './provider-options.ts';
import { checkClientOptions, pageLocation, type AuthClientEventMap, type AuthClientOptions, type SharedTokens } from './client-options.ts';
import type { ProtocolSeam } from './protocol.ts';
import type { TokenStore, TokenStoreChange } from './token-store.ts';
import { ClientTabs } from './client-tabs.ts';
import type { AuthUser } from './user.ts';

export type {
  AuthClientEventMap,
  AuthClientOptions,
  SharedTokens,
  SignedInDetail,
  SignedOutDetail,
  StatusChangeDetail,
  TokenRefreshedDetail,
} from './client-options.ts';

type Protocol = typeof import('./protocol.ts');
let protocolModule: Promise<Protocol> | undefined;

/**
 * Loads the sign-in protocol, once per page. A failed load (offline, or a deploy replaced the
 * files) is tried again by the next call. `<auth-login>` calls it when idle, so that a click on
 * Sign in does not wait for it.
 */
export function loadAuthProtocol(): Promise<Protocol> {
  if (!protocolModule) {
    const pending = import('./protocol.ts');
    protocolModule = pending;
    pending.catch(() => {
      if (protocolModule === pending) protocolModule = undefined;
    });
  }
  return protocolModule;
}

/**
 * Sign-in for a public browser client, and the one owner of its state: status, tokens, user and
 * last error live here and nowhere else. Construct it with the provider options, call `signIn()`
 * to leave for the authorization server, and on the page the server sends the user back to,
 * `handleCallback()`. The protocol steps are stateless functions (`protocol.ts`) it calls.
 *
 * @fires signed-in - the code exchange succeeded (or another tab's tokens were adopted)
 * @fires token-refreshed - a refresh succeeded
 * @fires signed-out - tokens are gone: `{ reason: 'user' | 'other_tab' | 'refresh_failed' | 'expired', error? }`
 * @fires error - sign-in failed; detail is the typed error
 * @fires status-change - `{ status, previous }`
 * @fires user-change - `user` changed; detail is the new user or `null`
 * @fires user-error - the user could not be loaded after sign-in (`user_unavailable`); still signed in
 */
export class AuthClient extends SignInState<AuthClientEventMap> implements SignInSource {
  /** Origin the tokens are for, when the provider has one. */
  readonly host: string | undefined;
  readonly clientId: string;
  readonly redirectUri: string;

  readonly #options: AuthClientOptions;
  #user: AuthUser | undefined;
  /** The tokens, once the protocol has loaded (there are none before). */
  #store: TokenStore | undefined;
  #protocol: Promise<Protocol> | undefined;
  #provider: Promise<ResolvedProvider> | undefined;
  /** State of the last callback whose tokens this client took (a state, not a secret). */
  #appliedState: string | undefined;
  /** `sub` of the ID token the user signed in with, which a refreshed ID token must repeat. */
  #subject: string | undefined;
  /** Bumped whenever the user is set or cleared, so a late user response cannot overwrite a newer state. */
  #userGeneration = 0;
  /** The other tabs of this sign-in, linked once the protocol has loaded; none with `share: 'none'`. */
  readonly #tabs = new ClientTabs((tokens) => void this.#loadUser(tokens.access_token));

  /**
   * @throws {ConfigurationError} at once for a client secret (`client_secret_refused`), plain
   * http off loopback (`insecure_endpoint`), or a missing client id, host, region or issuer
   * (`missing_option`).
   */
  constructor(options: AuthClientOptions) {
    super();
    const { host, clientId, redirectUri } = checkClientOptions(options);
    this.host = host;
    this.clientId = clientId;
    this.redirectUri = redirectUri;
    this.#options = { ...options };
  }

  /** Epoch milliseconds when the access token expires, when known. */
  override get expiresAt(): number | undefined {
    return this.#store?.expiresAt;
  }

  /**
   * Who signed in, once known: for `oidc`, the claims of the verified ID token (`sub`, plus `id`);
   * for `qlik` and `genesys` (and `oidc` without an ID token), the provider's user endpoint, loaded
   * right after sign-in. `undefined` while signed out or when it could not be loaded.
   */
  get user(): AuthUser | undefined {
    return this.#user;
  }

  /** Whether `url` (default: the page) carries an authorization response for this tab. */
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
    const protocol = await this.#load();
    return protocol.createAuthorizationRequest(await this.#resolve(protocol), this, {
      returnPath,
      location: pageLocation(),
      storage: this.#options.storage,
    });
  }

  /**
   * Leaves for the authorization server. Status goes to `redirecting`; on failure to `error`
   * (and the promise rejects; with `load_failed` when the sign-in code itself cannot be loaded).
   * @param options.navigate replaces `location.assign`, e.g. for a popup or a test. Returning
   * `false` cancels: the status goes back to where it was.
   */
  async signIn(options: { returnPath?: string; navigate?: (url: URL) => unknown } = {}): Promise<void> {
    this.setError(undefined);
    this.setStatus('redirecting');
    try {
      const url = await this.createAuthorizationUrl(options.returnPath);
      const navigate = options.navigate ?? ((target: URL) => pageLocation().assign(target.href));
      // Cancelled (auth-before-redirect): back to where it stood. The transaction stays until it
      // expires, so a callback that still arrives for it can finish.
      if (navigate(url) === false) this.setStatus(this.#store?.hasToken ? 'signed-in' : 'signed-out');
    } catch (error) {
      throw this.#fail(error);
    }
  }

  /**
   * Finishes a sign-in on the redirect URI page: checks the response, exchanges the code exactly
   * once, and on the page itself removes the response from the URL and returns to the saved path
   * with `history.replaceState`. Status goes `exchanging` → `signed-in`, or `error` (the promise
   * rejects with the typed error, and no token request is made for a refused response).
   *
   * A callback for a sign-in another client started (another token endpoint or client id) is
   * left alone for that client: resolves `false`, nothing changes.
   * @param url default: the page URL.
   */
  async handleCallback(url?: string | URL): Promise<boolean> {
    const location = pageLocation();
    // The page's own response leaves the address bar now, before the protocol loads and before
    // any router reads it; the exchange takes it from memory.
    const page = takePageCallback(this.#options.storage, url);
    const href = new URL(url ?? location.href).href;
    // History is only touched when the callback is this very page, not some URL handed in.
    const onPage = page !== undefined || href === location.href;
    let protocol: Protocol;
    let exchange: ReturnType<Protocol['claimCallback']>;
    try {
      protocol = await this.#load();
      exchange = protocol.claimCallback(page?.params ?? parseCallback(href), await this.#resolve(protocol), this, this.#seam());
    } catch (error) {
      // Nothing was exchanged (load_failed, discovery): the callback goes back in the URL for a reload to finish.
      if (page) settlePageCallback(page, { putBack: true });
      throw this.#fail(error);
    }
    // Another client's sign-in: its response waits for that client.
    if (!exchange) return false;
    this.setError(undefined);
    this.setStatus('exchanging');
    try {
      const { state, tokens, claims, returnPath } = await exchange;
      // The same client handling one callback twice applies it once, so `signed-in` fires once.
      if (this.#appliedState !== state) {
        this.#appliedState = state;
        // Before the tokens, so that `signed-in` listeners already see the user from the ID token.
        this.#subject = claims?.sub;
        this.#setUser(claims ? protocol.toAuthUser(claims) : undefined);
        this.#store?.set(tokens);
        if (!claims) void this.#loadUser(tokens.access_token);
      } else {
        this.setStatus('signed-in');
      }
      if (onPage) {
        const target = new URL(protocol.safeReturnPath(returnPath, location.origin), location.origin);
        globalThis.history.replaceState(globalThis.history.state, '', target.href);
      }
      return true;
    } catch (error) {
      // A failed callback must not stay in the address bar either: a reload would replay it.
      if (onPage) protocol.cleanCallbackUrl();
      throw this.#fail(error);
    } finally {
      if (page) settlePageCallback(page, { putBack: false });
    }
  }

  /**
   * A valid access token, refreshed first when it expires within the skew.
   * @throws {SignInRequiredError} when not signed in; the refresh error when refresh fails.
   */
  getAccessToken(options: { forceRefresh?: boolean } = {}): Promise<string> {
    // Without the store there have been no tokens; it still answers `not_signed_in`.
    const store = this.#store;
    return store ? store.getAccessToken(options) : this.#load().then(() => this.getAccessToken(options));
  }

  /**
   * Drops the tokens from memory at once (status `signed-out`), then revokes the refresh and
   * access tokens (RFC 7009) when the provider has a revocation endpoint. Revocation failures
   * are ignored: the tokens are already gone from the page.
   */
  async signOut(): Promise<void> {
    const store = this.#store;
    if (!store?.hasToken) {
      // Nothing was cleared, so nothing said so; still leave any error or redirecting state.
      this.setError(undefined);
      this.setStatus('signed-out');
      return;
    }
    const protocol = await this.#load();
    await store.signOut(async (token, hint) => protocol.revoke(await this.#resolve(protocol), this.clientId, token, hint, this.#seam()));
  }

  /**
   * Takes tokens another tab of this page shared (see `onTokens`), or `undefined` when that tab
   * signed out: then this tab drops its tokens too, without revoking them again. Nothing is
   * echoed back through `onTokens`.
   */
  async adoptTokens(tokens: SharedTokens | undefined): Promise<void> {
    await this.#load();
    this.#tabs.adopt(tokens);
  }

  /**
   * Asks the other open tabs of this sign-in for their tokens (about 150 ms at most, less once
   * every live tab has answered, no wait when there is none) and signs in with them: no redirect,
   * no token request. Resolves whether this client is signed in afterwards; with `share: 'none'`,
   * `false` at once.
   */
  async signInFromOtherTabs(): Promise<boolean> {
    if (this.#options.share === 'none') return false;
    try {
      await this.#load();
    } catch {
      // Nobody to ask without the code; Sign in reports the load failure.
      return false;
    }
    await this.#tabs.request();
    return this.#store?.hasToken ?? false;
  }

  /** Stops answering and listening to other tabs; for a client that is being discarded. */
  close(): void {
    this.#tabs.close();
  }

  /** The protocol, loading it first when needed; the token store is created with it. */
  #load(): Promise<Protocol> {
    this.#protocol ??= loadAuthProtocol().then(
      (protocol) => {
        const { lock, refreshSkewSeconds, clock, share, shareWaitMs } = this.#options;
        const tabs = this.#tabs;
        if (share !== 'none' && protocol.tabSyncAvailable()) {
          // Its bounded wait is for messages between tabs, which arrive in real time: the system clock.
          tabs.link((handlers) => new protocol.TabSync(protocol.tabSyncKey(this.#options), { waitMs: shareWaitMs, ...handlers }));
        }
        const store = new protocol.TokenStore({
          refreshSkewSeconds,
          clock,
          lock: tabs.linked ? (work) => tabs.exclusive(work) : lock && ((work) => lock(`embed-kit:auth:refresh:${this.clientId}`, work)),
          refresh: async (refreshToken) => {
            const result = await protocol.refreshGrant(await this.#resolve(protocol), this.clientId, refreshToken, this.#subject, this.#seam());
            if (result.claims && this.status === 'signed-in') this.#setUser(protocol.toAuthUser(result.claims));
            return result.tokens;
          },
        });
        store.subscribe((change) => this.#onTokens(change));
        tabs.attach(store);
        this.#store = store;
        return protocol;
      },
      (cause: unknown) => {
        this.#protocol = undefined;
        throw loadFailed(cause);
      },
    );
    return this.#protocol;
  }

  #resolve(protocol: Protocol): Promise<ResolvedProvider> {
    if (!this.#provider) {
      const pending = protocol.resolveProvider(this.#options, this.#seam());
      this.#provider = pending;
      // A failed discovery is retried next time rather than remembered forever.
      pending.catch(() => {
        if (this.#provider === pending) this.#provider = undefined;
      });
    }
    return this.#provider;
  }

  #seam(): ProtocolSeam {
    const { fetch, timeoutMs, storage } = this.#options;
    // Imported here rather than in the protocol: a bundler's helper for import() then lives only
    // in the code loaded up front, instead of in a shared chunk of its own.
    return { fetch, timeoutMs, storage, loadIdToken: () => import('./id-token.ts') };
  }

  /** Loads the user from the provider's user endpoint with the fresh access token; failures leave sign-in alone. */
  async #loadUser(accessToken: string): Promise<void> {
    const generation = this.#userGeneration;
    try {
      const protocol = await this.#load();
      const user = await protocol.loadUser(await this.#resolve(protocol), accessToken, this.#seam());
      if (user && generation === this.#userGeneration && this.status === 'signed-in') this.#setUser(user);
    } catch (error) {
      if (generation === this.#userGeneration) this.dispatch('user-error', error as UserInfoError);
    }
  }

  #setUser(user: AuthUser | undefined): void {
    this.#userGeneration += 1;
    if (user === this.#user) return;
    this.#user = user;
    this.dispatch('user-change', user ?? null);
  }

  #onTokens(change: TokenStoreChange): void {
    const share = this.#tabs.adopting ? undefined : this.#options.onTokens;
    this.#tabs.tell(change);
    switch (change.type) {
      case 'set':
        this.setError(undefined);
        this.setStatus('signed-in');
        this.dispatch('signed-in', { expiresAt: change.expiresAt });
        share?.(this.#store?.tokens());
        break;
      case 'refreshed':
        this.notify();
        this.dispatch('token-refreshed', { expiresAt: change.expiresAt });
        share?.(this.#store?.tokens());
        break;
      case 'cleared':
        this.#subject = undefined;
        this.#setUser(undefined);
        this.setError(change.error);
        this.setStatus('signed-out');
        this.dispatch('signed-out', change.error ? { reason: change.reason, error: change.error } : { reason: change.reason });
        share?.(undefined);
        break;
    }
  }

  /** Anything that reaches here is made typed (`load_failed` and the protocol's errors already are). */
  #fail(cause: unknown): EmbedKitError {
    const error = toEmbedKitError(cause);
    this.setError(error);
    this.setStatus('error');
    this.dispatch('error', error);
    return error;
  }

}
