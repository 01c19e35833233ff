/**
 * Qlik's own Node client, `@qlik/api` 2.19, unmodified, against the dev tenant, authenticated
 * with a user's access token as a backend has it (from the impersonation grant). `@qlik/api`
 * sends it as `Authorization: Bearer` on REST calls and on the engine websocket's upgrade.
 * Expected numbers are computed here from the generated rows, not from the engine.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostConfig } from '@qlik/api/auth';
import { getAppInfo } from '@qlik/api/apps';
import { getItems } from '@qlik/api/items';
import { openAppSession } from '@qlik/api/qix';
import { getSpaces } from '@qlik/api/spaces';
import { getMyUser } from '@qlik/api/users';
import { createSalesApp, DEFAULT_USERS, SAMPLE_APP_ID, startDevTenant, type DevTenant } from '../../src/dev-tenant/index.ts';
import { generateSalesRows } from '../../src/dev-tenant/engine/index.ts';
import { machineAccessToken, userAccessToken } from '../support/dev-tenant-tokens.ts';
import { BACKEND_CLIENT_ID, BACKEND_CLIENT_SECRET } from '../../src/dev-tenant/clients.ts';

const SMALL_APP = { id: 'b1d3e5f7-0000-4000-8000-000000000002', title: 'Sales sample', rows: 2_000 };
const SALES_ROWS = 50_000;

describe('@qlik/api (Node) against the dev tenant', () => {
  let tenant: DevTenant;
  let hostConfig: HostConfig;
  const alice = DEFAULT_USERS[0]!;

  before(async () => {
    tenant = await startDevTenant({
      apps: [createSalesApp({ rows: SALES_ROWS }), createSalesApp({ id: SMALL_APP.id, title: SMALL_APP.title, rows: SMALL_APP.rows })],
    });
    const accessToken = await userAccessToken(tenant.url, alice.id);
    // A backend that holds the user's access token gives it to @qlik/api as a bearer token
    // ('apikey' sends its key as `Authorization: Bearer`, on REST calls and on the websocket).
    hostConfig = { authType: 'apikey', host: tenant.url, apiKey: accessToken };
  });
  after(() => tenant.close());

  test('openAppSession → getDoc → getAppLayout, then a session hypercube and its layout', async () => {
    const session = openAppSession({ appId: SAMPLE_APP_ID, hostConfig });
    try {
      const doc = await session.getDoc();
      const layout = await doc.getAppLayout();
      assert.equal(layout.qTitle, 'Sales');

      const cube = await doc.createSessionObject({
        qInfo: { qType: 'embed-kit-test' },
        qHyperCubeDef: {
          qDimensions: [{ qDef: { qFieldDefs: ['Region'] } }],
          qMeasures: [{ qDef: { qDef: 'Sum(Sales)' } }],
          qInitialDataFetch: [{ qLeft: 0, qTop: 0, qWidth: 2, qHeight: 10 }],
        },
      });
      const cubeLayout = await cube.getLayout();
      const expected = new Map<string, number>();
      for (const row of generateSalesRows(SALES_ROWS)) expected.set(row.Region, (expected.get(row.Region) ?? 0) + row.Sales);
      const rows = cubeLayout.qHyperCube?.qDataPages?.[0]?.qMatrix ?? [];
      assert.equal(rows.length, expected.size);
      for (const [region, total] of rows.map((r) => [r[0]?.qText, r[1]?.qNum] as const)) {
        assert.ok(Math.abs(Number(total) - expected.get(String(region))!) < 0.01, `${region}: ${total} vs ${expected.get(String(region))}`);
      }
    } finally {
      await session.close();
    }
  });

  test('oauth2 with a client secret: @qlik/api impersonates the user itself, and a machine token is refused', async () => {
    const backend = { authType: 'oauth2', host: tenant.url, clientId: BACKEND_CLIENT_ID, clientSecret: BACKEND_CLIENT_SECRET } as const;
    const impersonated = openAppSession({ appId: SAMPLE_APP_ID, hostConfig: { ...backend, userId: alice.id, noCache: true } });
    try {
      const doc = await impersonated.getDoc();
      assert.equal((await doc.getAppLayout()).qTitle, 'Sales');
      assert.equal((await getMyUser({ hostConfig: { ...backend, userId: alice.id, noCache: true } })).data.id, alice.id);
    } finally {
      await impersonated.close();
    }

    // Without a user, the same client gets a machine token (client credentials): the engine refuses it.
    const machine = { authType: 'apikey', host: tenant.url, apiKey: await machineAccessToken(tenant.url) } as const;
    const refusedBefore = tenant.engine.stats.refusedUpgrades;
    const refused = openAppSession({ appId: SAMPLE_APP_ID, hostConfig: machine, autoResume: false });
    try {
      await assert.rejects(refused.getDoc());
      assert.ok(tenant.engine.stats.refusedUpgrades > refusedBefore, 'the engine refused the upgrade');
    } finally {
      await refused.close().catch(() => undefined);
    }
  });

  test('REST: users.getMyUser is the token’s user', async () => {
    const me = await getMyUser({ hostConfig });
    assert.equal(me.status, 200);
    assert.equal(me.data.id, alice.id);
    assert.equal(me.data.subject, alice.subject);
    assert.equal(me.data.name, alice.name);
  });

  test('REST: items.getItems lists the apps, paged through links.next', async () => {
    const first = await getItems({ resourceType: 'app', limit: 1 }, { hostConfig });
    assert.equal(first.status, 200);
    assert.equal(first.data.data.length, 1);
    assert.ok(first.data.links.next?.href, 'a second page is linked');
    assert.ok(first.next, '@qlik/api offers next()');
    const second = await first.next({ hostConfig });
    assert.equal(second.data.data.length, 1);
    assert.equal(second.data.links.next, undefined);
    assert.ok(second.data.links.prev?.href);
    const items = [...first.data.data, ...second.data.data];
    assert.deepEqual(items.map((i) => i.resourceId).sort(), [SAMPLE_APP_ID, SMALL_APP.id].sort());
    for (const item of items) {
      assert.equal(item.resourceType, 'app');
      assert.match(item.id, /^[0-9a-f]{24}$/);
    }
    const byName = await getItems({ resourceType: 'app', name: 'sample' }, { hostConfig });
    assert.deepEqual(byName.data.data.map((i) => i.name), [SMALL_APP.title]);
    const otherType = await getItems({ resourceType: 'automation' }, { hostConfig });
    assert.deepEqual(otherType.data.data, []);
  });

  test('REST: spaces.getSpaces, and each item lives in that space', async () => {
    const spaces = await getSpaces({}, { hostConfig });
    assert.equal(spaces.status, 200);
    const space = spaces.data.data?.[0];
    assert.ok(space);
    assert.equal(space.type, 'shared');
    const items = await getItems({ resourceType: 'app', spaceId: space.id }, { hostConfig });
    assert.equal(items.data.data.length, 2);
  });

  test('REST: apps.getAppInfo gives the app’s attributes', async () => {
    const info = await getAppInfo(SAMPLE_APP_ID, { hostConfig });
    assert.equal(info.status, 200);
    assert.equal(info.data.attributes?.id, SAMPLE_APP_ID);
    assert.equal(info.data.attributes?.name, 'Sales');
    assert.equal(info.data.attributes?.lastReloadTime, '2025-01-02T06:00:00.000Z');
    assert.equal(info.data.attributes?.ownerId, alice.id);
  });

  test('REST errors come in Qlik’s format: unknown app (404), bad limit (400), machine token (401)', async () => {
    await assert.rejects(getAppInfo('no-such-app', { hostConfig }), (err: { status?: number; data?: { errors?: Array<{ code: string; title: string; status: string }> } }) => {
      assert.equal(err.status, 404);
      assert.deepEqual(err.data?.errors?.map((e) => [e.code, e.title, e.status]), [['HTTP-404', 'Not Found', '404']]);
      return true;
    });
    await assert.rejects(getItems({ limit: 500 }, { hostConfig }), (err: { status?: number; data?: { errors?: Array<{ detail: string }> } }) => {
      assert.equal(err.status, 400);
      assert.match(err.data?.errors?.[0]?.detail ?? '', /limit must be a whole number from 1 to 100/);
      return true;
    });
    const machine = await machineAccessToken(tenant.url);
    const response = await fetch(new URL('/api/v1/items', tenant.url), { headers: { authorization: `Bearer ${machine}` } });
    assert.equal(response.status, 401);
    const body = (await response.json()) as { errors: Array<{ code: string; detail: string; status: string }> };
    assert.equal(body.errors[0]?.status, '401');
    assert.match(body.errors[0]?.detail ?? '', /client credentials and stands for no user/);
  });
});
