/**
 * Connections and sessions: every refusal, malformed frames, reconnect-and-attach, session TTL,
 * and 20 concurrent sessions, through the real enigma.js client and raw `ws` sockets.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import enigma from 'enigma.js';
import { WebSocket } from 'ws';
import { near, nodeSocket, ROWS, schema, sum } from '../support/engine-harness.ts';
import type { QixDoc, QixGlobal } from '../../src/qlik/qix-types.ts';
import { createEngine, createSalesApp, generateSalesRows, SAMPLE_APP_ID, SALES_OBJECT_IDS as IDS, type Engine, type EngineOptions, type EngineUser } from '../../src/dev-tenant/engine/index.ts';

const ORIGIN = 'http://localhost:5173';


/** The generated APIs as the kit types them, plus the one method only these tests call. */
type Doc = QixDoc;
interface Global extends QixGlobal {
  getActiveDoc(): Promise<Doc>;
}
const openGlobal = async (session: EnigmaJS.Session): Promise<Global> => (await session.open()) as unknown as Global;

const sumSales = (pred: (r: (typeof ROWS)[number]) => boolean): number => sum(ROWS.filter(pred));
const kpiValue = async (doc: Doc): Promise<number | 'NaN' | undefined> => (await (await doc.getObject(IDS.kpi)).getLayout()).qHyperCube?.qDataPages[0]?.qMatrix[0]?.[0]?.qNum;

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Tokens look like `ws-<user>`; `ws-expired` and anything else are refused. */
function verifyToken(token: string | undefined): Promise<{ ok: true; user: EngineUser } | { ok: false; status: number; reason: string }> {
  if (!token) return Promise.resolve({ ok: false, status: 401, reason: 'Missing accessToken: get a websocket token (purpose "websocket") first.' });
  if (token === 'ws-expired' || !token.startsWith('ws-')) return Promise.resolve({ ok: false, status: 401, reason: 'The websocket token is expired or is not a websocket token.' });
  const id = token.slice(3);
  return Promise.resolve({ ok: true, user: { id, subject: `auth0|${id}`, name: id } });
}

interface Harness {
  engine: Engine;
  base: string;
  close(): Promise<void>;
}

async function startEngine(extra: Partial<EngineOptions> = {}): Promise<Harness> {
  const engine = createEngine({
    verifyToken,
    isOriginTrusted: (origin) => origin === ORIGIN,
    canAccessApp: (user) => user.id !== 'mallory',
    ...extra,
  });
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => {
    if (!engine.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    engine,
    base: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await engine.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function appUrl(h: Harness, token: string | undefined, path = `/app/${SAMPLE_APP_ID}`): string {
  return `${h.base}${path}${token ? `?accessToken=${token}` : ''}`;
}

function openEnigma(url: string, options: { origin?: string; suspendOnClose?: boolean; delta?: boolean } = {}): { session: EnigmaJS.Session; states: string[] } {
  const states: string[] = [];
  const session = enigma.create({
    schema,
    url,
    createSocket: (u: string) => nodeSocket(u, { origin: options.origin ?? ORIGIN }),
    suspendOnClose: options.suspendOnClose ?? false,
    protocol: { delta: options.delta ?? true },
  });
  session.on('notification:OnConnected', (params: { qSessionState: string }) => states.push(params.qSessionState));
  return { session, states };
}

/** Performs a raw upgrade and returns the HTTP refusal (status and JSON body). */
function refusal(url: string, origin = ORIGIN): Promise<{ status: number; body: { errors: Array<{ code: string; title: string; detail: string; status: string }> } }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin });
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => undefined);
    ws.on('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as never }));
    });
  });
}

/** A raw socket that collects every message it receives. */
async function rawSocket(url: string): Promise<{ ws: WebSocket; next(): Promise<Record<string, unknown>>; send(data: string | Buffer): void; closed: Promise<{ code: number; reason: string }> }> {
  const ws = new WebSocket(url, { origin: ORIGIN });
  const queue: Array<Record<string, unknown>> = [];
  const waiters: Array<(m: Record<string, unknown>) => void> = [];
  ws.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as Record<string, unknown>;
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    next: () => (queue.length ? Promise.resolve(queue.shift() as Record<string, unknown>) : new Promise((resolve) => waiters.push(resolve))),
    send: (data) => ws.send(data),
    closed,
  };
}

