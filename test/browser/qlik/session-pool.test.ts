import { expect, waitUntil } from '@open-wc/testing';
import { SessionPool, type EnigmaFactory, type PooledSession } from '../../../src/qlik/session-pool.ts';
import { EngineClosedError, EngineConnectError, WebSocketTokenError } from '../../../src/qlik/errors.ts';
import type { Clock } from '../../../src/auth/clock.ts';
import { ManualClock } from '../../support/manual-clock.ts';
import { subscribeSelections } from '../../../src/qlik/selections.ts';
import type { SelectionObject } from '../../../src/qlik/qix-types.ts';
import { FakeAuth, FakeEngine, FakeTokenEndpoint, at, loadRealEnigma, nextEvent, sleep } from './fakes.ts';

const APP = 'app-1';

function setup(options: { graceMs?: number; maxResumeAttempts?: number; openTimeoutMs?: number; requestTimeoutMs?: number; clock?: Clock } = {}) {
  const auth = new FakeAuth();
  const endpoint = new FakeTokenEndpoint();
  const engine = new FakeEngine();
  engine.apps.set(APP, { layout: { qTitle: 'Sales' }, objects: {} });
  const pool = new SessionPool({
    createSocket: engine.createSocket,
    loadEnigma: loadRealEnigma as () => Promise<EnigmaFactory>,
    fetch: endpoint.fetch,
    reloadUri: 'https://page.example/',
    graceMs: options.graceMs ?? 50,
    maxResumeAttempts: options.maxResumeAttempts ?? 3,
    resumeDelay: () => 5,
    openTimeoutMs: options.openTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs,
    clock: options.clock,
  });
  return { auth, endpoint, engine, pool };
}

const opened = (session: PooledSession) => session.whenOpen();

function enigmaOf(session: PooledSession) {
  if (!session.enigma) throw new Error('no enigma session');
  return session.enigma;
}

