import { expect } from '@open-wc/testing';
import { BackendTokenSource, type BackendTokenSourceEventMap, type BackendTokenSourceOptions } from '../../../src/auth/backend-token-source.ts';
import { BackendTokenError, ConfigurationError, NetworkError, SignInRequiredError, TimeoutError } from '../../../src/auth/errors.ts';
import type { AuthSnapshot } from '../../../src/auth/source.ts';
import { exchangeForWebSocketToken } from '../../../src/qlik/websocket-token.ts';
import { delayed, fakeFetch, json, never, rejection, type FakeFetch } from './fakes.ts';
import { ManualClock, settle } from '../../support/manual-clock.ts';

const URL_PATH = '/backend/access-token';
const TOKEN_URL = new URL(URL_PATH, location.href).href;
const HOST = 'https://tenant.example';

/** A backend that hands out at-1, at-2… with `expires_in` (answers after `ms`). */
function backend(expiresIn: number | undefined = 3600, ms = 20): FakeFetch & { issued: number } {
  const state = { issued: 0 };
  const server = fakeFetch(
    delayed(() => {
      state.issued += 1;
      return json(expiresIn === undefined ? { access_token: `at-${state.issued}` } : { access_token: `at-${state.issued}`, expires_in: expiresIn });
    }, ms),
  );
  return Object.assign(server, {
    get issued() {
      return state.issued;
    },
  });
}

const EVENT_TYPES: (keyof BackendTokenSourceEventMap)[] = ['signed-in', 'token-refreshed', 'signed-out', 'error', 'status-change'];

function record(source: BackendTokenSource): { type: string; detail: unknown }[] {
  const events: { type: string; detail: unknown }[] = [];
  for (const type of EVENT_TYPES) source.addEventListener(type, (event) => events.push({ type, detail: event.detail }));
  return events;
}

function create(options: Partial<BackendTokenSourceOptions>): BackendTokenSource {
  return new BackendTokenSource({ host: HOST, ...options });
}

const sources: BackendTokenSource[] = [];
afterEach(async () => {
  // Stops refresh timers.
  for (const source of sources.splice(0)) await source.signOut();
});

function tracked(options: Partial<BackendTokenSourceOptions>): BackendTokenSource {
  const source = create(options);
  sources.push(source);
  return source;
}