describe('refusals', { timeout: 60_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startEngine();
  });
  after(() => h.close());

  test('no token: 401 with the reason, and enigma.js fails to open', async () => {
    const { status, body } = await refusal(appUrl(h, undefined));
    assert.equal(status, 401);
    assert.equal(body.errors[0]?.status, '401');
    assert.match(body.errors[0]?.detail ?? '', /Missing accessToken/);
    const { session } = openEnigma(appUrl(h, undefined));
    await assert.rejects(session.open());
  });

  test('expired or non-websocket token: 401', async () => {
    for (const token of ['ws-expired', 'access-token-not-for-websockets']) {
      const { status, body } = await refusal(appUrl(h, token));
      assert.equal(status, 401, token);
      assert.match(body.errors[0]?.detail ?? '', /expired or is not a websocket token/);
    }
  });

  test('untrusted origin: 403 that says to add the origin to the allowlist', async () => {
    const { status, body } = await refusal(appUrl(h, 'ws-alice'), 'https://evil.example');
    assert.equal(status, 403);
    assert.equal(body.errors[0]?.code, 'ENGINE-ORIGIN');
    assert.match(body.errors[0]?.detail ?? '', /https:\/\/evil\.example/);
    assert.match(body.errors[0]?.detail ?? '', /allowlist/);
    const { session } = openEnigma(appUrl(h, 'ws-alice'), { origin: 'https://evil.example' });
    await assert.rejects(session.open());
  });

  test('unknown app: the socket opens, then closes with 4204 "app not found"', async () => {
    const raw = await rawSocket(appUrl(h, 'ws-alice', '/app/00000000-0000-0000-0000-000000000000'));
    const { code, reason } = await raw.closed;
    assert.equal(code, 4204);
    assert.match(reason, /App not found/);

    const { session } = openEnigma(appUrl(h, 'ws-alice', '/app/no-such-app'));
    const closed = new Promise<{ code: number; reason: string }>((resolve) => session.on('closed', resolve));
    const global = await openGlobal(session);
    const event = await closed;
    assert.equal(event.code, 4204);
    await assert.rejects(global.openDoc('no-such-app'), (err: { code?: number; original?: { code?: number } }) => err.code === -1 && err.original?.code === 4204);
  });

  test('no access to the app: closes with 4203 "no permission"', async () => {
    const raw = await rawSocket(appUrl(h, 'ws-mallory'));
    const notice = await raw.next();
    assert.deepEqual(notice.params, { qSessionState: 'SESSION_ERROR_APP_ACCESS_DENIED' });
    const { code, reason } = await raw.closed;
    assert.equal(code, 4203);
    assert.match(reason, /No permission/);
  });

  test('other paths are not the engine\'s; a bad /app/ path is a 404', async () => {
    const fake = Object.assign(new Duplex({ read() {}, write(_c, _e, cb) { cb(); } }), {});
    const handled = h.engine.handleUpgrade({ url: '/api/v1/users/me', headers: {} } as http.IncomingMessage, fake, Buffer.alloc(0));
    assert.equal(handled, false);
    assert.equal(fake.destroyed, false);
    const { status } = await refusal(`${h.base}/app/${SAMPLE_APP_ID}/bogus/1?accessToken=ws-alice`);
    assert.equal(status, 404);
  });

  test('stats count served and refused connections', () => {
    const { upgrades, refusedUpgrades } = h.engine.stats;
    assert.ok(refusedUpgrades >= 9, String(refusedUpgrades));
    assert.equal(upgrades, 0);
  });
});

