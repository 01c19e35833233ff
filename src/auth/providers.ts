/**
 * Where to send the user and the token requests, per provider, and the refusals that keep a
 * browser client safe: no plain http off loopback, and no client secret at all.
 */
import { ConfigurationError } from './errors.ts';
import { send, type RequestSeam } from './http.ts';

export type ProviderName = 'qlik' | 'genesys' | 'oidc' | 'custom';

/** The provider-related subset of the client options. */
export interface ProviderOptions {
  /** Default `qlik`. */
  provider?: ProviderName;
  /** Qlik tenant, as `tenant.eu.qlikcloud.com` or with a scheme. */
  host?: string;
  /** Genesys Cloud region domain, e.g. `mypurecloud.com`, `mypurecloud.de`. */
  region?: string;
  /** OIDC issuer to discover; with other providers, the expected RFC 9207 `iss`. */
  issuer?: string;
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  revocationEndpoint?: string;
  userinfoEndpoint?: string;
  scope?: string;
  tokenRequestFormat?: 'form' | 'json';
  credentials?: RequestCredentials;
}

/** Endpoints and defaults, ready to use. All URLs are absolute and checked. */
export interface ResolvedProvider {
  provider: ProviderName;
  /** Origin the tokens are for (Qlik tenant, Genesys API), when there is one. */
  host?: string;
  /** Issuer identifier, compared exactly with a callback's `iss`. */
  issuer?: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  revocationEndpoint?: string;
  userinfoEndpoint?: string;
  /** Where the ID token signing keys are (OIDC `jwks_uri`); from discovery only. */
  jwksUri?: string;
  scope?: string;
  tokenRequestFormat: 'form' | 'json';
  credentials?: RequestCredentials;
  /** RFC 9207 metadata: when true, a callback without `iss` is refused. */
  issuerParameterSupported: boolean;
}

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

const PROVIDERS: readonly ProviderName[] = ['qlik', 'genesys', 'oidc', 'custom'];

function missing(name: string, why: string): ConfigurationError {
  return new ConfigurationError('missing_option', `The ${name} option is required ${why}.`, {
    hint: `Set ${name}.`,
  });
}

function invalid(name: string, value: string, why: string): ConfigurationError {
  return new ConfigurationError('invalid_option', `The ${name} option "${value}" is not valid: ${why}.`, {
    hint: `Correct ${name}.`,
  });
}

/** localhost, *.localhost, 127.0.0.0/8 and [::1]: traffic that never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ||
    host === '[::1]'
  );
}

/**
 * Parses an endpoint and refuses anything but https (http only on loopback): tokens and codes
 * over plain http can be read and replaced by anyone on the path.
 * @throws {ConfigurationError} `invalid_option` or `insecure_endpoint`.
 */
export function assertSecureUrl(value: string | URL, name: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(name, String(value), 'it is not an absolute URL');
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:') {
    if (isLoopbackHost(url.hostname)) return url;
    throw new ConfigurationError('insecure_endpoint', `The ${name} ${url.href} uses plain http.`, {
      hint: `Use https://${url.host}${url.pathname === '/' ? '' : url.pathname}. Plain http is allowed only for loopback (localhost, 127.0.0.1, [::1]) during development.`,
    });
  }
  throw invalid(name, url.href, 'only https URLs are allowed');
}

/**
 * A host given as `tenant.eu.qlikcloud.com`, `https://tenant.eu.qlikcloud.com/` or with a path,
 * as an origin (`https://tenant.eu.qlikcloud.com`). No scheme means https.
 */
export function normalizeHost(host: string, name = 'host'): string {
  const trimmed = host.trim();
  if (!trimmed) throw missing(name, 'and must not be empty');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  return assertSecureUrl(withScheme, name).origin;
}

/**
 * Refuses a client secret in any spelling: whatever the browser holds, every visitor can read,
 * so a "secret" here is public and lends false confidence.
 * @throws {ConfigurationError} `client_secret_refused`.
 */
export function refuseClientSecret(options: object): void {
  const record = options as Record<string, unknown>;
  for (const name of ['clientSecret', 'client_secret', 'client-secret']) {
    if (record[name] !== undefined && record[name] !== null) {
      throw new ConfigurationError(
        'client_secret_refused',
        `A client secret (${name}) was given to browser code, which cannot keep it secret: anyone can read it from the page.`,
        {
          hint: 'Remove the secret and register a public client that uses PKCE (no secret), or keep the secret on a backend that runs the token exchange.',
        },
      );
    }
  }
}

function pickProvider(options: ProviderOptions): ProviderName {
  const provider = options.provider ?? 'qlik';
  if (!PROVIDERS.includes(provider)) throw invalid('provider', String(provider), `use one of ${PROVIDERS.join(', ')}`);
  return provider;
}

/**
 * A Genesys Cloud region domain, and the scheme to reach it with. A real region is a bare domain
 * over https. Only a loopback region (`localhost`, `*.localhost`, with an optional port) gets
 * plain http, so that tests can stand in for Genesys on this machine (`localhost:4000` →
 * `http://login.localhost:4000`) while no real region can be downgraded.
 */
