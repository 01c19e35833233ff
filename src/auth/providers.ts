/**
 * Where to send the user and the token requests, per provider, and the refusals that keep a
 * browser client safe: no plain http off loopback, and no client secret at all. The checks live
 * in `provider-options.ts`, which a page loads up front so that bad options fail at once, and are
 * re-exported here; this module builds the endpoints and runs OIDC discovery, and loads with the
 * sign-in flows.
 */
import { ConfigurationError } from './errors.ts';
import { send, type RequestSeam } from './http.ts';
import { assertSecureUrl, checkProvider, type ProviderName, type ProviderOptions, type ResolvedProvider } from './provider-options.ts';

export {
  assertSecureUrl,
  checkProviderOptions,
  isLoopbackHost,
  normalizeHost,
  providerHost,
  refuseClientSecret,
  type ProviderName,
  type ProviderOptions,
  type ResolvedProvider,
} from './provider-options.ts';

/**
 * The parts of OAuth/OIDC server metadata we read.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export interface AuthorizationServerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  revocation_endpoint?: string;
  userinfo_endpoint?: string;
  jwks_uri?: string;
  code_challenge_methods_supported?: string[];
  authorization_response_iss_parameter_supported?: boolean;
  [name: string]: unknown;
}

/** Resolves everything that needs no network; OIDC's endpoints are left for discovery. */
function resolveStatic(options: ProviderOptions): Omit<ResolvedProvider, 'authorizationEndpoint' | 'tokenEndpoint'> & {
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
} {
  const { login, ...checked } = checkProvider(options);
  const { host } = checked;
  const common = {
    ...checked,
    scope: options.scope,
    credentials: options.credentials,
    issuerParameterSupported: false,
  };

  switch (checked.provider) {
    case 'qlik':
      return {
        ...common,
        authorizationEndpoint: checked.authorizationEndpoint ?? `${host}/oauth/authorize`,
        tokenEndpoint: checked.tokenEndpoint ?? `${host}/oauth/token`,
        revocationEndpoint: checked.revocationEndpoint ?? `${host}/oauth/revoke`,
        userinfoEndpoint: checked.userinfoEndpoint ?? `${host}/api/v1/users/me`,
        scope: options.scope ?? 'user_default',
        tokenRequestFormat: options.tokenRequestFormat ?? 'json',
        // Qlik's own clients send the tenant's cookies along; the tenant expects them.
        credentials: options.credentials ?? 'include',
      };
    case 'genesys':
      return {
        ...common,
        authorizationEndpoint: checked.authorizationEndpoint ?? `${login}/oauth/authorize`,
        tokenEndpoint: checked.tokenEndpoint ?? `${login}/oauth/token`,
        // revocationEndpoint stays as given: Genesys revokes with DELETE /api/v2/tokens/me, not
        // RFC 7009, so there is none by default.
        userinfoEndpoint: checked.userinfoEndpoint ?? `${host}/api/v2/users/me`,
        tokenRequestFormat: options.tokenRequestFormat ?? 'form',
      };
    case 'oidc':
      return { ...common, scope: options.scope ?? 'openid', tokenRequestFormat: options.tokenRequestFormat ?? 'form' };
    case 'custom':
      return { ...common, tokenRequestFormat: options.tokenRequestFormat ?? 'form' };
  }
}

/**
 * Who a client's tokens come from, without the network: the provider, the host they are for, and
 * the issuer (configured) or else the token endpoint. `oidc` always has an issuer and every other
 * provider a token endpoint, so two identity providers never share an identity.
 */
export function providerIdentity(options: ProviderOptions): { provider: ProviderName; host: string | undefined; identity: string } {
  const { provider, host, issuer, tokenEndpoint } = resolveStatic(options);
  return { provider, host, identity: issuer ?? tokenEndpoint ?? '' };
}

/**
 * Endpoints and defaults for `options.provider`; for `oidc`, by discovery. Explicit endpoint
 * options win over defaults and discovered values.
 */