describe('malformed frames', { timeout: 60_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startEngine();
  });
  after(() => h.close());

  test('errors come back as JSON-RPC errors and the socket keeps serving; other sessions are unaffected', async () => {
    const bystander = openEnigma(appUrl(h, 'ws-bystander'));
    const bystanderDoc = await (await openGlobal(bystander.session)).openDoc(SAMPLE_APP_ID);

    const raw = await rawSocket(appUrl(h, 'ws-alice'));
    assert.deepEqual(await raw.next(), { jsonrpc: '2.0', method: 'OnConnected', params: { qSessionState: 'SESSION_CREATED' } });

    raw.send('{"jsonrpc":"2.0","id":1,"handle":-1,"method":"EngineVersion"');
    const parse = await raw.next();
    assert.equal(parse.id, null);
    assert.equal((parse.error as { code: number }).code, -32700);

    raw.send(Buffer.from([0xff, 0x00, 0x7b]));
    assert.equal(((await raw.next()).error as { code: number }).code, -32700);

    raw.send('[1,2,3]');
    assert.equal(((await raw.next()).error as { code: number }).code, -32600);

    raw.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'EngineVersion' }));
    const noHandle = await raw.next();
    assert.equal(noHandle.id, 2);
    assert.deepEqual(noHandle.error, { code: -32600, parameter: 'handle', message: 'Invalid request: handle must be an integer' });

    raw.send(JSON.stringify({ jsonrpc: '2.0', id: 3, handle: -1, method: 'FlyToTheMoon', params: [] }));
    const unknown = await raw.next();
    assert.equal(unknown.id, 3);
    assert.equal((unknown.error as { code: number; parameter: string }).code, -32601);
    assert.equal((unknown.error as { parameter: string }).parameter, 'FlyToTheMoon');

    raw.send(JSON.stringify({ jsonrpc: '2.0', id: 4, handle: -1, method: 'OpenDoc', params: [42] }));
    const badParams = await raw.next();
    assert.equal((badParams.error as { code: number }).code, -32602);
    assert.equal((badParams.error as { parameter: string }).parameter, 'qDocName');

    raw.send(JSON.stringify({ jsonrpc: '2.0', id: 5, handle: 99, method: 'GetLayout', params: [] }));
    assert.equal(((await raw.next()).error as { code: number }).code, -32602);

    raw.send(JSON.stringify({ jsonrpc: '2.0', id: 6, handle: -1, method: 'OpenDoc', params: { qDocName: SAMPLE_APP_ID } }));
    assert.deepEqual((await raw.next()).result, { qReturn: { qType: 'Doc', qHandle: 1, qGenericId: SAMPLE_APP_ID } });

    raw.send(JSON.stringify({ jsonrpc: '2.0', id: 7, handle: 1, method: 'GetObject', params: { qId: IDS.kpi } }));
    const kpi = (await raw.next()).result as { qReturn: { qHandle: number } };
    raw.send(JSON.stringify({ jsonrpc: '2.0', id: 8, handle: kpi.qReturn.qHandle, method: 'GetHyperCubeData', params: ['/qHyperCubeDef', [{ qTop: -1 }]] }));
    assert.equal(((await raw.next()).error as { code: number }).code, -32602);
    raw.send(JSON.stringify({ jsonrpc: '2.0', id: 9, handle: kpi.qReturn.qHandle, method: 'ApplyPatches', params: [[{ qOp: 'replace', qPath: '/x', qValue: '{not json' }]] }));
    assert.equal(((await raw.next()).error as { code: number }).code, -32602);
    raw.send(JSON.stringify({ jsonrpc: '2.0', id: 10, handle: kpi.qReturn.qHandle, method: 'SelectHyperCubeValues', params: ['/qHyperCubeDef', 0, ['a'], false] }));
    assert.equal(((await raw.next()).error as { code: number }).code, -32602);

    raw.send(JSON.stringify({ jsonrpc: '2.0', id: 11, handle: -1, method: 'EngineVersion', params: [] }));
    assert.deepEqual(await raw.next(), { jsonrpc: '2.0', id: 11, result: { qVersion: { qComponentVersion: '12.2027.0' } } });

    near(await kpiValue(bystanderDoc), sumSales(() => true));
    assert.equal(raw.ws.readyState, WebSocket.OPEN);
    raw.ws.close();
    await bystander.session.close();
  });
});

