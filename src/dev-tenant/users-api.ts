/**
 * `GET /api/v1/users/me`: who the Bearer access token stands for, in Qlik's user shape.
 * This route is ours, not oidc-provider's, so it does its own CORS, with the same rule:
 * trusted origins only, credentials allowed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { sendQlikError } from './qlik-errors.ts';
import type { UserDirectory } from './users.ts';
import { bearerToken, checkAccessToken } from './access-tokens.ts';

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

  const value = bearerToken(req.headers.authorization);
  if (!value) {
    unauthorized('missing Bearer access token in the Authorization header');
    return;
  }
  const check = await checkAccessToken(deps.provider, deps.users, value);
  if (!check.ok) {
    unauthorized(check.reason);
    return;
  }
  const { user } = check;

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
