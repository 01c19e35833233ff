/**
 * `GET /tempcontent/{id}/{name}`: the files `ExportData` made, served to the user who made them
 * (Bearer access token, as Qlik Cloud's temporary content), with CORS for trusted origins so a
 * page can download its export with `fetch`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken, checkAccessToken } from './access-tokens.ts';
import { TEMP_CONTENT_PREFIX, type ExportStore } from './engine/index.ts';
import { sendQlikError } from './qlik-errors.ts';
import { corsHeaders, type UsersApiDependencies } from './users-api.ts';

export { TEMP_CONTENT_PREFIX };

export async function handleTempContent(req: IncomingMessage, res: ServerResponse, pathname: string, deps: Omit<UsersApiDependencies, 'tenantId'> & { exports: ExportStore }): Promise<void> {
  const cors = corsHeaders(req.headers.origin, deps.trustedOrigins);
  if (req.method === 'OPTIONS') {
    const trusted = 'access-control-allow-origin' in cors;
    res.writeHead(204, trusted ? { ...cors, 'access-control-allow-methods': 'GET, OPTIONS', 'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'authorization', 'access-control-max-age': '600' } : cors).end();
    return;
  }
  if (req.method !== 'GET') {
    sendQlikError(res, 405, 'method_not_allowed', `${req.method ?? ''} is not supported on temporary content; use GET`, { headers: { ...cors, allow: 'GET, OPTIONS' } });
    return;
  }
  const token = bearerToken(req.headers.authorization);
  const check = token ? await checkAccessToken(deps.provider, deps.users, token) : undefined;
  if (!check?.ok) {
    sendQlikError(res, 401, 'invalid_token', check ? check.reason : 'missing Bearer access token in the Authorization header', { error: 'invalid_token', headers: cors });
    return;
  }
  const file = deps.exports.get(pathname, check.user.id);
  if (!file) {
    sendQlikError(res, 404, 'not_found', 'No such export: it expired, or another user made it.', { headers: cors });
    return;
  }
  res.writeHead(200, {
    ...cors,
    'content-type': file.contentType,
    'content-length': file.body.length,
    'content-disposition': `attachment; filename="${file.name.replace(/["\\\r\n]/g, '_')}"`,
    'cache-control': 'no-store',
  });
  res.end(file.body);
}