describe('BackendTokenSource (access-token-url)', () => {
  it('POSTs with credentials: include, keeps the token in memory only, and reports signed-in', async () => {
    const server = backend();
    const source = tracked({ accessTokenUrl: URL_PATH, fetch: server.fetch, clientId: 'spa' });
    const events = record(source);
    const snapshots: AuthSnapshot[] = [];
    source.subscribe((s) => snapshots.push(s));
    expect(source.status).to.equal('signed-out');
    const before = { local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }), cookie: document.cookie };

    await source.signIn();
    expect(source.status).to.equal('signed-in');
    expect(await source.getAccessToken()).to.equal('at-1');
    expect(server.calls).to.have.length(1);
    const [call] = server.calls;
    expect(call!.url).to.equal(TOKEN_URL);
    expect(call!.method).to.equal('POST');
    expect(call!.credentials).to.equal('include');
    expect(source.expiresAt).to.be.within(Date.now() + 3_590_000, Date.now() + 3_600_000);
    expect(source.host).to.equal(HOST);
    expect(source.clientId).to.equal('spa');
    expect(events.map((e) => e.type)).to.deep.equal(['status-change', 'status-change', 'signed-in']);
    expect(snapshots.map((s) => s.status)).to.deep.equal(['exchanging', 'signed-in']);
    expect({ local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }), cookie: document.cookie }).to.deep.equal(before);
  });

  it('50 concurrent callers make one request and all get its token', async () => {
    const server = backend();
    const source = tracked({ accessTokenUrl: URL_PATH, fetch: server.fetch });
    const tokens = await Promise.all(Array.from({ length: 50 }, () => source.getAccessToken()));
    expect(server.calls).to.have.length(1);
    expect(new Set(tokens)).to.deep.equal(new Set(['at-1']));
    // And 50 concurrent forced refreshes: one more request.
    const forced = await Promise.all(Array.from({ length: 50 }, () => source.getAccessToken({ forceRefresh: true })));
    expect(server.calls).to.have.length(2);
    expect(new Set(forced)).to.deep.equal(new Set(['at-2']));
  });

  it('fetches again once within the skew of expiry (single-flight), and fires token-refreshed', async () => {
    const server = backend(4);
    const clock = new ManualClock();
    const source = tracked({ accessTokenUrl: URL_PATH, fetch: server.fetch, refreshSkewSeconds: 30, clock });
    const events = record(source);
    expect(await source.getAccessToken()).to.equal('at-1');
    // A 4 s token with a 30 s skew: reused for half its life (2 s), not fetched on every call.
    expect(await source.getAccessToken()).to.equal('at-1');
    expect(server.calls).to.have.length(1);
    await clock.advance(2600);
    // The timer fetched ahead of expiry on its own.
    expect(server.calls).to.have.length(2);
    expect(await source.getAccessToken()).to.equal('at-2');
    expect(events.filter((e) => e.type === 'token-refreshed')).to.have.length(1);
  });

  it('forceRefresh (what the Qlik layer calls after a 401) always asks the backend', async () => {
    const server = backend();
    const source = tracked({ accessTokenUrl: URL_PATH, fetch: server.fetch });
    await source.getAccessToken();
    expect(await source.getAccessToken({ forceRefresh: true })).to.equal('at-2');
    expect(server.calls).to.have.length(2);
    // The flag embed-kit/server reads to fetch a new token instead of serving its cache.
    expect(server.calls.map((call) => call.headers.get('x-embed-kit-refresh'))).to.deep.equal([null, '1']);
  });

  it('a 401 from the backend is "signed out" (reason backend), not an error, and nothing retries on its own', async () => {
    let signedIn = true;
    const server = fakeFetch(() => (signedIn ? json({ access_token: 'at-1', expires_in: 3600 }) : json({ error: 'unauthenticated', message: 'not signed in' }, 401)));
    const clock = new ManualClock();
    const source = tracked({ accessTokenUrl: URL_PATH, fetch: server.fetch, clock });
    const events = record(source);
    await source.signIn();
    signedIn = false;

    const error = await rejection(() => source.getAccessToken({ forceRefresh: true }));
    expect(error).to.be.instanceOf(SignInRequiredError);
    expect((error as SignInRequiredError).code).to.equal('backend_signed_out');
    expect(source.status).to.equal('signed-out');
    expect(source.error).to.equal(undefined);
    expect(source.expiresAt).to.equal(undefined);
    const signedOut = events.find((e) => e.type === 'signed-out');
    expect(signedOut?.detail).to.deep.equal({ reason: 'backend' });
    expect(events.some((e) => e.type === 'error')).to.equal(false);
    const calls = server.calls.length;
    // An hour later, still nothing has asked again.
    await clock.advance(3_600_000);
    expect(server.calls.length).to.equal(calls, 'no retry loop');

    // Once the user signs in to the site again, signIn() gets a token.
    signedIn = true;
    await source.signIn();
    expect(source.status).to.equal('signed-in');
  });

  it('a 401 on the first fetch: signed-out, without a signed-out event (nothing was held)', async () => {
    const server = fakeFetch(() => json({ error: 'unauthenticated' }, 401));
    const source = tracked({ accessTokenUrl: URL_PATH, fetch: server.fetch });
    const events = record(source);
    const error = await rejection(() => source.signIn());
    expect((error as SignInRequiredError).code).to.equal('backend_signed_out');
    expect(source.status).to.equal('signed-out');
    expect(events.map((e) => e.type)).to.deep.equal(['status-change', 'status-change']);
  });

  it('other failures are typed errors with the backend\'s code, its text, and a hint', async () => {
    const cases: Array<[Response, string, RegExp]> = [
      [json({ error: 'origin_not_allowed', message: 'this origin may not request tokens' }, 403), 'origin_not_allowed', /allowedOrigins/],
      [json({ error: 'user_not_found', message: 'user not found in the analytics tenant' }, 403), 'user_not_found', /no user in the Qlik tenant/],
      [json({ error: 'client_not_authorized', message: 'impersonation client not authorised' }, 502), 'client_not_authorized', /client id and secret/],
      [new Response('<h1>Not Found</h1>', { status: 404 }), 'http_404', /access-token-url/],
      [new Response('<html>login</html>', { status: 200, headers: { 'content-type': 'text/html' } }), 'invalid_response', /answer 401 instead/],
    ];
    for (const [response, code, hint] of cases) {
      const source = tracked({ accessTokenUrl: URL_PATH, fetch: fakeFetch(() => response.clone()).fetch });
      const events = record(source);
      const error = (await rejection(() => source.signIn())) as BackendTokenError;
      expect(error, code).to.be.instanceOf(BackendTokenError);
      expect(error.code).to.equal(code);
      expect(error.hint).to.match(hint);
      expect(source.status).to.equal('error');
      expect(source.error).to.equal(error);
      expect(events.find((e) => e.type === 'error')?.detail).to.equal(error);
    }
    const source = tracked({ accessTokenUrl: URL_PATH, fetch: fakeFetch(() => json({ error: 'user_not_found', message: 'user not found in the analytics tenant' }, 403)).fetch });
    const error = (await rejection(() => source.signIn())) as BackendTokenError;
    expect(error.message).to.contain('user not found in the analytics tenant');
    expect(error.status).to.equal(403);
  });

  it('a network blip while the token still works keeps it; a forced refresh that fails is an error', async () => {
    let up = true;
    const server = fakeFetch(() => (up ? json({ access_token: 'at-1', expires_in: 2 }) : Promise.reject(new TypeError('Failed to fetch'))));
    const clock = new ManualClock();
    const source = tracked({ accessTokenUrl: URL_PATH, fetch: server.fetch, refreshSkewSeconds: 1, clock });
    await source.signIn();
    up = false;
    await clock.advance(1100);
    expect(await source.getAccessToken()).to.equal('at-1');
    expect(source.status).to.equal('signed-in');
    const error = await rejection(() => source.getAccessToken({ forceRefresh: true }));
    expect(error).to.be.instanceOf(NetworkError);
    expect(source.status).to.equal('error');
  });

  it('a forced caller that joins a routine fetch never gets the old token back from a blip', async () => {
    let up = true;
    // The blip lands only once both callers are waiting on the one request.
    const blips: Array<() => void> = [];
    const server = fakeFetch(() =>
      up ? json({ access_token: 'at-1', expires_in: 2 }) : new Promise<Response>((_resolve, reject) => blips.push(() => reject(new TypeError('Failed to fetch')))),
    );
    const clock = new ManualClock();
    const source = tracked({ accessTokenUrl: URL_PATH, fetch: server.fetch, refreshSkewSeconds: 1, clock });
    await source.signIn();
    up = false;
    await clock.advance(1000);
    const routine = source.getAccessToken();
    const forced = source.getAccessToken({ forceRefresh: true });
    await settle();
    expect(blips).to.have.length(1, 'one request for both');
    blips[0]?.();
    expect(await rejection(() => forced)).to.be.instanceOf(NetworkError);
    expect(await rejection(() => routine)).to.be.instanceOf(NetworkError, 'they shared the forced request');
  });

  it('a backend that never answers times out', async () => {
    const source = tracked({ accessTokenUrl: URL_PATH, fetch: fakeFetch(() => never()).fetch, timeoutMs: 50 });
    expect(await rejection(() => source.signIn())).to.be.instanceOf(TimeoutError);
    expect(source.status).to.equal('error');
  });

  it('signOut() forgets the token (reason user), and a fetch that lands afterwards does not sign back in', async () => {
    const server = backend(3600, 50);
    const source = tracked({ accessTokenUrl: URL_PATH, fetch: server.fetch });
    const events = record(source);
    await source.signIn();
    const pending = source.getAccessToken({ forceRefresh: true });
    await source.signOut();
    expect(source.status).to.equal('signed-out');
    expect(events.find((e) => e.type === 'signed-out')?.detail).to.deep.equal({ reason: 'user' });
    await rejection(() => pending);
    expect(source.status).to.equal('signed-out');
  });

  it('refuses bad options at once', () => {
    expect(() => new BackendTokenSource({})).to.throw(ConfigurationError).with.property('code', 'missing_option');
    expect(() => new BackendTokenSource({ accessTokenUrl: '/a', getAccessToken: async () => 'x' })).to.throw(ConfigurationError).with.property('code', 'invalid_option');
    expect(() => new BackendTokenSource({ accessTokenUrl: 'http://backend.example/token' })).to.throw(ConfigurationError).with.property('code', 'insecure_endpoint');
    expect(() => new BackendTokenSource({ accessTokenUrl: '/a', clientSecret: 's' } as BackendTokenSourceOptions)).to.throw(ConfigurationError).with.property('code', 'client_secret_refused');
    expect(() => new BackendTokenSource({ accessTokenUrl: '/a', host: 'http://tenant.example' })).to.throw(ConfigurationError).with.property('code', 'insecure_endpoint');
  });

  it('works as the Qlik layer\'s AuthSource: the websocket-token exchange retries once with a refetched token after a 401', async () => {
    const server = backend();
    const exchange = fakeFetch((request) => {
      const body = JSON.parse(request.body) as Record<string, string>;
      expect(body.client_id).to.equal('spa');
      return body.subject_token === 'at-1'
        ? json({ errors: [{ code: 'invalid_token', title: 'Unauthorized', detail: 'expired', status: '401' }] }, 401)
        : json({ access_token: `ws-for-${body.subject_token}`, expires_in: 300 });
    });
    const source = tracked({ accessTokenUrl: URL_PATH, fetch: server.fetch, clientId: 'spa' });
    await source.signIn();
    expect(await exchangeForWebSocketToken(source, { fetch: exchange.fetch })).to.equal('ws-for-at-2');
    expect(server.calls).to.have.length(2);
  });
});

