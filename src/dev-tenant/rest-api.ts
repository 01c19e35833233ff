/**
 * The dev tenant's REST API under `/api/v1/`: the calls Qlik's own clients (`@qlik/api`,
 * qlik-embed) make first. Every route takes a user's `Authorization: Bearer` access token, answers
 * JSON in Qlik's shapes, and fails in Qlik's error format (`{errors:[{code,title,detail,status}]}`).
 *
 * - `GET /api/v1/users/me`
 * - `GET /api/v1/items` (`resourceType`, `resourceId`, `spaceId`, `name`, `query`, `limit`, `next`/`prev`)
 * - `GET /api/v1/spaces`, `GET /api/v1/spaces/{id}`
 * - `GET /api/v1/apps/{id}`
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { acceptBearerGet } from './bearer-get.ts';
import type { SampleApp } from './engine/app.ts';
import { sendQlikError } from './qlik-errors.ts';
import { appInfoJson, itemJson, page, QueryError, sharedSpaceId, spaceJson, type RestContext } from './rest-resources.ts';
import type { DevTenantUser, UserDirectory } from './users.ts';
import { qlikUser } from './users-api.ts';

export const REST_PREFIX = '/api/v1/';

export interface RestApiDependencies {
  provider: Provider;
  users: UserDirectory;
  trustedOrigins: ReadonlySet<string>;
  tenantId: string;
  url: string;
  apps: readonly SampleApp[];
}

type Route = (ctx: RestContext & { user: DevTenantUser; requestUrl: URL }, params: string[]) => { status: number; body: unknown };

class NotFound extends Error {}

const ROUTES: Array<[RegExp, Route]> = [
  [/^users\/me$/, (ctx) => ({ status: 200, body: qlikUser(ctx.user, ctx.tenantId) })],
  [
    /^items$/,
    (ctx) => {
      const q = ctx.requestUrl.searchParams;
      const type = q.get('resourceType');
      const text = (q.get('name') ?? q.get('query') ?? '').toLowerCase();
      const apps = ctx.apps.filter(
        (app) =>
          (type === null || type === 'app') &&
          (q.get('resourceId') === null || q.get('resourceId') === app.id) &&
          (q.get('spaceId') === null || q.get('spaceId') === sharedSpaceId(ctx.tenantId)) &&
          app.title.toLowerCase().includes(text),
      );
      return { status: 200, body: page(apps.map((app) => itemJson(app, ctx)), ctx.requestUrl) };
    },
  ],
  [
    /^spaces$/,
    (ctx) => {
      const { data, links } = page([spaceJson(ctx)], ctx.requestUrl);
      return { status: 200, body: { data, links, meta: { count: 1 } } };
    },
  ],
  [
    /^spaces\/([^/]+)$/,
    (ctx, [id]) => {
      if (id !== sharedSpaceId(ctx.tenantId)) throw new NotFound(`no space ${id}`);
      return { status: 200, body: spaceJson(ctx) };
    },
  ],
  [
    /^apps\/([^/]+)$/,
    (ctx, [id]) => {
      const app = ctx.apps.find((a) => a.id === id);
      if (!app) throw new NotFound(`no app ${id} that this user may open`);
      return { status: 200, body: appInfoJson(app, ctx) };
    },
  ],
];

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>, head: boolean): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(head ? undefined : text);
}

/** Answers a request under `/api/v1/`. */
export async function handleRestApi(req: IncomingMessage, res: ServerResponse, deps: RestApiDependencies): Promise<void> {
  const requestUrl = new URL(req.url ?? '/', deps.url);
  const path = requestUrl.pathname.slice(REST_PREFIX.length).replace(/\/+$/, '');
  const accepted = await acceptBearerGet(req, res, deps, requestUrl.pathname);
  if (!accepted) return;
  const { user, cors } = accepted;

  const owner = deps.users.all[0] ?? user;
  const apps = deps.apps.filter((app) => deps.users.canAccessApp(user.id, app.id));
  const ctx = { url: deps.url, tenantId: deps.tenantId, apps, owner, user, requestUrl };
  for (const [pattern, route] of ROUTES) {
    const match = pattern.exec(path);
    if (!match) continue;
    try {
      const { status, body } = route(ctx, match.slice(1).map((p) => decodeURIComponent(p)));
      sendJson(res, status, body, cors, req.method === 'HEAD');
    } catch (err) {
      if (err instanceof QueryError) sendQlikError(res, 400, 'HTTP-400', err.message, { headers: cors });
      else if (err instanceof NotFound) sendQlikError(res, 404, 'HTTP-404', err.message, { headers: cors });
      else throw err;
    }
    return;
  }
  sendQlikError(res, 404, 'HTTP-404', `the dev tenant has no REST resource at ${requestUrl.pathname}`, { headers: cors });
}
