/**
 * The sign-in protocol as stateless functions that return results, in the style of
 * oauth4webapi: build the authorization request, take and check a callback, exchange its code
 * exactly once, refresh, revoke, load the user. They hold no sign-in state: `AuthClient` owns
 * status, tokens, user and error, and calls these.
 *
 * This module (with PKCE, the callback checks, the token endpoint and the registry of hints)
 * loads the first time it is needed, so that a page that only shows a Sign in button downloads
 * it only when idle or when the user acts.
 * @see https://www.rfc-editor.org/rfc/rfc9700 (OAuth 2.0 Security Best Current Practice)
 */
import { AuthorizationResponseError, IdTokenError, UserInfoError } from './errors.ts';
import { hintIn } from './error-registry/area.ts';
import { TRANSACTION_ERRORS } from './error-registry/transaction.ts';
import { TOKEN_ERRORS } from './error-registry/tokens.ts';
import type { IdTokenCheck, IdTokenClaims, IdTokenVerifier } from './id-token.ts';
import { safeReturnPath, stripCallbackParameters, takeCallbackTransaction, validateCallback, type CallbackParameters } from './callback.ts';
import { computeCodeChallenge, createCodeVerifier, createState } from './pkce.ts';
import type { ResolvedProvider } from './providers.ts';
import { exchangeAuthorizationCode, refreshTokens, revokeToken, type TokenRequestOptions, type TokenResponse } from './token-endpoint.ts';
import { peekTransaction, saveTransaction, TRANSACTION_TTL_MS, type LoginTransaction } from './transaction.ts';
import { fetchUser, type AuthUser } from './user.ts';
import type { RequestSeam } from './http.ts';

export { resolveProvider } from './providers.ts';
export { TokenStore } from './token-store.ts';
export { TabSync, tabSyncAvailable, tabSyncKey } from './tab-sync.ts';
export { cleanCallbackUrl, safeReturnPath } from './callback.ts';
export { toAuthUser } from './user.ts';

/** Who is signing in: the OAuth client, as the transaction records it. */
export interface ClientIdentity {
  clientId: string;
  redirectUri: string;
}

/** What a callback's code exchange yields. */
export interface CallbackResult {
  state: string;
  tokens: TokenResponse;
  /** The verified ID token's claims, when one came. */
  claims?: IdTokenClaims;
  /** Same-origin path to return to. */
  returnPath: string;
}

/** Seams and options every request takes. */
export interface ProtocolSeam extends RequestSeam {
  storage?: Storage;
  /** Loads the ID token verifier (and jose) only when an ID token arrives. */
  loadIdToken?: () => Promise<typeof import('./id-token.ts')>;
}

function hasScope(scope: string | undefined, name: string): boolean {
  return scope?.split(/\s+/).includes(name) ?? false;
}

/**
 * The issuer a callback's `iss` must name (RFC 9207): the configured or discovered issuer, else
 * the origin of the authorization endpoint (for Qlik, the tenant), so the check is on by default.
 */
export function expectedIssuer(provider: ResolvedProvider): string {
  return provider.issuer ?? new URL(provider.authorizationEndpoint).origin;
}

/**
 * Builds the authorization request (RFC 6749 §4.1.1 with PKCE, RFC 7636 §4.3) and stores the
 * login transaction it needs on return, naming the client and token endpoint it belongs to.
 */
export async function createAuthorizationRequest(
  provider: ResolvedProvider,
  client: ClientIdentity,
  options: { returnPath?: string; location: Location; storage?: Storage },
): Promise<URL> {
  const { location } = options;
  const verifier = createCodeVerifier();
  const challenge = await computeCodeChallenge(verifier);
  const state = createState();
  const current = stripCallbackParameters(location.href);
  const transaction: LoginTransaction = {
    state,
    verifier,
    redirectUri: client.redirectUri,
    returnPath: safeReturnPath(options.returnPath ?? `${current.pathname}${current.search}${current.hash}`, location.origin),
    createdAt: Date.now(),
    clientId: client.clientId,
    tokenEndpoint: provider.tokenEndpoint,
    issuer: expectedIssuer(provider),
  };
  // OIDC Core §3.1.2.1: the nonce ties the ID token to this sign-in, as state ties the callback.
  if (provider.provider === 'oidc' && hasScope(provider.scope, 'openid')) transaction.nonce = createState();

  const url = new URL(provider.authorizationEndpoint);
  // searchParams encodes every value, and keeps any query the endpoint already has.
  const query = url.searchParams;
  query.set('response_type', 'code');
  query.set('client_id', client.clientId);
  query.set('redirect_uri', client.redirectUri);
  if (provider.scope) query.set('scope', provider.scope);
  query.set('state', state);
  query.set('code_challenge', challenge);
  query.set('code_challenge_method', 'S256');
  if (transaction.nonce) query.set('nonce', transaction.nonce);
  saveTransaction(transaction, { storage: options.storage });
  return url;
}

