import { ConfigurationError } from '../auth/errors.ts';
import { isLoopbackHost } from '../auth/provider-options.ts';

/**
 * `host` as given by a sign-in (`https://tenant.eu.qlikcloud.com`, or a bare host name) as a
 * URL without query or hash. A bare name means https, as Qlik's own loaders assume.
 */
export function tenantUrl(host: string | undefined): URL {
  if (typeof host !== 'string' || host.trim() === '') {
    throw new ConfigurationError('missing_host', 'The sign-in has no tenant host.', {
      hint: 'Set host on the <auth-login> (e.g. host="https://tenant.eu.qlikcloud.com"): websocket tokens and the engine come from the tenant at host.',
    });
  }
  const trimmed = host.trim();
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`host must be an http(s) URL, got ${url.protocol}`);
  }
  // The user's access token goes to this host: plain http only where it never leaves the machine.
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new ConfigurationError('insecure_endpoint', `The tenant host ${url.origin} uses plain http.`, {
      hint: `Use https://${url.host}. Plain http is allowed only for loopback (localhost, 127.0.0.1, [::1]) during development.`,
    });
  }
  url.search = '';
  url.hash = '';
  return url;
}

/** `https://tenant/base/` + path, keeping a base path when the tenant sits behind a proxy. */
export function tenantEndpoint(host: string | undefined, path: string): string {
  const base = tenantUrl(host);
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}${path}`;
}

export interface EngineUrlOptions {
  /** Tenant origin; `https:` gives `wss:`, `http:` (loopback dev tenant) gives `ws:`. */
  host: string;
  appId: string;
  /** Optional session identity: separate engine sessions (and selections) for the same app and user. */
  identity?: string;
  /** Optional session time-to-live in seconds, kept by the engine after the socket closes. */
  ttl?: number;
  /** A websocket token from `exchangeForWebSocketToken`, not the user's access token. */
  accessToken: string;
  /** The page the engine tells the client to reload on re-authentication. */
  reloadUri: string;
}

/**
 * The engine websocket URL per QLIK-PROTOCOL.md:
 * `wss://{host}/app/{appId}[/identity/{id}][/ttl/{seconds}]?reloadUri=…&accessToken=…`,
 * with every part percent-encoded.
 */
export function buildEngineUrl(options: EngineUrlOptions): string {
  const { host, appId, identity, ttl, accessToken, reloadUri } = options;
  if (typeof appId !== 'string' || appId === '') throw new TypeError('appId is required');
  if (typeof accessToken !== 'string' || accessToken === '') throw new TypeError('accessToken is required');
  if (typeof reloadUri !== 'string' || reloadUri === '') throw new TypeError('reloadUri is required');
  if (ttl !== undefined && !(Number.isInteger(ttl) && ttl >= 0)) {
    throw new TypeError(`ttl must be a whole number of seconds, got ${String(ttl)}`);
  }
  const base = tenantUrl(host);
  const scheme = base.protocol === 'https:' ? 'wss:' : 'ws:';
  let path = `${base.pathname.replace(/\/+$/, '')}/app/${encodeURIComponent(appId)}`;
  if (identity !== undefined && identity !== '') path += `/identity/${encodeURIComponent(identity)}`;
  if (ttl !== undefined) path += `/ttl/${ttl}`;
  const query = `reloadUri=${encodeURIComponent(reloadUri)}&accessToken=${encodeURIComponent(accessToken)}`;
  return `${scheme}//${base.host}${path}?${query}`;
}

/** The same URL with the token replaced, for logs and enigma's `config.url`. */
export function redactEngineUrl(url: string): string {
  return url.replace(/([?&]accessToken=)[^&]*/, '$1[redacted]');
}
