/**
 * A stand-in for Genesys Cloud on loopback, for journeys: a real oidc-provider mounted at Genesys'
 * paths on `login.localhost:PORT` (`/oauth/authorize`, `/oauth/token`), and Genesys' "who am I"
 * route on `api.localhost:PORT` (`/api/v2/users/me`). Chromium resolves `*.localhost` to loopback
 * by itself, so `region="localhost:PORT"` reaches this server and nothing else; real regions stay
 * https-only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import Provider from 'oidc-provider';

export interface GenesysServer {
  /** The value for `region`: `localhost:PORT`. */
  region: string;
  /** `http://login.localhost:PORT`. */
  loginOrigin: string;
  /** `http://api.localhost:PORT`. */
  apiOrigin: string;
  provider: Provider;
  /** The `Authorization` headers `/api/v2/users/me` received, in order. */
  usersMeAuthorizations: string[];
  /** The Genesys-shaped user the API answers for a login name. */
  userFor(login: string): GenesysUser;
  close(): Promise<void>;
}

export interface GenesysUser {
  id: string;
  name: string;
  email: string;
  username: string;
  state: 'active';
  selfUri: string;
}

/** The one scope the stand-in's OAuth client has (Genesys' own scopes look like this). */
const CLIENT_SCOPE = 'users:readonly';

function userFor(login: string): GenesysUser {
  // A stable UUID-shaped id per login, as Genesys ids look.
  const hex = createHash('sha256').update(login).digest('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  const name = login
    .split(/[-_.]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(' ');
  return { id, name, email: `${login}@example.com`, username: `${login}@example.com`, state: 'active', selfUri: `/api/v2/users/${id}` };
}

export async function startGenesysServer(options: {
  clientId: string;
  redirectUris: string[];
  origins: string[];
  /** Authorization code lifetime; Genesys' own is short. Default 60. */
  codeTtlSeconds?: number;
}): Promise<GenesysServer> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const region = `localhost:${port}`;
  const loginOrigin = `http://login.${region}`;
  const apiOrigin = `http://api.${region}`;

  const provider = new Provider(loginOrigin, {
    clients: [
      {
        client_id: options.clientId,
        token_endpoint_auth_method: 'none',
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    routes: { authorization: '/oauth/authorize', token: '/oauth/token', jwks: '/oauth/jwks' },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    clientBasedCORS: (_ctx, origin) => options.origins.includes(origin),
    ttl: { AccessToken: 600, AuthorizationCode: options.codeTtlSeconds ?? 60, Grant: 3600, Session: 3600, Interaction: 600 },
    cookies: { keys: [crypto.randomUUID()] },
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
    scopes: [CLIENT_SCOPE],
    // The client's scopes are granted at sign-in, without a consent page, as Genesys does for an
    // OAuth client whose scopes an administrator assigned.
    loadExistingGrant: async (ctx) => {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const existing = session.grantIdFor(client.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(CLIENT_SCOPE);
      await grant.save();
      session.grantIdFor(client.clientId, grant.jti);
      return grant;
    },
  });
  // Genesys takes a missing scope to mean "the client's scopes"; oidc-provider wants one named.
  provider.use(async (ctx, next) => {
    if (ctx.path === '/oauth/authorize' && ctx.method === 'GET' && !ctx.query.scope) ctx.query = { ...ctx.query, scope: CLIENT_SCOPE };
    await next();
  });
  provider.on('server_error', (_ctx, error) => console.error('oidc-provider:', error));
  const oauth = provider.callback();

  const usersMeAuthorizations: string[] = [];
  const usersMe = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const origin = req.headers.origin;
    const cors: Record<string, string> =
      origin && options.origins.includes(origin) ? { 'access-control-allow-origin': origin, vary: 'Origin' } : { vary: 'Origin' };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET', 'access-control-allow-headers': 'authorization', 'access-control-max-age': '600' }).end();
      return;
    }
    usersMeAuthorizations.push(req.headers.authorization ?? '');
    const token = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const found = token ? await provider.AccessToken.find(token) : undefined;
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { ...cors, 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
    };
    // Genesys' error shape.
    if (!found) json(401, { message: 'Authentication failed', code: 'authentication.required', status: 401 });
    else json(200, userFor(found.accountId));
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const host = (req.headers.host ?? '').toLowerCase();
    if (host === `api.${region}`) {
      if (new URL(req.url ?? '/', apiOrigin).pathname === '/api/v2/users/me') void usersMe(req, res);
      else res.writeHead(404).end();
      return;
    }
    if (host === `login.${region}`) {
      oauth(req, res);
      return;
    }
    // Anything else, including 127.0.0.1 itself, is not Genesys.
    res.writeHead(421).end();
  });

  return {
    region,
    loginOrigin,
    apiOrigin,
    provider,
    usersMeAuthorizations,
    userFor,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
