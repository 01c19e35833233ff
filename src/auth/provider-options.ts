/**
 * Provider options checked without the network: the refusals that keep a browser client safe (no
 * plain http off loopback, no client secret at all) and what each provider requires. Small and
 * synchronous, so that bad configuration fails at once; `providers.ts` builds the endpoints and
 * runs discovery.
 */
import { ConfigurationError } from './errors.ts';

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

/** What checking the options establishes; `providers.ts` builds the endpoints from it. */
export interface CheckedProviderOptions {
  provider: ProviderName;
  /** Origin the tokens are for: the Qlik tenant, the Genesys API, or the host given to `oidc` and `custom`. */
  host: string | undefined;
  /** As written (issuers are compared as strings, RFC 9207 §2.4), once checked. */
  issuer: string | undefined;
  /** Genesys only: the login origin. */
  login?: string;
  /** The endpoint options, checked, as absolute URLs. */
  authorizationEndpoint: string | undefined;
  tokenEndpoint: string | undefined;
  revocationEndpoint: string | undefined;
  userinfoEndpoint: string | undefined;
}

/**
 * Every check on the provider options, in the order they fail, without building the endpoints.
 * @throws {ConfigurationError} `client_secret_refused`, `insecure_endpoint`, `missing_option`, `invalid_option`.
 */
export function checkProvider(options: ProviderOptions): CheckedProviderOptions {
  refuseClientSecret(options);
  const provider = pickProvider(options);
  const checked: CheckedProviderOptions = {
    provider,
    host: undefined,
    authorizationEndpoint: optionalEndpoint(options.authorizationEndpoint, 'authorizationEndpoint'),
    tokenEndpoint: optionalEndpoint(options.tokenEndpoint, 'tokenEndpoint'),
    revocationEndpoint: optionalEndpoint(options.revocationEndpoint, 'revocationEndpoint'),
    userinfoEndpoint: optionalEndpoint(options.userinfoEndpoint, 'userinfoEndpoint'),
    // Kept as written: issuers are compared as strings (RFC 9207 §2.4), so no URL normalising.
    issuer: options.issuer?.trim() || undefined,
  };
  if (checked.issuer) assertSecureUrl(checked.issuer, 'issuer');

  switch (provider) {
    case 'qlik':
      if (!options.host) throw missing('host', 'for the qlik provider (e.g. tenant.eu.qlikcloud.com)');
      checked.host = normalizeHost(options.host);
      break;
    case 'genesys': {
      const { domain, scheme } = checkRegion(options.region);
      checked.login = `${scheme}//login.${domain}`;
      checked.host = `${scheme}//api.${domain}`;
      break;
    }
    case 'oidc':
      if (!checked.issuer) throw missing('issuer', 'for the oidc provider (e.g. https://login.example.com)');
      if (options.host) checked.host = normalizeHost(options.host);
      break;
    case 'custom':
      if (!checked.authorizationEndpoint) throw missing('authorizationEndpoint', 'for the custom provider');
      if (!checked.tokenEndpoint) throw missing('tokenEndpoint', 'for the custom provider');
      if (options.host) checked.host = normalizeHost(options.host);
      break;
  }
  return checked;
}

/**
 * Checks options without touching the network, so bad configuration fails synchronously.
 * @throws {ConfigurationError} `client_secret_refused`, `insecure_endpoint`, `missing_option`, `invalid_option`.
 */
export function checkProviderOptions(options: ProviderOptions): void {
  checkProvider(options);
}

/**
 * The origin the tokens are for, without the network (for `AuthSource.host`).
 */
export function providerHost(options: ProviderOptions): string | undefined {
  return checkProvider(options).host;
}
