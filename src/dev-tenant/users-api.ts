/**
 * `GET /api/v1/users/me`: who the Bearer access token stands for, in Qlik's user shape.
 * This route is ours, not oidc-provider's, so it does its own CORS, with the same rule:
 * trusted origins only, credentials allowed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { sendQlikError } from './qlik-errors.ts';
import type { UserDirectory } from './users.ts';

export const USERS_ME_PATH = '/api/v1/users/me';

export interface UsersApiDependencies {
  provider: Provider;
  users: UserDirectory;
  trustedOrigins: ReadonlySet<string>;
  tenantId: string;
}

/** What Qlik's `/api/v1/users/me` returns, reduced to what the kit reads. */
export interface QlikUser {
  id: string;
  tenantId: string;
  status: 'active';
  subject: string;
  name: string;
  email?: string;
}

/** CORS response headers for `origin`: none unless it is trusted. */
export function corsHeaders(origin: string | undefined, trustedOrigins: ReadonlySet<string>): Record<string, string> {
  if (!origin || !trustedOrigins.has(origin)) return { vary: 'Origin' };
  return { vary: 'Origin', 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' };
}

export async function handleUsersMe(req: IncomingMessage, res: ServerResponse, deps: UsersApiDependencies): Promise<void> {
  const cors = corsHeaders(req.headers.origin, deps.trustedOrigins);
  const trusted = 'access-control-allow-origin' in cors;

  if (req.method === 'OPTIONS') {
    const preflight = trusted
      ? {
          ...cors,
          'access-control-allow-methods': 'GET, OPTIONS',
          'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'authorization',
          'access-control-max-age': '600',
        }
      : cors;
    res.writeHead(204, preflight).end();
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendQlikError(res, 405, 'method_not_allowed', `${req.method ?? ''} is not supported on ${USERS_ME_PATH}; use GET`, { headers: { ...cors, allow: 'GET, OPTIONS' } });
    return;
  }

  const unauthorized = (detail: string): void => {
    sendQlikError(res, 401, 'invalid_token', detail, {
      error: 'invalid_token',
      headers: { ...cors, 'www-authenticate': `Bearer realm="dev-tenant", error="invalid_token", error_description="${detail.replace(/["\\]/g, '')}"` },
    });
  };

  const value = /^Bearer +([^\s]+) *$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!value) {
    unauthorized('missing Bearer access token in the Authorization header');
    return;
  }
  const { provider, users } = deps;
  const token = await provider.AccessToken.find(value, { ignoreExpiration: true });
  if (!token) {
    const machine = await provider.ClientCredentials.find(value, { ignoreExpiration: true });
    unauthorized(machine ? 'this token comes from client credentials and stands for no user' : 'the access token is unknown or has been revoked');
    return;
  }
  if (token.isExpired) {
    unauthorized('the access token is expired');
    return;
  }
  const user = users.byId(token.accountId);
  if (!user) {
    unauthorized('the access token belongs to a user this tenant no longer knows');
    return;
  }

  const me: QlikUser = {
    id: user.id,
    tenantId: deps.tenantId,
    status: 'active',
    subject: user.subject,
    name: user.name,
    ...(user.email ? { email: user.email } : {}),
  };
  const text = JSON.stringify(me);
  res.writeHead(200, { ...cors, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : text);
}