interface Exchange {
  owner: string;
  result: Promise<CallbackResult>;
}

/**
 * Code exchanges in flight, by state, for every client on the page: one client handling a
 * callback twice (a framework mounting twice) makes one token request. Entries go when they
 * settle; after that the transaction is gone as well, so a revisit ends in `missing_transaction`.
 */
const exchanges = new Map<string, Exchange>();

/** Which client took the transaction of each state on this page; kept, as states are never reused. */
const claimedBy = new Map<string, string>();

function ownerKey(provider: ResolvedProvider, client: ClientIdentity): string {
  return `${client.clientId} ${provider.tokenEndpoint}`;
}

/**
 * Takes the callback `params` on behalf of `client`, or leaves it alone: `undefined` when the
 * sign-in it answers was started by another client (another token endpoint or client id), so
 * that only that client sends the code and verifier anywhere. Synchronous up to the point the
 * transaction is taken, so racing callers cannot both take it.
 * @returns the exchange, which rejects with a typed error (nothing is exchanged for a refused callback).
 */
export function claimCallback(
  params: CallbackParameters,
  provider: ResolvedProvider,
  client: ClientIdentity,
  seam: ProtocolSeam = {},
): Promise<CallbackResult> | undefined {
  const owner = ownerKey(provider, client);
  // Taken (or being exchanged) by another client on this page: not ours, whenever we look.
  const claimant = params.state === undefined ? undefined : claimedBy.get(params.state);
  if (claimant !== undefined && claimant !== owner) return undefined;
  const running = params.state === undefined ? undefined : exchanges.get(params.state);
  if (running) return running.result;
  const pending = params.state === undefined ? undefined : peekTransaction(params.state, { storage: seam.storage });
  if (pending && pending.clientId !== undefined && (pending.clientId !== client.clientId || pending.tokenEndpoint !== provider.tokenEndpoint)) {
    return undefined;
  }
  let transaction: LoginTransaction;
  try {
    transaction = takeCallbackTransaction(params, { storage: seam.storage });
  } catch (error) {
    return Promise.reject(error);
  }
  claimedBy.set(transaction.state, owner);
  const exchange: Exchange = { owner, result: exchangeOnce(params, transaction, provider, client, seam) };
  exchanges.set(transaction.state, exchange);
  const forget = (): void => {
    if (exchanges.get(transaction.state) === exchange) exchanges.delete(transaction.state);
  };
  exchange.result.then(forget, forget);
  return exchange.result;
}

/** States whose code lock this tab holds. */
const heldStates = new Set<string>();

/**
 * Holds a Web Lock named after `state` for as long as the transaction could be valid, so that
 * a copy of this tab (`window.open`, "Duplicate tab", which copy the tab's session storage) cannot exchange
 * the same code: resolves `false` when another tab of this origin holds it. Without Web Locks
 * (old browsers) there is nothing to coordinate with, and it resolves `true`.
 */
function claimCodeAcrossTabs(state: string): Promise<boolean> {
  const locks = globalThis.navigator?.locks;
  // This tab already holds it: the same tab never exchanges twice anyway (the transaction is gone).
  if (!locks || heldStates.has(state)) return Promise.resolve(true);
  return new Promise<boolean>((resolve, reject) => {
    locks
      .request(`embed-kit:auth:code:${state}`, { ifAvailable: true }, (lock) => {
        if (lock) heldStates.add(state);
        resolve(lock !== null);
        // Released when the page goes, or once the code is long expired.
        return lock ? new Promise((release) => setTimeout(release, TRANSACTION_TTL_MS)) : undefined;
      })
      .catch(reject);
  });
}

async function exchangeOnce(
  params: CallbackParameters,
  transaction: LoginTransaction,
  provider: ResolvedProvider,
  client: ClientIdentity,
  seam: ProtocolSeam,
): Promise<CallbackResult> {
  const { code, state } = validateCallback(params, {
    transaction,
    expectedIssuer: transaction.issuer ?? expectedIssuer(provider),
    requireIssuer: provider.issuerParameterSupported,
    issuerIsOrigin: provider.issuer === undefined,
  });
  if (!(await claimCodeAcrossTabs(state))) {
    throw new AuthorizationResponseError('missing_transaction', 'Another tab of this page is already exchanging this code.', {
      hint: hintIn(TRANSACTION_ERRORS, 'missing_transaction'),
    });
  }
  const tokens = await exchangeAuthorizationCode(
    provider.tokenEndpoint,
    {
      clientId: client.clientId,
      code,
      codeVerifier: transaction.verifier,
      redirectUri: transaction.redirectUri,
      // Qlik's token endpoint wants the scope again; standard servers take it from the code.
      scope: provider.provider === 'qlik' ? provider.scope : undefined,
    },
    requestOptions(provider, seam),
  );
  // A refused ID token refuses the sign-in: its tokens are never stored.
  const claims = tokens.id_token ? await verifyIdToken(provider, client.clientId, tokens.id_token, { nonce: transaction.nonce }, seam) : undefined;
  const result: CallbackResult = { state, tokens, returnPath: transaction.returnPath };
  if (claims) result.claims = claims;
  return result;
}