describe('sessions', { timeout: 60_000 }, () => {
  test('a dropped socket resumes and attaches: same handles, selections kept', async () => {
    const h = await startEngine();
    try {
      const { session, states } = openEnigma(appUrl(h, 'ws-alice'), { suspendOnClose: true });
      const global = await openGlobal(session);
      const doc = await global.openDoc(SAMPLE_APP_ID);
      const kpi = await doc.getObject(IDS.kpi);
      await (await doc.getField('Region')).selectValues([{ qText: 'Europe' }]);
      const europe = sumSales((r) => r.Region === 'Europe');
      near((await kpi.getLayout()).qHyperCube?.qDataPages[0]?.qMatrix[0]?.[0]?.qNum, europe);
      const handle = kpi.handle;

      const suspended = new Promise<void>((resolve) => session.on('suspended', () => resolve()));
      h.engine.dropAll();
      await suspended;
      await waitFor(() => h.engine.stats.openSockets === 0);
      assert.equal(h.engine.stats.openDocs, 1, 'the session outlives its socket');
      const changed = new Promise<void>((resolve) => kpi.on('changed', () => resolve()));
      await session.resume(true);
      await changed;
      assert.deepEqual(states, ['SESSION_CREATED', 'SESSION_ATTACHED']);
      assert.equal(kpi.handle, handle);
      near((await kpi.getLayout()).qHyperCube?.qDataPages[0]?.qMatrix[0]?.[0]?.qNum, europe);

      // A second client for the same user, app and identity joins the same session.
      const second = openEnigma(appUrl(h, 'ws-alice'));
      const secondDoc = await (await openGlobal(second.session)).getActiveDoc();
      assert.deepEqual(second.states, ['SESSION_ATTACHED']);
      assert.deepEqual((await secondDoc.getAppLayout()).qSelectionObject?.qSelections.map((s) => [s.qField, s.qSelected]), [['Region', 'Europe']]);
      // …and sees the first client's changes as `changed` events.
      const secondKpi = await secondDoc.getObject(IDS.kpi);
      await secondKpi.getLayout();
      const pushed = new Promise<void>((resolve) => secondKpi.on('changed', () => resolve()));
      await (await doc.getField('Year')).selectValues([{ qIsNumeric: true, qNumber: 2024 }]);
      await pushed;
      near((await secondKpi.getLayout()).qHyperCube?.qDataPages[0]?.qMatrix[0]?.[0]?.qNum, sumSales((r) => r.Region === 'Europe' && r.Year === 2024));

      // Another identity is another session.
      const other = openEnigma(appUrl(h, 'ws-alice', `/app/${SAMPLE_APP_ID}/identity/second-tab`));
      const otherDoc = await (await openGlobal(other.session)).openDoc(SAMPLE_APP_ID);
      assert.deepEqual(other.states, ['SESSION_CREATED']);
      near(await kpiValue(otherDoc), sumSales(() => true));
      await Promise.all([session.close(), second.session.close(), other.session.close()]);
    } finally {
      await h.close();
    }
  });

  test('after the TTL a reconnect gets a fresh session; /ttl/{s} overrides the default', async () => {
    const h = await startEngine({ sessionTtlMs: 100 });
    try {
      const first = openEnigma(appUrl(h, 'ws-alice'));
      const doc = await (await openGlobal(first.session)).openDoc(SAMPLE_APP_ID);
      await (await doc.getField('Category')).selectValues([{ qText: 'Bikes' }]);
      await first.session.close();
      await waitFor(() => h.engine.stats.openDocs === 0);
      const again = openEnigma(appUrl(h, 'ws-alice'));
      const global = await openGlobal(again.session);
      await assert.rejects(global.getActiveDoc(), (err: { code?: number }) => err.code === 1017);
      assert.deepEqual(again.states, ['SESSION_CREATED']);
      const fresh = await global.openDoc(SAMPLE_APP_ID);
      near(await kpiValue(fresh), sumSales(() => true));
      await again.session.close();

      const long = openEnigma(appUrl(h, 'ws-carol', `/app/${SAMPLE_APP_ID}/ttl/60`));
      await (await openGlobal(long.session)).openDoc(SAMPLE_APP_ID);
      await long.session.close();
      // Attach only once the engine has seen the socket go (the session then waits for its TTL).
      await waitFor(() => h.engine.stats.openSockets === 0);
      const back = openEnigma(appUrl(h, 'ws-carol', `/app/${SAMPLE_APP_ID}/ttl/60`));
      await (await openGlobal(back.session)).getActiveDoc();
      assert.deepEqual(back.states, ['SESSION_ATTACHED']);
      await back.session.close();
    } finally {
      await h.close();
    }
  });

  test('20 concurrent sessions keep their own selections', async () => {
    const h = await startEngine();
    try {
      const regions = ['Americas', 'Europe', 'Asia Pacific', 'Middle East & Africa'];
      const years = [2022, 2023, 2024];
      const clients = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const client = openEnigma(appUrl(h, `ws-user${i}`), { delta: i % 2 === 0 });
          const doc = await (await openGlobal(client.session)).openDoc(SAMPLE_APP_ID);
          return { ...client, doc, region: regions[i % 4] as string, year: years[i % 3] as number };
        }),
      );
      assert.equal(h.engine.stats.openSockets, 20);
      assert.equal(h.engine.stats.openDocs, 20);
      await Promise.all(
        clients.map(async (c) => {
          await (await c.doc.getField('Region')).selectValues([{ qText: c.region }]);
          await (await c.doc.getField('Year')).selectValues([{ qIsNumeric: true, qNumber: c.year }]);
        }),
      );
      const values = await Promise.all(clients.map((c) => kpiValue(c.doc)));
      clients.forEach((c, i) => near(values[i], sumSales((r) => r.Region === c.region && r.Year === c.year)));
      await Promise.all(clients.map((c) => c.session.close()));
      assert.equal(h.engine.stats.upgrades, 20);
    } finally {
      await h.close();
    }
  });

  test('apps can be supplied; a smaller generated app has its own numbers', async () => {
    const small = createSalesApp({ rows: 1000, seed: 3, id: 'small-app', title: 'Small' });
    const h = await startEngine({ apps: [small] });
    try {
      const client = openEnigma(appUrl(h, 'ws-alice', '/app/small-app'));
      const doc = await (await openGlobal(client.session)).openDoc('small-app');
      const rows = generateSalesRows(1000, 3);
      near(await kpiValue(doc), sum(rows));
      await client.session.close();
      const { code } = await (await rawSocket(appUrl(h, 'ws-alice'))).closed;
      assert.equal(code, 4204, 'the default app is not served when apps are given');
    } finally {
      await h.close();
    }
  });
});