function checkRegion(region: string | undefined): { domain: string; scheme: 'https:' | 'http:' } {
  if (!region?.trim()) throw missing('region', 'for the genesys provider (e.g. mypurecloud.com)');
  const value = region.trim().toLowerCase();
  if (/^([a-z0-9-]+\.)*localhost(:\d{1,5})?$/.test(value)) return { domain: value, scheme: 'http:' };
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(value)) throw invalid('region', region, 'give the domain only, e.g. mypurecloud.de');
  return { domain: value, scheme: 'https:' };
}

function optionalEndpoint(value: string | undefined, name: string): string | undefined {
  return value === undefined || value === '' ? undefined : assertSecureUrl(value, name).href;
}

/** Resolves everything that needs no network; OIDC's endpoints are left for discovery. */
function resolveStatic(options: ProviderOptions): Omit<ResolvedProvider, 'authorizationEndpoint' | 'tokenEndpoint'> & {
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
} {
  refuseClientSecret(options);
  const provider = pickProvider(options);
  const explicit = {
    authorizationEndpoint: optionalEndpoint(options.authorizationEndpoint, 'authorizationEndpoint'),
    tokenEndpoint: optionalEndpoint(options.tokenEndpoint, 'tokenEndpoint'),
    revocationEndpoint: optionalEndpoint(options.revocationEndpoint, 'revocationEndpoint'),
    userinfoEndpoint: optionalEndpoint(options.userinfoEndpoint, 'userinfoEndpoint'),
  };
  // Kept as written: issuers are compared as strings (RFC 9207 §2.4), so no URL normalising.
  const issuer = options.issuer?.trim() || undefined;
  if (issuer) assertSecureUrl(issuer, 'issuer');
  const common = {
    provider,
    scope: options.scope,
    credentials: options.credentials,
    issuerParameterSupported: false,
  };

  switch (provider) {
    case 'qlik': {
      if (!options.host) throw missing('host', 'for the qlik provider (e.g. tenant.eu.qlikcloud.com)');
      const host = normalizeHost(options.host);
      return {
        ...common,
        host,
        issuer,
        authorizationEndpoint: explicit.authorizationEndpoint ?? `${host}/oauth/authorize`,
        tokenEndpoint: explicit.tokenEndpoint ?? `${host}/oauth/token`,
        revocationEndpoint: explicit.revocationEndpoint ?? `${host}/oauth/revoke`,
        userinfoEndpoint: explicit.userinfoEndpoint ?? `${host}/api/v1/users/me`,
        scope: options.scope ?? 'user_default',
        tokenRequestFormat: options.tokenRequestFormat ?? 'json',
        // Qlik's own clients send the tenant's cookies along; the tenant expects them.
        credentials: options.credentials ?? 'include',
      };
    }
    case 'genesys': {
      const { domain, scheme } = checkRegion(options.region);
      const login = `${scheme}//login.${domain}`;
      const api = `${scheme}//api.${domain}`;
      return {
        ...common,
        host: api,
        issuer,
        authorizationEndpoint: explicit.authorizationEndpoint ?? `${login}/oauth/authorize`,
        tokenEndpoint: explicit.tokenEndpoint ?? `${login}/oauth/token`,
        // Genesys revokes with DELETE /api/v2/tokens/me, not RFC 7009, so none by default.
        revocationEndpoint: explicit.revocationEndpoint,
        userinfoEndpoint: explicit.userinfoEndpoint ?? `${api}/api/v2/users/me`,
        tokenRequestFormat: options.tokenRequestFormat ?? 'form',
      };
    }
    case 'oidc': {
      if (!issuer) throw missing('issuer', 'for the oidc provider (e.g. https://login.example.com)');
      return {
        ...common,
        host: options.host ? normalizeHost(options.host) : undefined,
        issuer,
        ...explicit,
        scope: options.scope ?? 'openid',
        tokenRequestFormat: options.tokenRequestFormat ?? 'form',
      };
    }
    case 'custom': {
      if (!explicit.authorizationEndpoint) throw missing('authorizationEndpoint', 'for the custom provider');
      if (!explicit.tokenEndpoint) throw missing('tokenEndpoint', 'for the custom provider');
      return {
        ...common,
        host: options.host ? normalizeHost(options.host) : undefined,
        issuer,
        ...explicit,
        tokenRequestFormat: options.tokenRequestFormat ?? 'form',
      };
    }
  }
}

/**
 * Checks options without touching the network, so bad configuration fails synchronously.
 * @throws {ConfigurationError} `client_secret_refused`, `insecure_endpoint`, `missing_option`, `invalid_option`.
 */
export function checkProviderOptions(options: ProviderOptions): void {
  resolveStatic(options);
}

/**
 * The origin the tokens are for, without the network (for `AuthSource.host`).
 */
export function providerHost(options: ProviderOptions): string | undefined {
  return resolveStatic(options).host;
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
