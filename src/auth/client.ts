/**
 * The sign-in orchestrator: authorization code flow with PKCE for a public browser client,
 * tokens in memory, refresh on demand, revocation on sign-out. `<auth-login>` wraps it; it
 * works on its own too.
 * @see https://www.rfc-editor.org/rfc/rfc9700 (OAuth 2.0 Security Best Current Practice)
 */
import type { AuthSnapshot, AuthSource, AuthStatus } from './source.ts';
import { ConfigurationError, EmbedKitError, IdTokenError, UserInfoError } from './errors.ts';
import type { IdTokenCheck, IdTokenClaims, IdTokenVerifier } from './id-token.ts';
import {
  cleanCallbackUrl,
  isCallbackUrl,
  parseCallback,
  safeReturnPath,
  stripCallbackParameters,
  takeCallbackTransaction,
  validateCallback,
  type CallbackParameters,
} from './callback.ts';
import { computeCodeChallenge, createCodeVerifier, createState } from './pkce.ts';
import {
  assertSecureUrl,
  checkProviderOptions,
  providerHost,
  refuseClientSecret,
  resolveProvider,
  type ProviderName,
  type ResolvedProvider,
} from './providers.ts';
import {
  exchangeAuthorizationCode,
  refreshTokens,
  revokeToken,
  type TokenRequestOptions,
  type TokenResponse,
} from './token-endpoint.ts';
import { TokenStore, type SignOutReason, type TokenStoreChange } from './token-store.ts';
import { saveTransaction, type LoginTransaction } from './transaction.ts';
import { fetchUser, toAuthUser, type AuthUser } from './user.ts';

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
  /** Defaults to sessionStorage; only ever holds the login transaction. */
  storage?: Storage;
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

interface ExchangeResult {
  tokens: TokenResponse;
  /** The verified ID token's claims, when one came. */
  claims?: IdTokenClaims;
}

interface Exchange {
  result: Promise<ExchangeResult>;
  returnPath: string;
}

/**
 * Code exchanges in flight, by state, shared by every client on the page: a callback handled
 * twice (two clients, a framework mounting twice) makes one token request, and both callers
 * get its result. Entries go when they settle; after that the transaction is gone as well, so
 * a revisit ends in `missing_transaction`.
 */
const exchanges = new Map<string, Exchange>();

function toEmbedKitError(error: unknown): EmbedKitError {
  if (error instanceof EmbedKitError) return error;
  if (error instanceof TypeError) {
    return new ConfigurationError('invalid_option', error.message, { hint: 'Check the sign-in options.', cause: error });
  }
  return new EmbedKitError('unexpected', error instanceof Error ? error.message : String(error), {
    hint: 'See the error cause.',
    cause: error,
  });
}

