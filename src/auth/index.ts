/**
 * `embed-kit/auth`: the framework-free sign-in core. Re-exports only; importing this has no side
 * effects.
 *
 * What a page needs: the owner of a sign-in (`AuthClient` for PKCE, `BackendTokenSource` for
 * tokens from your backend), the `AuthSource` interface the Qlik layer takes, the typed errors
 * and their registry of hints, and the protocol steps as stateless functions for those who build
 * their own flow (in the style of oauth4webapi). Helpers the kit uses internally (the transaction
 * store, URL clean-up, host normalising, PKCE's alphabet…) are not exported.
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
  BackendTokenError,
} from './errors.ts';
export { ERROR_REGISTRY, hintFor } from './error-registry.ts';
export type { ErrorEntry, ErrorSite, HintContext } from './error-registry.ts';
export { parseErrorBody } from './error-response.ts';
export type { ParsedErrorBody } from './error-response.ts';

// The owners of sign-in state.
export { AuthClient } from './client.ts';
export type {
  AuthClientOptions,
  AuthClientEventMap,
  SharedTokens,
  SignedInDetail,
  TokenRefreshedDetail,
  SignedOutDetail,
  StatusChangeDetail,
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
export type { AuthSnapshot, AuthSource, AuthStatus, SignInSource } from './source.ts';
export type { AuthUser } from './user.ts';
export type { Clock } from './clock.ts';
// SignOutReason stays internal for now: src/elements/auth-login/events.ts exports one of that
// name too, and src/index.ts re-exports both modules with `export *`.
export type { TokenStoreChange, TokenStoreOptions, TokenRevoker, LockRunner } from './token-store.ts';
export { TokenStore } from './token-store.ts';
// Types only: the verifier itself (and jose) loads on demand when an ID token arrives.
export type { IdTokenClaims, IdTokenCheck, IdTokenVerifierOptions, IdTokenVerifier } from './id-token.ts';

// The protocol steps, stateless.
export { createCodeVerifier, computeCodeChallenge, createState } from './pkce.ts';
export { parseCallback, validateCallback } from './callback.ts';
export type { CallbackParameters, ValidateCallbackOptions, ValidatedCallback } from './callback.ts';
export { resolveProvider, discoverIssuer } from './providers.ts';
export type { ProviderName, ProviderOptions, ResolvedProvider, AuthorizationServerMetadata } from './providers.ts';
export { exchangeAuthorizationCode, refreshTokens, revokeToken } from './token-endpoint.ts';
export type { TokenResponse, TokenRequestOptions, AuthorizationCodeGrant, RefreshTokenGrant, RevocationRequest } from './token-endpoint.ts';
export { fetchUser } from './user.ts';
export type { RequestSeam } from './http.ts';
export type { LoginTransaction } from './transaction.ts';