/**
 * The refresh token grant; a refreshed ID token is checked like the first, except that it must
 * repeat the `sub` instead of the nonce.
 */
export async function refreshGrant(
  provider: ResolvedProvider,
  clientId: string,
  refreshToken: string,
  subject: string | undefined,
  seam: ProtocolSeam = {},
): Promise<{ tokens: TokenResponse; claims?: IdTokenClaims }> {
  const tokens = await refreshTokens(provider.tokenEndpoint, { clientId, refreshToken }, requestOptions(provider, seam));
  const claims = tokens.id_token ? await verifyIdToken(provider, clientId, tokens.id_token, { subject }, seam) : undefined;
  return claims ? { tokens, claims } : { tokens };
}

/** Revokes one token (RFC 7009) when the provider can; otherwise does nothing. */
export async function revoke(
  provider: ResolvedProvider,
  clientId: string,
  token: string,
  tokenTypeHint: 'access_token' | 'refresh_token',
  seam: ProtocolSeam = {},
): Promise<void> {
  if (!provider.revocationEndpoint) return;
  await revokeToken(provider.revocationEndpoint, { clientId, token, tokenTypeHint }, requestOptions(provider, seam));
}

/**
 * The user from the provider's user endpoint, or `undefined` when it has none (or, for OIDC,
 * when the token was issued without `openid`).
 * @throws {UserInfoError} `user_unavailable`.
 */
export async function loadUser(provider: ResolvedProvider, accessToken: string, seam: ProtocolSeam = {}): Promise<AuthUser | undefined> {
  const endpoint = provider.userinfoEndpoint;
  if (!endpoint || (provider.provider === 'oidc' && !hasScope(provider.scope, 'openid'))) return undefined;
  try {
    return await fetchUser(endpoint, accessToken, { fetch: seam.fetch, timeoutMs: seam.timeoutMs });
  } catch (cause) {
    throw cause instanceof UserInfoError ? cause : new UserInfoError('user_unavailable', 'The user could not be loaded.', { hint: hintIn(TOKEN_ERRORS, 'user_unavailable'), cause });
  }
}

/** ID token verifiers by issuer and client: the keys are worth keeping, and hold no sign-in state. */
const verifiers = new Map<string, Promise<IdTokenVerifier>>();

/**
 * Verifies an ID token from the `oidc` provider, loading jose only now. Other providers have no
 * discovered keys to verify with, so their ID tokens are ignored: never shown unverified.
 */
async function verifyIdToken(
  provider: ResolvedProvider,
  clientId: string,
  idToken: string,
  check: IdTokenCheck,
  seam: ProtocolSeam,
): Promise<IdTokenClaims | undefined> {
  if (provider.provider !== 'oidc') return undefined;
  const { issuer, jwksUri } = provider;
  if (!issuer || !jwksUri) {
    throw new IdTokenError('id_token_invalid', `The metadata of ${issuer ?? 'the issuer'} has no jwks_uri, so the ID token cannot be verified.`, {
      hint: 'The provider must publish jwks_uri in its discovery metadata; an unverifiable ID token is refused.',
    });
  }
  const key = `${issuer} ${clientId} ${jwksUri}`;
  let pending = verifiers.get(key);
  if (!pending) {
    const load = seam.loadIdToken ?? (() => import('./id-token.ts'));
    pending = load().then(({ createIdTokenVerifier }) => createIdTokenVerifier({ issuer, clientId, jwksUri }, { fetch: seam.fetch, timeoutMs: seam.timeoutMs }));
    verifiers.set(key, pending);
    pending.catch(() => {
      if (verifiers.get(key) === pending) verifiers.delete(key);
    });
  }
  let verify: IdTokenVerifier;
  try {
    verify = await pending;
  } catch (cause) {
    throw new IdTokenError('id_token_invalid', 'The ID token verifier could not be loaded.', {
      hint: 'The page could not load its own verification code (offline, or a deploy replaced the files). Reload and sign in again.',
      cause,
    });
  }
  return verify(idToken, check);
}

function requestOptions(provider: ResolvedProvider, seam: ProtocolSeam): TokenRequestOptions {
  const request: TokenRequestOptions = { format: provider.tokenRequestFormat };
  if (provider.credentials) request.credentials = provider.credentials;
  if (seam.fetch) request.fetch = seam.fetch;
  if (seam.timeoutMs !== undefined) request.timeoutMs = seam.timeoutMs;
  return request;
}
