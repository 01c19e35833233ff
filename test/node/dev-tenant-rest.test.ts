/**
 * The dev tenant's REST routes beyond what `@qlik/api` exercises (qlik-api-client.test.ts):
 * per-user visibility, unknown routes, methods and paging cursors, all in Qlik's error format.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_USERS, SAMPLE_APP_ID, startDevTenant, type DevTenant } from '../../src/dev-tenant/index.ts';
import { userAccessToken } from '../support/dev-tenant-tokens.ts';

interface QlikErrors {
  errors: Array<{ code: string; title: string; detail: string; status: string }>;
}

describe('dev tenant REST API', () => {
  let tenant: DevTenant;
  let alice: string;
  let eve: string;

  const get = async (path: string, token: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(new URL(path, tenant.url), { ...init, headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: await response.json() };
  };

  before(async () => {
    tenant = await startDevTenant();
    alice = await userAccessToken(tenant.url, DEFAULT_USERS.find((u) => u.username === 'alice')!.id);
    eve = await userAccessToken(tenant.url, DEFAULT_USERS.find((u) => u.username === 'eve')!.id);
  });
  after(() => tenant.close());

  test('a user sees only the apps they may open', async () => {
    const mine = (await get('/api/v1/items?resourceType=app', alice)).body as { data: Array<{ resourceId: string }> };
    assert.deepEqual(mine.data.map((i) => i.resourceId), [SAMPLE_APP_ID]);
    const theirs = (await get('/api/v1/items?resourceType=app', eve)).body as { data: unknown[]; links: { next?: unknown } };
    assert.deepEqual(theirs.data, []);
    assert.equal(theirs.links.next, undefined);
    const info = await get(`/api/v1/apps/${SAMPLE_APP_ID}`, eve);
    assert.equal(info.status, 404);
    assert.equal((info.body as QlikErrors).errors[0]?.code, 'HTTP-404');
  });

  test('unknown routes, other methods and forged cursors answer in Qlik’s error format', async () => {
    const unknown = await get('/api/v1/reloads', alice);
    assert.equal(unknown.status, 404);
    assert.deepEqual(Object.keys((unknown.body as QlikErrors).errors[0]!).sort(), ['code', 'detail', 'status', 'title']);

    const post = await get('/api/v1/items', alice, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal((post.body as QlikErrors).errors[0]?.status, '405');

    const forged = await get('/api/v1/items?next=bm90LWEtY3Vyc29y', alice);
    assert.equal(forged.status, 400);
    assert.match((forged.body as QlikErrors).errors[0]?.detail ?? '', /not one this tenant issued/);

    const anonymous = await fetch(new URL('/api/v1/spaces', tenant.url));
    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as QlikErrors).errors[0]?.status, '401');
  });

  test('a space by id, and an unknown space', async () => {
    const list = (await get('/api/v1/spaces', alice)).body as { data: Array<{ id: string; name: string }>; meta: { count: number } };
    assert.equal(list.meta.count, 1);
    const one = await get(`/api/v1/spaces/${list.data[0]!.id}`, alice);
    assert.equal(one.status, 200);
    assert.equal((one.body as { name: string }).name, list.data[0]!.name);
    assert.equal((await get('/api/v1/spaces/000000000000000000000000', alice)).status, 404);
  });
});
