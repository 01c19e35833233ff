/**
 * A standard OpenID Connect server for journeys that must not depend on our dev tenant:
 * oidc-provider with its built-in dev login and consent pages, on 127.0.0.1 with an OS port.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { Browser } from 'playwright-core';
import { launchChromium, startPageServer, type PageServer } from './journey.ts';

export interface OidcServer {
  issuer: string;
  provider: Provider;
  close(): Promise<void>;
}

export async function startOidcServer(options: { clientId: string; redirectUris: string[]; origins: string[] }): Promise<OidcServer> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        token_endpoint_auth_method: 'none',
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    features: { revocation: { enabled: true }, devInteractions: { enabled: true } },
    clientBasedCORS: (_ctx, origin) => options.origins.includes(origin),
    issueRefreshToken: () => true,
    rotateRefreshToken: true,
    ttl: { AccessToken: 600, AuthorizationCode: 60, RefreshToken: 3600, Grant: 3600, Session: 3600, Interaction: 600 },
    cookies: { keys: [crypto.randomUUID()] },
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, name: id }) }),
  });
  // Quiet in tests: the dev interactions warn once at start-up by design.
  provider.on('server_error', (_ctx, error) => console.error('oidc-provider:', error));
  server.on('request', provider.callback());
  return {
    issuer,
    provider,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface OidcWorld {
  pages: PageServer;
  oidc: OidcServer;
  browser: Browser;
  /** The auth test page, the client's only redirect URI. */
  pageUrl: string;
  close(): Promise<void>;
}

/** The auth test page, an oidc-provider whose client `journey-spa` may redirect to it, and Chromium. */
export async function startOidcWorld(): Promise<OidcWorld> {
  const pages = await startPageServer();
  const pageUrl = `${pages.origin}/test/journeys/pages/auth.html`;
  const oidc = await startOidcServer({ clientId: 'journey-spa', redirectUris: [pageUrl], origins: [pages.origin] });
  const browser = await launchChromium();
  return {
    pages,
    oidc,
    browser,
    pageUrl,
    close: async () => {
      await browser.close();
      await oidc.close();
      await pages.close();
    },
  };
}