describe('SessionPool', () => {
  it('opens one session: token exchange, socket with the token in the URL, OpenDoc', async () => {
    const { auth, endpoint, engine, pool } = setup();
    const lease = pool.acquire(auth, { appId: APP });
    expect(lease.session.status).to.equal('connecting');
    const app = await opened(lease.session);
    expect(app.id).to.equal(APP);
    expect(lease.session.status).to.equal('open');
    expect(lease.session.app).to.equal(app);
    expect(lease.session.global).to.not.equal(undefined);
    expect(lease.session.enigma).to.not.equal(undefined);
    expect(endpoint.requests).to.have.length(1);
    expect(engine.sockets).to.have.length(1);
    const url = new URL(at(engine.sockets, 0).url);
    expect(url.pathname).to.equal('/app/app-1');
    expect(url.searchParams.get('accessToken')).to.equal('ws-1');
    expect(url.searchParams.get('reloadUri')).to.equal('https://page.example/');
    expect(engine.openDocs).to.equal(1);
    await pool.closeAll();
  });

  it('fans out: 20 acquires share one exchange, one socket and one OpenDoc', async () => {
    const { auth, endpoint, engine, pool } = setup();
    const leases = Array.from({ length: 20 }, () => pool.acquire(auth, { appId: APP }));
    await Promise.all(leases.map((lease) => opened(lease.session)));
    expect(new Set(leases.map((lease) => lease.session)).size).to.equal(1);
    expect(at(leases, 0).session.refCount).to.equal(20);
    expect(endpoint.requests).to.have.length(1);
    expect(engine.sockets).to.have.length(1);
    expect(engine.openDocs).to.equal(1);
    expect(pool.stats.socketsOpen).to.equal(1);
    await pool.closeAll();
  });

  it('keeps separate sessions per identity and per app', async () => {
    const { auth, engine, pool } = setup();
    engine.apps.set('app-2', { layout: { qTitle: 'Other' }, objects: {} });
    const a = pool.acquire(auth, { appId: APP });
    const b = pool.acquire(auth, { appId: APP, identity: 'x' });
    const c = pool.acquire(auth, { appId: 'app-2' });
    await Promise.all([a, b, c].map((lease) => opened(lease.session)));
    expect(new Set([a.session, b.session, c.session]).size).to.equal(3);
    expect(new URL(at(engine.sockets, 1).url).pathname).to.equal('/app/app-1/identity/x');
    await pool.closeAll();
  });

  it('closes after the last release plus the grace period', async () => {
    const clock = new ManualClock();
    const { auth, engine, pool } = setup({ graceMs: 80, clock });
    const a = pool.acquire(auth, { appId: APP });
    const b = pool.acquire(auth, { appId: APP });
    await opened(a.session);
    a.release();
    a.release(); // idempotent
    b.release();
    await clock.advance(79);
    expect(a.session.status).to.equal('open');
    expect(engine.openSockets).to.equal(1);
    const closed = nextEvent(a.session, 'closed');
    await clock.advance(1);
    expect((await closed).reason).to.equal('released');
    expect(a.session.status).to.equal('closed');
    await waitUntil(() => engine.openSockets === 0);
    expect(pool.size).to.equal(0);
    expect(pool.stats.socketsOpen).to.equal(0);
  });

  it('re-acquiring within the grace period (a DOM move) reuses the socket', async () => {
    const clock = new ManualClock();
    const { auth, engine, endpoint, pool } = setup({ graceMs: 80, clock });
    const first = pool.acquire(auth, { appId: APP });
    await opened(first.session);
    first.release();
    await clock.advance(79);
    const second = pool.acquire(auth, { appId: APP });
    expect(second.session).to.equal(first.session);
    await clock.advance(1000);
    expect(second.session.status).to.equal('open');
    expect(engine.sockets).to.have.length(1);
    expect(endpoint.requests).to.have.length(1);
    await pool.closeAll();
  });

  it('a network drop suspends, then resumes on a new socket with a new websocket token', async () => {
    const { auth, endpoint, engine, pool } = setup();
    const lease = pool.acquire(auth, { appId: APP });
    await opened(lease.session);
    const suspended = nextEvent(lease.session, 'suspended');
    const resumed = nextEvent(lease.session, 'resumed');
    at(engine.sockets, 0).serverClose(1006);
    expect(await suspended).to.deep.equal({ initiator: 'network', code: 1006, reason: '' });
    expect(lease.session.status).to.equal('suspended');
    await resumed;
    expect(lease.session.status).to.equal('open');
    expect(engine.sockets).to.have.length(2);
    expect(endpoint.requests).to.have.length(2);
    expect(new URL(at(engine.sockets, 1).url).searchParams.get('accessToken')).to.equal('ws-2');
    // enigma re-attached: it asked for the active doc rather than opening again.
    expect(engine.calls.filter((c) => c.method === 'GetActiveDoc')).to.have.length(1);
    expect(engine.openDocs).to.equal(1);
    await pool.closeAll();
  });

  for (const code of [4003, 4004, 4007]) {
    it(`close code ${code} resumes`, async () => {
      const { auth, engine, pool } = setup();
      const lease = pool.acquire(auth, { appId: APP });
      await opened(lease.session);
      const resumed = nextEvent(lease.session, 'resumed');
      at(engine.sockets, 0).serverClose(code, 'bye');
      await resumed;
      expect(lease.session.status).to.equal('open');
      await pool.closeAll();
    });
  }

  it('refreshes an expired access token before the resume exchange', async () => {
    const { auth, endpoint, engine, pool } = setup();
    const lease = pool.acquire(auth, { appId: APP });
    await opened(lease.session);
    auth.expired = true;
    const resumed = nextEvent(lease.session, 'resumed');
    at(engine.sockets, 0).serverClose(1006);
    await resumed;
    expect(endpoint.requests.map((r) => r.body.subject_token)).to.deep.equal(['access-1', 'access-2']);
    await pool.closeAll();
  });

  for (const [code, message] of [
    [4203, 'No permission'],
    [4204, 'App not found'],
  ] as const) {
    it(`close code ${code} after open is a typed error`, async () => {
      const { auth, engine, pool } = setup();
      const lease = pool.acquire(auth, { appId: APP });
      await opened(lease.session);
      const failed = nextEvent(lease.session, 'error');
      at(engine.sockets, 0).serverClose(code);
      const { error } = await failed;
      expect(error).to.be.instanceOf(EngineClosedError);
      expect(error.code).to.equal(`engine_closed_${code}`);
      expect(error.message).to.contain(message);
      expect(error.hint).to.not.equal('');
      expect(lease.session.status).to.equal('error');
      expect(engine.sockets).to.have.length(1);
      await pool.closeAll();
    });
  }

  it('a 4204 close while opening is a typed error, not a hang', async () => {
    const { auth, engine, pool } = setup();
    engine.onConnect = (socket) => {
      socket.accept();
      socket.serverClose(4204, 'App not found');
    };
    const lease = pool.acquire(auth, { appId: APP });
    const error = await lease.session.whenOpen().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(EngineClosedError);
    expect((error as EngineClosedError).code).to.equal('engine_closed_4204');
    await pool.closeAll();
  });

  it('a refused upgrade is engine_unreachable with the origin-allowlist hint', async () => {
    const { auth, engine, pool } = setup();
    engine.onConnect = (socket) => socket.refuse();
    const lease = pool.acquire(auth, { appId: APP });
    const error = (await lease.session.whenOpen().catch((e: unknown) => e)) as EngineConnectError;
    expect(error).to.be.instanceOf(EngineConnectError);
    expect(error.code).to.equal('engine_unreachable');
    expect(error.hint).to.contain(location.origin).and.contain('allowlist');
    await pool.closeAll();
  });

  it('an unknown app (OpenDoc error) is a typed error', async () => {
    const { auth, pool } = setup();
    const lease = pool.acquire(auth, { appId: 'nope' });
    const error = (await lease.session.whenOpen().catch((e: unknown) => e)) as { code: string; engineCode: number };
    expect(error.code).to.equal('engine_request_failed');
    expect(error.engineCode).to.equal(1002);
    await pool.closeAll();
  });

  it('a failed token exchange is the session error (OAUTH-5)', async () => {
    const { auth, endpoint, pool } = setup();
    endpoint.respond = () => Response.json({ errors: [{ code: 'OAUTH-5', status: '401', detail: 'x' }] }, { status: 401 });
    const lease = pool.acquire(auth, { appId: APP });
    const error = (await lease.session.whenOpen().catch((e: unknown) => e)) as WebSocketTokenError;
    expect(error).to.be.instanceOf(WebSocketTokenError);
    expect(error.code).to.equal('OAUTH-5');
    expect(lease.session.error).to.equal(error);
    await pool.closeAll();
  });

  it('gives up resuming after maxResumeAttempts', async () => {
    const { auth, engine, pool } = setup({ maxResumeAttempts: 3 });
    const lease = pool.acquire(auth, { appId: APP });
    await opened(lease.session);
    engine.onConnect = (socket) => socket.refuse();
    const failed = nextEvent(lease.session, 'error');
    at(engine.sockets, 0).serverClose(1006);
    const { error } = await failed;
    expect(error.code).to.equal('resume_failed');
    expect(engine.sockets).to.have.length(1 + 3);
    await pool.closeAll();
  });

  it('retry() after an error reconnects from scratch', async () => {
    const { auth, engine, pool } = setup();
    engine.onConnect = (socket) => socket.refuse();
    const lease = pool.acquire(auth, { appId: APP });
    await lease.session.whenOpen().catch(() => undefined);
    expect(lease.session.status).to.equal('error');
    engine.onConnect = (socket) => socket.accept();
    lease.session.retry();
    expect(lease.session.status).to.equal('connecting');
    await opened(lease.session);
    expect(lease.session.error).to.equal(undefined);
    await pool.closeAll();
  });

  it('a manual suspend waits for the author; their resume gets a new token', async () => {
    const clock = new ManualClock();
    const { auth, endpoint, pool } = setup({ clock });
    const lease = pool.acquire(auth, { appId: APP });
    await opened(lease.session);
    const suspended = nextEvent(lease.session, 'suspended');
    await enigmaOf(lease.session).suspend();
    expect((await suspended).initiator).to.equal('manual');
    // Well past every resume delay: nothing resumes on its own.
    await clock.advance(60_000);
    expect(lease.session.status).to.equal('suspended');
    await enigmaOf(lease.session).resume();
    expect(lease.session.status).to.equal('open');
    expect(endpoint.requests).to.have.length(2);
    await pool.closeAll();
  });

  it('signing out closes the sessions of that sign-in at once', async () => {
    const { auth, engine, pool } = setup({ graceMs: 10_000 });
    const lease = pool.acquire(auth, { appId: APP });
    await opened(lease.session);
    auth.setStatus('signed-out');
    expect(lease.session.status).to.equal('closed');
    await waitUntil(() => engine.openSockets === 0);
    expect(pool.size).to.equal(0);
    expect(auth.listenerCount).to.equal(0);
  });

  it('relays session events at pool level', async () => {
    const { auth, pool } = setup();
    const seen: string[] = [];
    pool.on('open', () => seen.push('open'));
    pool.on('closed', () => seen.push('closed'));
    const lease = pool.acquire(auth, { appId: APP });
    await opened(lease.session);
    await pool.closeAll();
    expect(seen).to.deep.equal(['open', 'closed']);
  });

  it('200 acquire/release cycles leave no open socket and no listeners', async () => {
    const { auth, engine, pool } = setup({ graceMs: 0 });
    for (let i = 0; i < 200; i++) {
      const lease = pool.acquire(auth, { appId: APP });
      const off = lease.session.on('status', () => undefined);
      if (i % 20 === 0) await opened(lease.session);
      off();
      lease.release();
      if (i % 20 === 0) await sleep(1);
    }
    await waitUntil(() => pool.size === 0, 'pool empties', { timeout: 5000 });
    await waitUntil(() => engine.openSockets === 0, 'sockets close', { timeout: 5000 });
    expect(pool.stats.socketsOpen).to.equal(0);
    expect(auth.listenerCount).to.equal(0);
    expect(pool.listenerCount()).to.equal(0);
  });

  it('rejects bad arguments with TypeError', () => {
    const { auth, pool } = setup();
    expect(() => pool.acquire(auth, { appId: '' })).to.throw(TypeError);
  });

  it('refuses a sign-in without host, or on plain http off loopback, before any request', () => {
    const { endpoint, engine, pool } = setup();
    const codeOf = (host: string) => {
      try {
        pool.acquire(Object.assign(new FakeAuth(), { host }), { appId: APP });
        return 'acquired';
      } catch (error) {
        return (error as { code?: string }).code;
      }
    };
    expect(codeOf('')).to.equal('missing_host');
    expect(codeOf('http://tenant.example.com')).to.equal('insecure_endpoint');
    expect(endpoint.requests).to.have.length(0);
    expect(engine.sockets).to.have.length(0);
  });

  it('an engine that accepts the socket but never answers ends in open_timeout, and retry() tries again', async () => {
    const { auth, engine, pool } = setup({ openTimeoutMs: 30 });
    const answer = engine.handle.bind(engine);
    engine.handle = () => undefined;
    const lease = pool.acquire(auth, { appId: APP });
    const error = (await lease.session.whenOpen().catch((e: unknown) => e)) as { code?: string; hint?: string };
    expect(error.code).to.equal('open_timeout');
    expect(error.hint).to.match(/Retry/);
    expect(lease.session.status).to.equal('error');
    engine.handle = answer;
    lease.session.retry();
    expect((await lease.session.whenOpen()).id).to.equal(APP);
    lease.release();
    await pool.closeAll();
  });
  it('once open, a request the engine leaves unanswered rejects with request_timeout at the deadline; the session stays open', async () => {
    const clock = new ManualClock();
    const { auth, engine, pool } = setup({ clock, requestTimeoutMs: 1000 });
    const lease = pool.acquire(auth, { appId: APP });
    const app = await opened(lease.session);
    const answer = engine.handle.bind(engine);
    engine.handle = () => undefined;
    let outcome: { code?: string; message?: string } | undefined;
    void app.getAppLayout().then(
      () => (outcome = {}),
      (error: { code?: string; message?: string }) => (outcome = error),
    );
    await clock.advance(999);
    expect(outcome, 'still waiting just before the deadline').to.equal(undefined);
    await clock.advance(1);
    expect(outcome?.code).to.equal('request_timeout');
    expect(outcome?.message).to.match(/GetAppLayout/);
    expect(lease.session.status).to.equal('open');
    // The engine answers again: the next request goes through on the same socket.
    engine.handle = answer;
    expect((await app.getAppLayout()).qTitle).to.equal('Sales');
    expect(engine.sockets).to.have.length(1);
    lease.release();
    await pool.closeAll();
  });

  it('requestTimeoutMs: 0 leaves requests without a deadline', async () => {
    const clock = new ManualClock();
    const { auth, engine, pool } = setup({ clock, requestTimeoutMs: 0 });
    const lease = pool.acquire(auth, { appId: APP });
    const app = await opened(lease.session);
    engine.handle = () => undefined;
    let settled = false;
    void app.getAppLayout().then(
      () => (settled = true),
      () => (settled = true),
    );
    await clock.advance(3_600_000);
    expect(settled).to.equal(false);
    lease.release();
    await pool.closeAll();
  });

  describe('selection tracking when its first requests hit request_timeout', () => {
    /** An open session whose engine can be made quiet, for every method or for one. */
    async function quietable() {
      const clock = new ManualClock();
      const { auth, engine, pool } = setup({ clock, requestTimeoutMs: 1000 });
      engine.supportsCurrentSelections = true;
      const fakeApp = engine.apps.get(APP);
      if (!fakeApp) throw new Error('no app');
      fakeApp.layout.qSelectionObject = { qSelections: [] };
      const lease = pool.acquire(auth, { appId: APP });
      const app = await opened(lease.session);
      const socket = at(engine.sockets, 0);
      const answer = engine.handle.bind(engine);
      return {
        clock,
        engine,
        app,
        fakeApp,
        /** `CreateSessionObject` requests sent, answered or not. */
        starts: () => socket.sent.filter((request) => request.method === 'CreateSessionObject').length,
        sent: (method: string) => socket.sent.filter((request) => request.method === method).length,
        quiet(only?: string) {
          engine.handle = (on, request) => (only && request.method !== only ? answer(on, request) : undefined);
        },
        answerAll() {
          engine.handle = answer;
        },
        /** Quiet engine, a subscriber: its first start is sent and runs out of time. */
        async subscribeWhileQuiet(seen: SelectionObject[]) {
          this.quiet();
          const unsubscribe = subscribeSelections(app, (selections) => seen.push(selections));
          await waitUntil(() => this.starts() === 1);
          await clock.advance(1000);
          return unsubscribe;
        },
        async close() {
          lease.release();
          await pool.closeAll();
        },
      };
    }

    it('starts again on the next answered request, once per sign of life and never on its own, then follows the selections', async () => {
      const world = await quietable();
      const seen: SelectionObject[] = [];
      const unsubscribe = await world.subscribeWhileQuiet(seen);
      // Failed: nothing more is asked while the engine stays quiet, however long.
      await world.clock.advance(10_000);
      await sleep(0);
      expect(world.starts()).to.equal(1);
      expect(world.sent('GetAppLayout'), 'a slow engine is not taken for one without CurrentSelections').to.equal(0);
      expect(seen).to.deep.equal([]);
      // The page's next request is answered, CreateSessionObject still is not: one more start, which fails, and quiet again.
      world.quiet('CreateSessionObject');
      await world.app.getAppLayout();
      await waitUntil(() => world.starts() === 2);
      await world.clock.advance(1000);
      await world.clock.advance(10_000);
      await sleep(0);
      expect(world.starts(), 'no retry without a new sign of life').to.equal(2);
      // The engine answers everything again: the next request starts it, and the selections follow.
      world.answerAll();
      await world.app.getAppLayout();
      await waitUntil(() => seen.length === 1);
      expect(world.starts()).to.equal(3);
      world.fakeApp.layout.qSelectionObject = { qSelections: [{ qField: 'Region', qSelected: 'Europe', qSelectedCount: 1, qTotal: 4 }] };
      world.engine.notifyChanged();
      await waitUntil(() => seen.at(-1)?.qSelections[0]?.qSelected === 'Europe');
      unsubscribe();
      await world.close();
    });

    it('starts again on the next change of the app', async () => {
      const world = await quietable();
      const seen: SelectionObject[] = [];
      const unsubscribe = await world.subscribeWhileQuiet(seen);
      await sleep(0);
      world.answerAll();
      world.fakeApp.layout.qSelectionObject = { qSelections: [{ qField: 'Year', qSelected: '2024', qSelectedCount: 1, qTotal: 3 }] };
      world.engine.notifyChanged();
      await waitUntil(() => seen.length === 1);
      expect(world.starts()).to.equal(2);
      expect(seen[0]?.qSelections[0]?.qField).to.equal('Year');
      unsubscribe();
      await world.close();
    });
  });
});
