/**
 * The protocol behind `AuthClient`: the authorization request with PKCE, the callback checks and
 * the exactly-once code exchange, tokens in memory with refresh and revocation, OIDC discovery,
 * the ID token and the user. `AuthClient` imports this module the first time it needs it, so a
 * page that shows a Sign in button downloads it only when idle or when the user acts.
 * @see https://www.rfc-editor.org/rfc/rfc9700 (OAuth 2.0 Security Best Current Practice)
 */
import { ConfigurationError, EmbedKitError, IdTokenError, SignInRequiredError, UserInfoError } from './errors.ts';
import type { IdTokenCheck, IdTokenClaims, IdTokenVerifier } from './id-token.ts';
import {
  cleanCallbackUrl,
  safeReturnPath,
  stripCallbackParameters,
  takeCallbackTransaction,
  validateCallback,
  type CallbackParameters,
} from './callback.ts';
import type { AuthClient, AuthClientEventMap, ClientInternals } from './client.ts';
import { computeCodeChallenge, createCodeVerifier, createState } from './pkce.ts';
import { resolveProvider, type ResolvedProvider } from './providers.ts';
import {
  exchangeAuthorizationCode,
  refreshTokens,
  revokeToken,
  type TokenRequestOptions,
  type TokenResponse,
} from './token-endpoint.ts';
import { sharedToResponse, TokenStore, type TokenStoreChange } from './token-store.ts';
import { TabSync, tabSyncAvailable, type SharedTokens } from './tab-sync.ts';
import { saveTransaction, type LoginTransaction } from './transaction.ts';
import { fetchUser, toAuthUser, type AuthUser } from './user.ts';

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

function responseToShared(response: TokenResponse): SharedTokens {
  const tokens: SharedTokens = { accessToken: response.access_token };
  if (response.expires_in !== undefined) tokens.expiresAt = Date.now() + response.expires_in * 1000;
  if (response.refresh_token) tokens.refreshToken = response.refresh_token;
  return tokens;
}

function hasScope(scope: string | undefined, name: string): boolean {
  return scope?.split(/\s+/).includes(name) ?? false;
}

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

/**
 * One `AuthClient`'s tokens, user and provider, and the requests that change them. What the
 * client's `signIn()` and `handleCallback()` get back from here is always a typed error.
 */
export class AuthFlows {
  readonly #client: AuthClient;
  readonly #internals: ClientInternals;
  readonly #store: TokenStore;
  #provider: Promise<ResolvedProvider> | undefined;
  /** State of the last callback whose tokens this client took (a state, not a secret). */
  #appliedState: string | undefined;
  #user: AuthUser | undefined;
  /** `sub` of the ID token the user signed in with, which a refreshed ID token must repeat. */
  #idTokenSubject: string | undefined;
  /** Bumped whenever the user is set or cleared, so a late user response cannot overwrite a newer state. */
  #userGeneration = 0;
  #idTokenVerifier: Promise<IdTokenVerifier> | undefined;
  /** The other tabs of this sign-in (see tab-sync.ts); none with `share: 'none'`. */
  readonly #tabs: TabSync | undefined;