describe('BackendTokenSource (getAccessToken function)', () => {
  it('wraps qlik-embed\'s () => Promise<string>: signed-in after the first success, called on every need, single-flight', async () => {
    let calls = 0;
    const fn = () => new Promise<string>((resolve) => setTimeout(() => resolve(`fn-${++calls}`), 20));
    const source = tracked({ getAccessToken: fn });
    const events = record(source);
    expect(source.status).to.equal('signed-out');
    const tokens = await Promise.all(Array.from({ length: 10 }, () => source.getAccessToken()));
    expect(calls).to.equal(1);
    expect(new Set(tokens)).to.deep.equal(new Set(['fn-1']));
    expect(source.status).to.equal('signed-in');
    expect(source.expiresAt).to.equal(undefined);
    expect(await source.getAccessToken()).to.equal('fn-2');
    expect(events.filter((e) => e.type === 'signed-in')).to.have.length(1);
  });

  it('null, or a rejection with status 401, means signed out; other rejections are typed errors with the cause', async () => {
    let answer: () => Promise<string | null> = async () => 'tok';
    const source = tracked({ getAccessToken: () => answer() });
    await source.signIn();
    answer = async () => null;
    expect(((await rejection(() => source.getAccessToken())) as SignInRequiredError).code).to.equal('backend_signed_out');
    expect(source.status).to.equal('signed-out');

    answer = async () => Promise.reject(Object.assign(new Error('HTTP 401'), { status: 401 }));
    await rejection(() => source.signIn());
    expect(source.status).to.equal('signed-out');

    const boom = new Error('backend exploded');
    answer = async () => Promise.reject(boom);
    const error = (await rejection(() => source.signIn())) as BackendTokenError;
    expect(error.code).to.equal('get_access_token_failed');
    expect(error.cause).to.equal(boom);
    expect(error.message).to.contain('backend exploded');
    expect(source.status).to.equal('error');

    answer = async () => ({ access_token: 'x' }) as unknown as string;
    expect(((await rejection(() => source.signIn())) as BackendTokenError).code).to.equal('invalid_response');
  });

  it('a function that never settles times out', async () => {
    const source = tracked({ getAccessToken: () => never(), timeoutMs: 50 });
    expect(await rejection(() => source.signIn())).to.be.instanceOf(TimeoutError);
  });
});
