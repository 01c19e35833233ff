/**
 * The framework-free auth core: PKCE sign-in for public browser clients, tokens in memory.
 * Re-exports only; importing this has no side effects.
 */
export {
  EmbedKitError,
  AuthorizationResponseError,
  TokenEndpointError,
  NetworkError,
  TimeoutError,
  ConfigurationError,
  SignInRequiredError,
  IdTokenError,
  UserInfoError,
} from './errors.ts';
// Types only: the verifier itself (and jose) loads on demand when an id_token arrives.
export type { IdTokenClaims, IdTokenCheck, IdTokenVerifierOptions, IdTokenVerifier } from './id-token.ts';
export { toAuthUser, fetchUser } from './user.ts';
export type { AuthUser } from './user.ts';
export type { AuthSnapshot, AuthSource, AuthStatus } from './source.ts';
export { parseErrorBody, hintFor, tokenEndpointError } from './error-response.ts';
export type { ParsedErrorBody, HintContext } from './error-response.ts';
export { createCodeVerifier, computeCodeChallenge, base64url, createState, UNRESERVED } from './pkce.ts';
export { saveTransaction, takeTransaction, hasPendingTransaction, TRANSACTION_TTL_MS } from './transaction.ts';
export type { LoginTransaction, TransactionStorageOptions } from './transaction.ts';
export { DEFAULT_TIMEOUT_MS } from './http.ts';
export type { RequestSeam } from './http.ts';
export { requestToken, exchangeAuthorizationCode, refreshTokens, revokeToken } from './token-endpoint.ts';
export type {
  TokenResponse,
  TokenRequestOptions,
  TokenParameters,
  AuthorizationCodeGrant,
  RefreshTokenGrant,
  RevocationRequest,
} from './token-endpoint.ts';
export { TokenStore } from './token-store.ts';
export { TabSync, tabSyncAvailable, tabChannelName, DEFAULT_TAB_WAIT_MS } from './tab-sync.ts';
export type { TabSyncKey, TabSyncOptions, TabChannel, TabLocks } from './tab-sync.ts';
// SignOutReason stays internal for now: src/elements/auth-login/events.ts exports one of that
// name too, and src/index.ts re-exports both modules with `export *`.
export type { TokenStoreChange, TokenStoreOptions, TokenRevoker } from './token-store.ts';
export {
  resolveProvider,
  discoverIssuer,
  checkProviderOptions,
  providerHost,
  normalizeHost,
  assertSecureUrl,
  isLoopbackHost,
  refuseClientSecret,
} from './providers.ts';
export type { ProviderName, ProviderOptions, ResolvedProvider, AuthorizationServerMetadata } from './providers.ts';
export {
  parseCallback,
  isCallbackUrl,
  takeCallbackTransaction,
  validateCallback,
  stripCallbackParameters,
  cleanCallbackUrl,
  safeReturnPath,
  CALLBACK_PARAMETERS,
} from './callback.ts';
export type { CallbackParameters, ValidateCallbackOptions, ValidatedCallback } from './callback.ts';
export { AuthClient } from './client.ts';
export type {
  AuthClientOptions,
  AuthClientEventMap,
  SignedInDetail,
  TokenRefreshedDetail,
  SignedOutDetail,
  StatusChangeDetail,
  SharedTokens,
} from './client.ts';
export { BackendTokenSource, globalTokenFunction } from './backend-token-source.ts';
export type {
  BackendTokenSourceOptions,
  BackendTokenSourceEventMap,
  BackendSignOutReason,
  BackendSignedInDetail,
  BackendSignedOutDetail,
  BackendStatusChangeDetail,
} from './backend-token-source.ts';
export { BackendTokenError } from './errors.ts';
export type { SignInSource } from './source.ts';