export async function resolveProvider(options: ProviderOptions, seam: RequestSeam = {}): Promise<ResolvedProvider> {
  const base = resolveStatic(options);
  if (base.provider !== 'oidc') {
    // resolveStatic guarantees both for every provider but oidc.
    return { ...base, authorizationEndpoint: base.authorizationEndpoint ?? '', tokenEndpoint: base.tokenEndpoint ?? '' };
  }
  const metadata = await discoverIssuer(base.issuer ?? '', seam);
  return {
    ...base,
    issuer: metadata.issuer,
    authorizationEndpoint: base.authorizationEndpoint ?? metadata.authorization_endpoint,
    tokenEndpoint: base.tokenEndpoint ?? metadata.token_endpoint,
    revocationEndpoint: base.revocationEndpoint ?? metadata.revocation_endpoint,
    userinfoEndpoint: base.userinfoEndpoint ?? metadata.userinfo_endpoint,
    jwksUri: metadata.jwks_uri,
    issuerParameterSupported: metadata.authorization_response_iss_parameter_supported === true,
  };
}

function discoveryFailed(message: string, cause?: unknown): ConfigurationError {
  return new ConfigurationError('discovery_failed', message, {
    hint: 'Check the issuer option: it must be the exact issuer URL whose /.well-known/openid-configuration serves the metadata, reachable with CORS from this origin.',
    cause,
  });
}

/**
 * Fetches `{issuer}/.well-known/openid-configuration` and checks it: the `issuer` in it must
 * equal the one asked for, the endpoints must be https, and PKCE S256 must be supported.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */
export async function discoverIssuer(issuer: string, seam: RequestSeam = {}): Promise<AuthorizationServerMetadata> {
  assertSecureUrl(issuer, 'issuer');
  const wellKnown = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const { response, body } = await send(
    wellKnown,
    { method: 'GET', headers: { Accept: 'application/json' }, credentials: 'omit' },
    seam,
  );
  if (!response.ok) throw discoveryFailed(`Discovery at ${wellKnown} answered HTTP ${response.status}.`, body);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw discoveryFailed(`Discovery at ${wellKnown} did not return a JSON object.`, body);
  }
  const metadata = body as Record<string, unknown>;
  // OIDC Discovery §4.3 wants this compare exact, since anything looser lets one server stand in
  // for another. A trailing slash is the one difference tolerated, as people type issuers both
  // ways; from here on the metadata's own value is what callbacks are compared with.
  if (typeof metadata.issuer !== 'string' || metadata.issuer.replace(/\/$/, '') !== issuer.replace(/\/$/, '')) {
    throw new ConfigurationError(
      'discovery_issuer_mismatch',
      `The metadata at ${wellKnown} names issuer ${JSON.stringify(metadata.issuer)}, not ${issuer}.`,
      { hint: `Set the issuer option to exactly the value in the metadata, if that server is the one you trust.`, cause: body },
    );
  }
  for (const name of ['authorization_endpoint', 'token_endpoint'] as const) {
    if (typeof metadata[name] !== 'string') throw discoveryFailed(`The metadata at ${wellKnown} has no ${name}.`, body);
  }
  for (const name of ['authorization_endpoint', 'token_endpoint', 'revocation_endpoint', 'userinfo_endpoint', 'jwks_uri'] as const) {
    const value = metadata[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw discoveryFailed(`The metadata's ${name} is not a string.`, body);
    assertSecureUrl(value, name);
  }
  const methods = metadata.code_challenge_methods_supported;
  if (Array.isArray(methods) && !methods.includes('S256')) {
    throw new ConfigurationError('pkce_unsupported', `${issuer} does not list S256 in code_challenge_methods_supported.`, {
      hint: 'Enable PKCE with the S256 method for this server or client; a browser client cannot sign in safely without it.',
      cause: body,
    });
  }
  return metadata as AuthorizationServerMetadata;
}
