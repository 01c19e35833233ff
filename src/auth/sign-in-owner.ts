/**
 * The one owner of sign-in state that an element's options call for: a PKCE `AuthClient`, or a
 * `BackendTokenSource` when the tokens come from your backend.
 */
import type { AuthClientOptions } from './client.ts';
import { ownerModules as modules } from './owner-loader.ts';
import type { SignInSource } from './source.ts';

/** The options that shape the owner: a change to any of them starts a new one. */
export const SIGN_IN_OPTIONS = [
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

export interface SignInConfig {
  provider: NonNullable<AuthClientOptions['provider']>;
  host: string | undefined;
  region: string | undefined;
  issuer: string | undefined;
  clientId: string | undefined;
  redirectUri: string | undefined;
  scope: string | undefined;
  authorizationEndpoint: string | undefined;
  tokenEndpoint: string | undefined;
  revocationEndpoint: string | undefined;
  /** With any of these three, tokens come from a backend. */
  accessTokenUrl: string | undefined;
  /** The name of a global `() => Promise<string>`. */
  accessTokenFunctionName: string | undefined;
  getAccessTokenFn: (() => Promise<string | null | undefined>) | undefined;
  share: 'tabs' | 'none';
  /** Page code's extra client options: `fetch`, `tokenRequestFormat`, `credentials`, `timeoutMs`. */
  options: Partial<AuthClientOptions>;
}

/** With an access-token URL, a global token function or a token function property, tokens come from a backend. */
export function tokensFromBackend(config: SignInConfig): boolean {
  return Boolean(config.accessTokenUrl?.trim() || config.accessTokenFunctionName?.trim() || config.getAccessTokenFn);
}

/**
 * Creates the owner for `config`, or returns `undefined` while its code has not loaded
 * (`loadOwner`). Its constructor throws for bad options.
 */
export function createOwner(config: SignInConfig): SignInSource | undefined {
  if (tokensFromBackend(config)) {
    if (!modules.backend) return undefined;
    const { BackendTokenSource, globalTokenFunction } = modules.backend;
    const name = config.accessTokenFunctionName?.trim();
    return new BackendTokenSource({
      accessTokenUrl: config.accessTokenUrl,
      getAccessToken: config.getAccessTokenFn ?? (name ? globalTokenFunction(name) : undefined),
      host: config.host,
      clientId: config.clientId,
      redirectUri: config.redirectUri,
      fetch: config.options.fetch,
      timeoutMs: config.options.timeoutMs,
      credentials: config.options.credentials,
    });
  }
  if (!modules.client) return undefined;
  return new modules.client.AuthClient({
    ...config.options,
    provider: config.provider,
    host: config.host,
    region: config.region,
    issuer: config.issuer,
    clientId: config.clientId ?? '',
    redirectUri: config.redirectUri,
    scope: config.scope,
    authorizationEndpoint: config.authorizationEndpoint,
    tokenEndpoint: config.tokenEndpoint,
    revocationEndpoint: config.revocationEndpoint,
    share: config.share === 'none' ? 'none' : 'tabs',
  });
}