  constructor(client: AuthClient, internals: ClientInternals) {
    this.#client = client;
    this.#internals = internals;
    const refresh = async (refreshToken: string): Promise<TokenResponse> => {
      const provider = await this.#resolve();
      const tokens = await refreshTokens(provider.tokenEndpoint, { clientId: client.clientId, refreshToken }, this.#requestOptions(provider));
      // A refreshed ID token is checked like the first, except that it repeats the sub instead of the nonce.
      const claims = tokens.id_token ? await this.#verifyIdToken(provider, tokens.id_token, { subject: this.#idTokenSubject }) : undefined;
      if (claims && client.status === 'signed-in') this.#setUser(toAuthUser(claims));
      return tokens;
    };
    if ((internals.options.share ?? 'tabs') !== 'none' && tabSyncAvailable()) {
      this.#tabs = new TabSync(
        { provider: internals.options.provider ?? 'qlik', host: client.host, clientId: client.clientId },
        { onRefreshed: (tokens) => this.#store.adopt(tokens), onSignedOut: () => this.#store.clear('other_tab') },
      );
    }
    const tabs = this.#tabs;
    this.#store = new TokenStore({
      refreshSkewSeconds: internals.options.refreshSkewSeconds,
      // With other tabs, one refresh under their common lock serves them all.
      refresh: tabs
        ? async (): Promise<TokenResponse> => {
            const held = await tabs.refresh(async (refreshToken) => responseToShared(await refresh(refreshToken)));
            if (!held) throw new SignInRequiredError('not_signed_in', 'Signed out while refreshing.', { hint: 'Sign in again.' });
            return sharedToResponse(held, Date.now());
          }
        : refresh,
      onHeld: (tokens) => tabs?.publish(tokens),
    });
    this.#store.subscribe((change) => this.#onTokens(change));
  }

  /** Signs in with the tokens of another open tab of this sign-in, when one answers; resolves whether it did. */
  async signInFromOtherTabs(): Promise<boolean> {
    if (!this.#tabs || this.#store.hasToken) return this.#store.hasToken;
    const tokens = await this.#tabs.request();
    // A sign-in that finished meanwhile wins.
    if (!tokens || this.#store.hasToken) return this.#store.hasToken;
    this.#store.adopt(tokens);
    void this.#loadUser(tokens.accessToken);
    return true;
  }

  /** Stops sharing with other tabs. */
  close(): void {
    this.#tabs?.close();
  }

  get expiresAt(): number | undefined {
    return this.#store.expiresAt;
  }

  get user(): AuthUser | undefined {
    return this.#user;
  }

  /** Builds the authorization URL and hands it to `navigate` (default `location.assign`). */
  async signIn(options: { returnPath?: string; navigate?: (url: URL) => void }): Promise<void> {
    try {
      const url = await this.createAuthorizationUrl(options.returnPath);
      const navigate = options.navigate ?? ((target: URL) => this.#internals.location().assign(target.href));
      navigate(url);
    } catch (cause) {
      throw toEmbedKitError(cause);
    }
  }

  async createAuthorizationUrl(returnPath?: string): Promise<URL> {
    const provider = await this.#resolve();
    const location = this.#internals.location();
    const verifier = createCodeVerifier();
    const challenge = await computeCodeChallenge(verifier);
    const state = createState();
    const current = stripCallbackParameters(location.href);
    const transaction: LoginTransaction = {
      state,
      verifier,
      redirectUri: this.#client.redirectUri,
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
    query.set('client_id', this.#client.clientId);
    query.set('redirect_uri', this.#client.redirectUri);
    if (provider.scope) query.set('scope', provider.scope);
    query.set('state', state);
    query.set('code_challenge', challenge);
    query.set('code_challenge_method', 'S256');
    if (transaction.nonce) query.set('nonce', transaction.nonce);
    saveTransaction(transaction, { storage: this.#internals.options.storage });
    return url;
  }

  /**
   * The callback `params`: joins or starts its exchange, applies the tokens, and when `onPage`
   * returns the address bar to the saved path (or, on failure, just removes the response).
   */
  async handleCallback(params: CallbackParameters, onPage: boolean): Promise<void> {
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
        this.#internals.setStatus('signed-in');
      }
      if (onPage) {
        const location = this.#internals.location();
        const target = new URL(safeReturnPath(exchange.returnPath, location.origin), location.origin);
        globalThis.history.replaceState(globalThis.history.state, '', target.href);
      }
    } catch (cause) {
      // A failed callback must not stay in the address bar either: a reload would replay it.
      if (onPage) cleanCallbackUrl();
      throw toEmbedKitError(cause);
    }
  }

  getAccessToken(options: { forceRefresh?: boolean }): Promise<string> {
    return this.#store.getAccessToken(options);
  }

  /** Drops the tokens, signs out the other tabs, and revokes the tokens; resolves with whether there were any. */
  async signOut(): Promise<boolean> {
    const hadTokens = this.#store.hasToken;
    if (hadTokens) this.#tabs?.signOut();
    await this.#store.signOut(async (token, tokenTypeHint) => {
      const provider = await this.#resolve();
      if (!provider.revocationEndpoint) return;
      await revokeToken(
        provider.revocationEndpoint,
        { clientId: this.#client.clientId, token, tokenTypeHint },
        this.#requestOptions(provider),
      );
    });
    return hadTokens;
  }

  /** Synchronous up to the point the transaction is taken, so racing callers cannot both take it. */
  #joinOrStartExchange(params: CallbackParameters): Exchange {
    const running = params.state === undefined ? undefined : exchanges.get(params.state);
    if (running) return running;
    const transaction = takeCallbackTransaction(params, { storage: this.#internals.options.storage });
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
        clientId: this.#client.clientId,
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
      const { fetch, timeoutMs } = this.#internals.options;
      const pending = this.#internals.loadIdToken().then(({ createIdTokenVerifier }) =>
        createIdTokenVerifier({ issuer, clientId: this.#client.clientId, jwksUri }, { fetch, timeoutMs }),
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
      const { fetch, timeoutMs } = this.#internals.options;
      const user = await fetchUser(endpoint, accessToken, { fetch, timeoutMs });
      if (generation === this.#userGeneration && this.#client.status === 'signed-in') this.#setUser(user);
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

  #resolve(): Promise<ResolvedProvider> {
    if (!this.#provider) {
      const { fetch, timeoutMs } = this.#internals.options;
      const pending = resolveProvider(this.#internals.options, { fetch, timeoutMs });
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
    if (this.#internals.options.fetch) request.fetch = this.#internals.options.fetch;
    if (this.#internals.options.timeoutMs !== undefined) request.timeoutMs = this.#internals.options.timeoutMs;
    return request;
  }

  #onTokens(change: TokenStoreChange): void {
    const internals = this.#internals;
    switch (change.type) {
      case 'set':
        internals.setError(undefined);
        internals.setStatus('signed-in');
        this.#dispatch('signed-in', { expiresAt: change.expiresAt });
        break;
      case 'refreshed':
        internals.notify();
        this.#dispatch('token-refreshed', { expiresAt: change.expiresAt });
        break;
      case 'cleared':
        this.#idTokenSubject = undefined;
        this.#setUser(undefined);
        internals.setError(change.error);
        internals.setStatus('signed-out');
        this.#dispatch('signed-out', change.error ? { reason: change.reason, error: change.error } : { reason: change.reason });
        break;
    }
  }

  #dispatch<K extends keyof AuthClientEventMap>(type: K, detail: AuthClientEventMap[K]['detail']): void {
    this.#client.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