function hasScope(scope: string | undefined, name: string): boolean {
  return scope?.split(/\s+/).includes(name) ?? false;
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
 * @fires signed-out - tokens are gone: `{ reason: 'user' | 'refresh_failed' | 'expired', error? }`
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
  readonly #store: TokenStore;
  readonly #listeners = new Set<(snapshot: AuthSnapshot) => void>();
  #provider: Promise<ResolvedProvider> | undefined;
  #status: AuthStatus = 'signed-out';
  #error: EmbedKitError | undefined;
  /** State of the last callback whose tokens this client took (a state, not a secret). */
  #appliedState: string | undefined;
  #user: AuthUser | undefined;
  /** `sub` of the ID token the user signed in with, which a refreshed ID token must repeat. */
  #idTokenSubject: string | undefined;
  /** Bumped whenever the user is set or cleared, so a late user response cannot overwrite a newer state. */
  #userGeneration = 0;
  #idTokenVerifier: Promise<IdTokenVerifier> | undefined;

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
    checkProviderOptions(options);
    this.#options = { ...options };
    this.clientId = clientId;
    this.host = providerHost(options);
    this.redirectUri = AuthClient.#checkRedirectUri(options.redirectUri);
    this.#store = new TokenStore({
      refreshSkewSeconds: options.refreshSkewSeconds,
      refresh: async (refreshToken) => {
        const provider = await this.#resolve();
        const tokens = await refreshTokens(provider.tokenEndpoint, { clientId: this.clientId, refreshToken }, this.#requestOptions(provider));
        // A refreshed ID token is checked like the first, except that it repeats the sub instead of the nonce.
        const claims = tokens.id_token ? await this.#verifyIdToken(provider, tokens.id_token, { subject: this.#idTokenSubject }) : undefined;
        if (claims && this.#status === 'signed-in') this.#setUser(toAuthUser(claims));
        return tokens;
      },
    });
    this.#store.subscribe((change) => this.#onTokens(change));
  }

  static #checkRedirectUri(value: string | undefined): string {
    const uri = value?.trim() || `${pageLocation().origin}${pageLocation().pathname}`;
    const url = assertSecureUrl(uri, 'redirectUri');
    // RFC 6749 §3.1.2: the redirection endpoint URI must not include a fragment.
    if (url.hash) {
      throw new ConfigurationError('invalid_option', `The redirectUri ${uri} has a fragment.`, {
        hint: 'Remove the #fragment from redirect-uri (and from the registered URI).',
      });
    }
    // Kept as written, since servers compare it with the registered string.
    return uri;
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
    return this.#store.expiresAt;
  }

  /**
   * Who signed in, once known: for `oidc`, the claims of the verified ID token (`sub`, plus `id`);
   * for `qlik` and `genesys` (and `oidc` without an ID token), the provider's user endpoint, loaded
   * right after sign-in. `undefined` while signed out or when it could not be loaded.
   */
  get user(): AuthUser | undefined {
    return this.#user;
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
    const provider = await this.#resolve();
    const location = pageLocation();
    const verifier = createCodeVerifier();
    const challenge = await computeCodeChallenge(verifier);
    const state = createState();
    const current = stripCallbackParameters(location.href);
    const transaction: LoginTransaction = {
      state,
      verifier,
      redirectUri: this.redirectUri,
      returnPath: safeReturnPath(returnPath ?? `${current.pathname}${current.search}${current.hash}`, location.origin),
      createdAt: Date.now(),
    };
    if (provider.issuer) transaction.issuer = provider.issuer;
    // OIDC Core §3.1.2.1: the nonce ties the ID token to this sign-in, as state ties the callback.
    if (provider.provider === 'oidc' && hasScope(provider.scope, 'openid')) transaction.nonce = createState();

    const url = new URL(provider.authorizationEndpoint);
    // searchParams encodes every value, and keeps any query the endpoint already has.
    const query = url.searchParams;
    query.set('response_type', 'code');
    query.set('client_id', this.clientId);
    query.set('redirect_uri', this.redirectUri);
    if (provider.scope) query.set('scope', provider.scope);
    query.set('state', state);
    query.set('code_challenge', challenge);
    query.set('code_challenge_method', 'S256');
    if (transaction.nonce) query.set('nonce', transaction.nonce);
    saveTransaction(transaction, { storage: this.#options.storage });
    return url;
  }

  /**
   * Leaves for the authorization server. Status goes to `redirecting`; on failure to `error`
   * (and the promise rejects).
   * @param options.navigate replaces `location.assign`, e.g. for a popup or a test.
   */
  async signIn(options: { returnPath?: string; navigate?: (url: URL) => void } = {}): Promise<void> {
    this.#error = undefined;
    this.#setStatus('redirecting');
    try {
      const url = await this.createAuthorizationUrl(options.returnPath);
      const navigate = options.navigate ?? ((target: URL) => pageLocation().assign(target.href));
      navigate(url);
    } catch (cause) {
      throw this.#fail(cause);
    }
  }

  /**
   * Finishes a sign-in on the redirect URI page: checks the response, exchanges the code exactly
   * once, and on the page itself removes the response from the URL and returns to the saved path
   * with `history.replaceState`. Status goes `exchanging` → `signed-in`, or `error` (the promise
   * rejects with the typed error, and no token request is made for a refused response).
   * @param url default: the page URL.
   */
  async handleCallback(url?: string | URL): Promise<void> {
    const location = pageLocation();
    const href = new URL(url ?? location.href).href;
    // History is only touched when the callback is this very page, not some URL handed in.
    const onPage = href === location.href;
    const params = parseCallback(href);
    this.#error = undefined;
    this.#setStatus('exchanging');
    try {
      const exchange = this.#joinOrStartExchange(params);
      const { tokens, claims } = await exchange.result;
      // The same client handling one callback twice applies it once, so `signed-in` fires once.
      if (this.#appliedState !== params.state) {
        this.#appliedState = params.state;
        // Before the tokens, so that `signed-in` listeners already see the user from the ID token.
        this.#idTokenSubject = claims?.sub;
        this.#setUser(claims ? toAuthUser(claims) : undefined);
        this.#store.set(tokens);
        if (!claims) void this.#loadUser(tokens.access_token);
      } else {
        this.#setStatus('signed-in');
      }
      if (onPage) {
        const target = new URL(safeReturnPath(exchange.returnPath, location.origin), location.origin);
        globalThis.history.replaceState(globalThis.history.state, '', target.href);
      }
    } catch (cause) {
      // A failed callback must not stay in the address bar either: a reload would replay it.
      if (onPage) cleanCallbackUrl();
      throw this.#fail(cause);
    }
  }

  /** Synchronous up to the point the transaction is taken, so racing callers cannot both take it. */
  #joinOrStartExchange(params: CallbackParameters): Exchange {
    const running = params.state === undefined ? undefined : exchanges.get(params.state);
    if (running) return running;
    const transaction = takeCallbackTransaction(params, { storage: this.#options.storage });
    const exchange: Exchange = { result: this.#exchange(params, transaction), returnPath: transaction.returnPath };
    exchanges.set(transaction.state, exchange);
    const forget = (): void => {
      if (exchanges.get(transaction.state) === exchange) exchanges.delete(transaction.state);
    };
    exchange.result.then(forget, forget);
    return exchange;
  }

  async #exchange(params: CallbackParameters, transaction: LoginTransaction): Promise<ExchangeResult> {
    const provider = await this.#resolve();
    const { code } = validateCallback(params, {
      transaction,
      expectedIssuer: transaction.issuer ?? provider.issuer,
      requireIssuer: provider.issuerParameterSupported,
    });
    const tokens = await exchangeAuthorizationCode(
      provider.tokenEndpoint,
      {
        clientId: this.clientId,
        code,
        codeVerifier: transaction.verifier,
        redirectUri: transaction.redirectUri,
        // Qlik's token endpoint wants the scope again; standard servers take it from the code.
        scope: provider.provider === 'qlik' ? provider.scope : undefined,
      },
      this.#requestOptions(provider),
    );
    // A refused ID token refuses the sign-in: its tokens are never stored.
    const claims = tokens.id_token ? await this.#verifyIdToken(provider, tokens.id_token, { nonce: transaction.nonce }) : undefined;
    return claims ? { tokens, claims } : { tokens };
  }

  /**
   * Verifies an ID token from the `oidc` provider, loading jose only now. Other providers have no
   * discovered keys to verify with, so their ID tokens are ignored: never shown unverified.
   */
  async #verifyIdToken(provider: ResolvedProvider, idToken: string, check: IdTokenCheck): Promise<IdTokenClaims | undefined> {
    if (provider.provider !== 'oidc') return undefined;
    const { issuer, jwksUri } = provider;
    if (!issuer || !jwksUri) {
      throw new IdTokenError('id_token_invalid', `The metadata of ${issuer ?? 'the issuer'} has no jwks_uri, so the ID token cannot be verified.`, {
        hint: 'The provider must publish jwks_uri in its discovery metadata; an unverifiable ID token is refused.',
      });
    }
    if (!this.#idTokenVerifier) {
      const { fetch, timeoutMs } = this.#options;
      const pending = import('./id-token.ts').then(({ createIdTokenVerifier }) =>
        createIdTokenVerifier({ issuer, clientId: this.clientId, jwksUri }, { fetch, timeoutMs }),
      );
      this.#idTokenVerifier = pending;
      pending.catch(() => {
        if (this.#idTokenVerifier === pending) this.#idTokenVerifier = undefined;
      });
    }
    let verify: IdTokenVerifier;
    try {
      verify = await this.#idTokenVerifier;
    } catch (cause) {
      throw new IdTokenError('id_token_invalid', 'The ID token verifier could not be loaded.', {
        hint: 'The page could not load its own verification code (offline, or a deploy replaced the files). Reload and sign in again.',
        cause,
      });
    }
    return verify(idToken, check);
  }

  /** Loads the user from the provider's user endpoint with the fresh access token; failures leave sign-in alone. */
  async #loadUser(accessToken: string): Promise<void> {
    const generation = this.#userGeneration;
    try {
      const provider = await this.#resolve();
      const endpoint = provider.userinfoEndpoint;
      // OIDC's userinfo endpoint answers only tokens issued with the openid scope.
      if (!endpoint || (provider.provider === 'oidc' && !hasScope(provider.scope, 'openid'))) return;
      const { fetch, timeoutMs } = this.#options;
      const user = await fetchUser(endpoint, accessToken, { fetch, timeoutMs });
      if (generation === this.#userGeneration && this.#status === 'signed-in') this.#setUser(user);
    } catch (cause) {
      if (generation !== this.#userGeneration) return;
      const error =
        cause instanceof UserInfoError
          ? cause
          : new UserInfoError('user_unavailable', 'The user could not be loaded.', { hint: 'See the error cause.', cause });
      this.#dispatch('user-error', error);
    }
  }

  #setUser(user: AuthUser | undefined): void {
    this.#userGeneration += 1;
    if (user === this.#user) return;
    this.#user = user;
    this.#dispatch('user-change', user ?? null);
  }

  /**
   * A valid access token, refreshed first when it expires within the skew.
   * @throws {SignInRequiredError} when not signed in; the refresh error when refresh fails.
   */
  getAccessToken(options: { forceRefresh?: boolean } = {}): Promise<string> {
    return this.#store.getAccessToken(options);
  }

  /**
   * Drops the tokens from memory at once (status `signed-out`), then revokes the refresh and
   * access tokens (RFC 7009) when the provider has a revocation endpoint. Revocation failures
   * are ignored: the tokens are already gone from the page.
   */
  async signOut(): Promise<void> {
    const hadTokens = this.#store.hasToken;
    await this.#store.signOut(async (token, tokenTypeHint) => {
      const provider = await this.#resolve();
      if (!provider.revocationEndpoint) return;
      await revokeToken(
        provider.revocationEndpoint,
        { clientId: this.clientId, token, tokenTypeHint },
        this.#requestOptions(provider),
      );
    });
    if (!hadTokens) {
      // Nothing was cleared, so the store said nothing; still leave any error or redirecting state.
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

  #resolve(): Promise<ResolvedProvider> {
    if (!this.#provider) {
      const { fetch, timeoutMs } = this.#options;
      const pending = resolveProvider(this.#options, { fetch, timeoutMs });
      this.#provider = pending;
      // A failed discovery is retried next time rather than remembered forever.
      pending.catch(() => {
        if (this.#provider === pending) this.#provider = undefined;
      });
    }
    return this.#provider;
  }

  #requestOptions(provider: ResolvedProvider): TokenRequestOptions {
    const request: TokenRequestOptions = { format: provider.tokenRequestFormat };
    if (provider.credentials) request.credentials = provider.credentials;
    if (this.#options.fetch) request.fetch = this.#options.fetch;
    if (this.#options.timeoutMs !== undefined) request.timeoutMs = this.#options.timeoutMs;
    return request;
  }

  #onTokens(change: TokenStoreChange): void {
    switch (change.type) {
      case 'set':
        this.#error = undefined;
        this.#setStatus('signed-in');
        this.#dispatch('signed-in', { expiresAt: change.expiresAt });
        break;
      case 'refreshed':
        this.#notify();
        this.#dispatch('token-refreshed', { expiresAt: change.expiresAt });
        break;
      case 'cleared':
        this.#idTokenSubject = undefined;
        this.#setUser(undefined);
        this.#error = change.error;
        this.#setStatus('signed-out');
        this.#dispatch('signed-out', change.error ? { reason: change.reason, error: change.error } : { reason: change.reason });
        break;
    }
  }

  #fail(cause: unknown): EmbedKitError {
    const error = toEmbedKitError(cause);
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
    if (this.#store.expiresAt !== undefined) snapshot.expiresAt = this.#store.expiresAt;
    for (const listener of [...this.#listeners]) {
      try {
        listener(snapshot);
      } catch (error) {
        reportError(error);
      }
    }
  }

  #dispatch<K extends keyof AuthClientEventMap>(type: K, detail: AuthClientEventMap[K]['detail']): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
