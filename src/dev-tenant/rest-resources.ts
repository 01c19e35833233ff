/**
 * The REST resources Qlik's clients read first, in Qlik Cloud's shapes: items (`/api/v1/items`,
 * paged through `links.next`), spaces (`/api/v1/spaces`) and an app's info (`/api/v1/apps/{id}`,
 * its `attributes`). The dev tenant keeps every app in one shared space.
 */
import { createHash } from 'node:crypto';
import type { SampleApp } from './engine/app.ts';
import type { DevTenantUser } from './users.ts';

/** When the dev tenant's apps and space were "created": fixed, so answers are stable. */
const CREATED_AT = '2024-12-01T09:00:00.000Z';

/** A 24-hex id derived from `seed`, shaped like Qlik's item and space ids. */
function qlikId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 24);
}

export interface RestContext {
  /** The tenant's base URL, for `links`. */
  url: string;
  tenantId: string;
  /** The apps this user may open. */
  apps: readonly SampleApp[];
  /** Owner of the apps and the space: the tenant's first user. */
  owner: DevTenantUser;
}

export const SHARED_SPACE_NAME = 'Embed kit';

export function sharedSpaceId(tenantId: string): string {
  return qlikId(`space:${tenantId}`);
}

export function spaceJson(ctx: RestContext): Record<string, unknown> {
  const id = sharedSpaceId(ctx.tenantId);
  return {
    id,
    type: 'shared',
    name: SHARED_SPACE_NAME,
    description: 'The dev tenant keeps its apps here.',
    tenantId: ctx.tenantId,
    ownerId: ctx.owner.id,
    createdBy: ctx.owner.id,
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
    meta: { actions: ['read'], roles: ['consumer'], assignableRoles: [] },
    links: { self: { href: `${ctx.url}/api/v1/spaces/${id}` }, assignments: { href: `${ctx.url}/api/v1/spaces/${id}/assignments` } },
  };
}

export function appInfoJson(app: SampleApp, ctx: RestContext): Record<string, unknown> {
  return {
    attributes: {
      id: app.id,
      name: app.title,
      description: app.description,
      thumbnail: '',
      lastReloadTime: app.lastReloadTime,
      createdDate: CREATED_AT,
      modifiedDate: app.lastReloadTime,
      owner: ctx.owner.subject,
      ownerId: ctx.owner.id,
      dynamicColor: '',
      published: false,
      publishTime: '',
      custom: {},
      hasSectionAccess: false,
      encrypted: true,
      originAppId: '',
      isDirectQueryMode: false,
      usage: 'ANALYTICS',
      spaceId: sharedSpaceId(ctx.tenantId),
      _resourcetype: 'app',
    },
    privileges: ['read', 'exportdata'],
    create: [],
  };
}

export function itemJson(app: SampleApp, ctx: RestContext): Record<string, unknown> {
  const id = qlikId(`item:${app.id}`);
  return {
    id,
    name: app.title,
    description: app.description,
    resourceType: 'app',
    resourceId: app.id,
    resourceSubType: '',
    resourceLink: '',
    resourceAttributes: (appInfoJson(app, ctx) as { attributes: unknown }).attributes,
    resourceCustomAttributes: null,
    resourceCreatedAt: CREATED_AT,
    resourceUpdatedAt: app.lastReloadTime,
    resourceReloadEndTime: app.lastReloadTime,
    resourceReloadStatus: 'ok',
    resourceSize: { appFile: 0, appMemory: 0 },
    spaceId: sharedSpaceId(ctx.tenantId),
    tenantId: ctx.tenantId,
    ownerId: ctx.owner.id,
    creatorId: ctx.owner.id,
    updaterId: ctx.owner.id,
    createdAt: CREATED_AT,
    updatedAt: app.lastReloadTime,
    thumbnailId: '',
    isFavorited: false,
    collectionIds: [],
    actions: ['read'],
    meta: { actions: ['read'], collections: [], isFavorited: false, tags: [] },
    links: {
      self: { href: `${ctx.url}/api/v1/items/${id}` },
      open: { href: `${ctx.url}/sense/app/${app.id}` },
      collections: { href: `${ctx.url}/api/v1/items/${id}/collections` },
    },
  };
}

/** A bad query parameter: the router answers 400 with this text. */
export class QueryError extends Error {}

export const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 10;

/** `limit` as Qlik reads it: 1–100, default 10. */
export function pageSize(query: URLSearchParams): number {
  const raw = query.get('limit');
  if (raw === null) return DEFAULT_PAGE_SIZE;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw new QueryError(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}, not ${JSON.stringify(raw)}`);
  return limit;
}

/** The opaque `next`/`prev` cursor: an offset, base64url-encoded. */
function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string | null): number {
  if (cursor === null) return 0;
  const match = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new QueryError(`the paging cursor ${JSON.stringify(cursor)} is not one this tenant issued; follow links.next.href as given`);
  return Number(match[1]);
}

/** One page of `all`, with Qlik's `links` (`self`, and `next`/`prev` when there is such a page). */
export function page<T>(all: readonly T[], base: URL): { data: T[]; links: Record<string, { href: string }> } {
  const limit = pageSize(base.searchParams);
  const offset = decodeCursor(base.searchParams.get('next') ?? base.searchParams.get('prev'));
  const linkTo = (cursorName: 'next' | 'prev', to: number): { href: string } => {
    const url = new URL(base);
    url.searchParams.delete('next');
    url.searchParams.delete('prev');
    url.searchParams.set(cursorName, encodeCursor(to));
    return { href: url.toString() };
  };
  const links: Record<string, { href: string }> = { self: { href: base.toString() } };
  if (offset + limit < all.length) links.next = linkTo('next', offset + limit);
  if (offset > 0) links.prev = linkTo('prev', Math.max(0, offset - limit));
  return { data: all.slice(offset, offset + limit), links };
}
