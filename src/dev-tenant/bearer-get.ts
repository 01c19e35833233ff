/**
 * The front of every read-only route of the tenant that takes a user's access token (the REST
 * API, `/tempcontent`): CORS for trusted origins with credentials, the preflight, GET/HEAD only,
 * and `Authorization: Bearer` checked. Refusals are written in Qlik's error format.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { bearerToken, checkAccessToken } from './access-tokens.ts';
import { sendQlikError } from './qlik-errors.ts';
import { corsHeaders } from './users-api.ts';
import type { DevTenantUser, UserDirectory } from './users.ts';

export interface BearerGetDependencies {
  provider: Provider;
  users: UserDirectory;
  trustedOrigins: ReadonlySet<string>;
}

export interface BearerGetRequest {
  user: DevTenantUser;
  /** CORS headers for the answer. */
  cors: Record<string, string>;
}

/** Answers preflights and refusals itself; resolves to the caller's user when the route should answer. */
export async function acceptBearerGet(req: IncomingMessage, res: ServerResponse, deps: BearerGetDependencies, route: string): Promise<BearerGetRequest | undefined> {
  const cors = corsHeaders(req.headers.origin, deps.trustedOrigins);
  if (req.method === 'OPTIONS') {
    const preflight =
      'access-control-allow-origin' in cors
        ? {
            ...cors,
            'access-control-allow-methods': 'GET, OPTIONS',
            'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'authorization',
            'access-control-max-age': '600',
          }
        : cors;
    res.writeHead(204, preflight).end();
    return undefined;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendQlikError(res, 405, 'method_not_allowed', `${req.method ?? ''} is not supported on ${route}; use GET`, { headers: { ...cors, allow: 'GET, OPTIONS' } });
    return undefined;
  }
  const token = bearerToken(req.headers.authorization);
  const check = token ? await checkAccessToken(deps.provider, deps.users, token) : { ok: false as const, reason: 'missing Bearer access token in the Authorization header' };
  if (!check.ok) {
    sendQlikError(res, 401, 'invalid_token', check.reason, {
      error: 'invalid_token',
      headers: { ...cors, 'www-authenticate': `Bearer realm="dev-tenant", error="invalid_token", error_description="${check.reason.replace(/["\\]/g, '')}"` },
    });
    return undefined;
  }
  return { user: check.user, cors };
}
