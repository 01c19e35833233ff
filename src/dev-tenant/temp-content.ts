/**
 * `GET /tempcontent/{id}/{name}`: files made by the engine's ExportData, served to the user who
 * made them, with that user's access token as `Authorization: Bearer` (what Node clients and a
 * page's `fetch` send). Another user's token, an expired file or an unknown id all answer 404.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { acceptBearerGet } from './bearer-get.ts';
import type { ExportStore } from './engine/index.ts';
import { sendQlikError } from './qlik-errors.ts';
import type { UserDirectory } from './users.ts';

export { TEMP_CONTENT_PREFIX } from './engine/index.ts';

export interface TempContentDependencies {
  provider: Provider;
  users: UserDirectory;
  exports: ExportStore;
  trustedOrigins: ReadonlySet<string>;
}

export async function handleTempContent(req: IncomingMessage, res: ServerResponse, pathname: string, deps: TempContentDependencies): Promise<void> {
  const accepted = await acceptBearerGet(req, res, deps, '/tempcontent');
  if (!accepted) return;
  const { user, cors } = accepted;
  const file = deps.exports.get(pathname, user.id, req.method !== 'HEAD');
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
