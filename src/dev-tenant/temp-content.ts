/**
 * `GET /tempcontent/{id}/{name}`: files made by the engine's ExportData, served to the user who
 * made them, with that user's access token as `Authorization: Bearer` (what Node clients and a
 * page's `fetch` send). Another user's token, an expired file or an unknown id all answer 404.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { bearerToken, checkAccessToken } from './access-tokens.ts';
import type { ExportStore } from './engine/index.ts';
import { sendQlikError } from './qlik-errors.ts';
import { corsHeaders } from './users-api.ts';
import type { UserDirectory } from './users.ts';

export { TEMP_CONTENT_PREFIX } from './engine/index.ts';

export interface TempContentDependencies {
  provider: Provider;
  users: UserDirectory;
  exports: ExportStore;
  trustedOrigins: ReadonlySet<string>;
}

export async function handleTempContent(req: IncomingMessage, res: ServerResponse, pathname: string, deps: TempContentDependencies): Promise<void> {
  const cors = corsHeaders(req.headers.origin, deps.trustedOrigins);
  if (req.method === 'OPTIONS') {
    const trusted = 'access-control-allow-origin' in cors;
    res.writeHead(204, trusted ? { ...cors, 'access-control-allow-methods': 'GET, OPTIONS', 'access-control-allow-headers': 'authorization', 'access-control-max-age': '600' } : cors).end();
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendQlikError(res, 405, 'method_not_allowed', `${req.method ?? ''} is not supported on /tempcontent; use GET`, { headers: { ...cors, allow: 'GET, OPTIONS' } });
    return;
  }
  const token = bearerToken(req.headers.authorization);
  const check = token ? await checkAccessToken(deps.provider, deps.users, token) : { ok: false as const, reason: 'missing Bearer access token in the Authorization header' };
  if (!check.ok) {
    sendQlikError(res, 401, 'invalid_token', check.reason, { error: 'invalid_token', headers: { ...cors, 'www-authenticate': 'Bearer realm="dev-tenant", error="invalid_token"' } });
    return;
  }
  const file = deps.exports.get(pathname, check.user.id);
  if (!file) {
    sendQlikError(res, 404, 'not_found', 'no such export for this user (it may have expired); call ExportData again', { headers: cors });
    return;
  }
  res.writeHead(200, {
    ...cors,
    'content-type': file.contentType,
    'content-length': file.body.length,
    'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}
