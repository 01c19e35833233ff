/**
 * Red-team findings of issue 10 on the sign-in side, in the browser: F2 (`iss` checked by
 * default), F4 (a 5xx or a blip does not sign out a still-valid token, for AuthClient and
 * BackendTokenSource alike), F8 (no token in an error's `cause`), and `Retry-After` from a
 * site's backend (issue 16). Time moves by a manual clock, never by waiting.
 */
import { expect } from '@open-wc/testing';
import { AuthClient, type AuthClientOptions } from '../../../src/auth/client.ts';
import { BackendTokenSource } from '../../../src/auth/backend-token-source.ts';
import type { EmbedKitError } from '../../../src/auth/errors.ts';
import { ManualClock, settle } from '../../support/manual-clock.ts';
import { fakeFetch, json, MemoryStorage, rejection, routes, type FakeFetch, type Responder } from './fakes.ts';

const HOST = 'https://tenant.example';
const TOKEN_URL = `${HOST}/oauth/token`;
const REDIRECT = 'https://app.example/callback';

function client(server: FakeFetch, options: Partial<AuthClientOptions> = {}): { client: AuthClient; events: string[]; errors: EmbedKitError[] } {
  // share: 'none': other test files' clients on this origin must not lend tokens across tabs here.
  const auth = new AuthClient({ host: HOST, clientId: 'red-team-client', redirectUri: REDIRECT, storage: new MemoryStorage(), fetch: server.fetch, share: 'none', ...options });
  const events: string[] = [];
  const errors: EmbedKitError[] = [];
  for (const type of ['signed-in', 'token-refreshed', 'signed-out'] as const) auth.addEventListener(type, () => events.push(type));
  auth.addEventListener('error', (event) => errors.push(event.detail));
  return { client: auth, events, errors };
}

async function callback(auth: AuthClient, extra: Record<string, string> = {}): Promise<string> {
  const authorize = await auth.createAuthorizationUrl('/after');
  const url = new URL(REDIRECT);
  url.searchParams.set('code', 'code-1');
  url.searchParams.set('state', authorize.searchParams.get('state') ?? '');
  for (const [name, value] of Object.entries(extra)) url.searchParams.set(name, value);
  return url.href;
}

/** A token endpoint: the code exchange gives a token living `lifetime` s; refreshes answer `refresh()`. */
function tenant(lifetime: number, refresh: Responder): FakeFetch {
  return fakeFetch(
    routes({
      [TOKEN_URL]: (request) =>
        request.body.includes('authorization_code')
          ? json({ access_token: 'at-1', token_type: 'Bearer', expires_in: lifetime, refresh_token: 'rt-1' })
          : refresh(request),
    }),
  );
}

const html503 = (): Response => new Response('<html><body><h1>503 Service Unavailable</h1></body></html>', { status: 503, headers: { 'content-type': 'text/html' } });

describe('F2: the iss of a callback is checked by default', () => {
  it('qlik without an issuer option: iss=https://evil.example is issuer_mismatch, with no token request and a hint about issuer', async () => {
    const server = tenant(3600, () => json({}));
    const { client: auth } = client(server);
    const error = (await rejection(async () => auth.handleCallback(await callback(auth, { iss: 'https://evil.example' })))) as EmbedKitError;
    expect(error.code).to.equal('issuer_mismatch');
    expect(error.hint).to.contain('set the issuer option');
    expect(server.calls).to.have.length(0);
    expect(auth.status).to.equal('error');
  });

  it('qlik: the tenant origin as iss is accepted, with or without a trailing slash', async () => {
    for (const iss of [HOST, `${HOST}/`]) {
      const { client: auth } = client(tenant(3600, () => json({})));
      await auth.handleCallback(await callback(auth, { iss }));
      expect(auth.status, iss).to.equal('signed-in');
    }
  });

  it('custom provider: the expected issuer is its authorization endpoint origin unless issuer is set', async () => {
    const server = fakeFetch(routes({ 'https://login.example/token': () => json({ access_token: 'at', token_type: 'Bearer' }) }));
    const options = { provider: 'custom' as const, authorizationEndpoint: 'https://login.example/authorize', tokenEndpoint: 'https://login.example/token', host: undefined };
    const refused = client(server, options).client;
    expect(((await rejection(async () => refused.handleCallback(await callback(refused, { iss: 'https://evil.example' })))) as EmbedKitError).code).to.equal('issuer_mismatch');
    const named = client(server, { ...options, issuer: 'https://idp.example/realm' }).client;
    await named.handleCallback(await callback(named, { iss: 'https://idp.example/realm' }));
    expect(named.status).to.equal('signed-in');
  });
});

describe('F4: a failing refresh keeps a still-valid token', () => {
  const transient: Array<[string, Responder]> = [
    ['an HTML 503 page', html503],
    ['a 500 with server_error', () => json({ error: 'server_error' }, 500)],
    ['temporarily_unavailable', () => json({ error: 'temporarily_unavailable' }, 400)],
    ['a network failure', () => Promise.reject(new TypeError('Failed to fetch'))],
  ];
  for (const [name, failure] of transient) {
    it(`AuthClient: ${name} keeps the token, retries with backoff, and signs in fresh when the server is back`, async () => {
      const clock = new ManualClock();
      let down = true;
      const server = tenant(20, (request) => (down ? failure(request) : json({ access_token: 'at-2', token_type: 'Bearer', expires_in: 3600, refresh_token: 'rt-2' })));
      const { client: auth, events } = client(server, { clock });
      await auth.handleCallback(await callback(auth));
      // 20 s of life is inside the 30 s skew: the next use refreshes, and that fails.
      expect(await auth.getAccessToken()).to.equal('at-1');
      expect(auth.status).to.equal('signed-in');
      expect(events).to.deep.equal(['signed-in']);
      const attempts = server.to(TOKEN_URL).length;
      expect(await auth.getAccessToken()).to.equal('at-1', 'backing off: no request at once');
      expect(server.to(TOKEN_URL)).to.have.length(attempts);
      down = false;
      await clock.advance(1_000);
      expect(events).to.deep.equal(['signed-in', 'token-refreshed'], 'the backoff retry refreshed');
      expect(await auth.getAccessToken()).to.equal('at-2');
    });
  }

  it('AuthClient: still failing at expiry signs out (refresh_failed); a definitive invalid_grant signs out at once', async () => {
    const clock = new ManualClock();
    const { client: auth, events } = client(tenant(20, html503), { clock });
    await auth.handleCallback(await callback(auth));
    expect(await auth.getAccessToken()).to.equal('at-1');
    await clock.advance(21_000);
    expect(auth.status).to.equal('signed-out');
    expect(events.at(-1)).to.equal('signed-out');
    expect(auth.error?.code).to.equal('http_503');

    const refused = client(tenant(20, () => json({ error: 'invalid_grant' }, 400)), { clock: new ManualClock() });
    await refused.client.handleCallback(await callback(refused.client));
    expect(((await rejection(() => refused.client.getAccessToken())) as EmbedKitError).code).to.equal('invalid_grant');
    expect(refused.client.status).to.equal('signed-out');
  });

  it('BackendTokenSource: a 503 while the token still works keeps it, like AuthClient, and the retry brings a new one', async () => {
    const clock = new ManualClock();
    let answer = (): Response => json({ access_token: 'site-1', expires_in: 60 });
    const server = fakeFetch(() => answer());
    const source = new BackendTokenSource({ accessTokenUrl: 'https://site.example/token', fetch: server.fetch, clock });
    const events: string[] = [];
    for (const type of ['signed-in', 'token-refreshed', 'signed-out', 'error'] as const) source.addEventListener(type, () => events.push(type));
    await source.signIn();
    answer = html503;
    // Ahead of expiry (at half the 60 s life) the source asks again on its own; that fails.
    await clock.advance(30_000);
    expect(server.calls).to.have.length(2);
    expect(source.status).to.equal('signed-in');
    expect(await source.getAccessToken()).to.equal('site-1');
    answer = () => json({ access_token: 'site-2', expires_in: 60 });
    await clock.advance(1_000);
    expect(events).to.deep.equal(['signed-in', 'token-refreshed']);
    expect(await source.getAccessToken()).to.equal('site-2');
  });
});

describe('Retry-After from the site backend (issue 16)', () => {
  it('a 429 with Retry-After: the next ask waits as told instead of going at once', async () => {
    const clock = new ManualClock();
    let answer = (): Response => new Response(JSON.stringify({ error: 'rate_limited' }), { status: 429, headers: { 'retry-after': '5', 'content-type': 'application/json' } });
    const server = fakeFetch(() => answer());
    const source = new BackendTokenSource({ accessTokenUrl: 'https://site.example/token', fetch: server.fetch, clock });
    const error = (await rejection(() => source.signIn())) as EmbedKitError;
    expect(error.code).to.equal('rate_limited');
    expect(source.status).to.equal('error');
    answer = () => json({ access_token: 'site-1', expires_in: 60 });
    let settled = false;
    const again = source.signIn().then(() => (settled = true));
    await settle();
    expect(server.calls).to.have.length(1, 'no request before Retry-After has passed');
    await clock.advance(4_000);
    expect(server.calls).to.have.length(1);
    expect(settled).to.equal(false);
    await clock.advance(1_000);
    await again;
    expect(server.calls).to.have.length(2);
    expect(source.status).to.equal('signed-in');
  });

  it('a 503 with Retry-After while the token still works: the retry comes when told, not after the usual backoff', async () => {
    const clock = new ManualClock();
    let answer = (): Response => json({ access_token: 'site-1', expires_in: 600 });
    const server = fakeFetch(() => answer());
    const source = new BackendTokenSource({ accessTokenUrl: 'https://site.example/token', fetch: server.fetch, clock });
    await source.signIn();
    answer = () => new Response('busy', { status: 503, headers: { 'retry-after': '120' } });
    await clock.advance(570_000);
    expect(server.calls).to.have.length(2, 'the refresh ahead of expiry ran and failed');
    answer = () => json({ access_token: 'site-2', expires_in: 600 });
    await clock.advance(60_000);
    expect(server.calls).to.have.length(2, 'not before the 120 s the backend asked for');
    await clock.advance(60_000);
    expect(server.calls).to.have.length(3);
    expect(await source.getAccessToken()).to.equal('site-2');
  });
});

describe('F8: no token in an error cause', () => {
  const SECRETS = ['at-secret', 'rt-secret', 'idt.secret.sig'];
  const leaks = (value: unknown): string[] => SECRETS.filter((secret) => JSON.stringify(value ?? null).includes(secret));

  it('a refused token response reaches error listeners without access, refresh or ID token', async () => {
    const text = (body: string, type: string, status = 200): Response => new Response(body, { status, headers: { 'content-type': type } });
    const bodies: Array<[string, Response]> = [
      ['no token_type', json({ access_token: 'at-secret', refresh_token: 'rt-secret', id_token: 'idt.secret.sig' })],
      ['an error body with tokens in it', json({ error: 'invalid_request', refresh_token: 'rt-secret', access_token: 'at-secret' }, 400)],
      ['tokens nested in objects and arrays', json({ error: 'invalid_request', data: { access_token: 'at-secret', sets: [{ refresh_token: 'rt-secret' }, { tokens: { id_token: 'idt.secret.sig' } }] } }, 400)],
      ['a form-encoded token response', text('access_token=at-secret&refresh_token=rt-secret&id_token=idt.secret.sig&token_type=Bearer', 'application/x-www-form-urlencoded')],
      ['JSON sent as text', text('{"access_token": "at-secret", "refresh_token":"rt-secret", "id_token" : "idt.secret.sig"}', 'text/plain', 502)],
      ['tokens in a text error page', text('<pre>access_token: at-secret\nrefresh_token = rt-secret\nid_token=idt.secret.sig</pre>', 'text/html', 500)],
    ];
    for (const [name, response] of bodies) {
      const { client: auth, errors } = client(fakeFetch(routes({ [TOKEN_URL]: () => response.clone() })));
      const error = (await rejection(async () => auth.handleCallback(await callback(auth)))) as EmbedKitError;
      expect(errors).to.deep.equal([error], name);
      expect(leaks(error.cause), name).to.deep.equal([]);
      expect(leaks(error.message), name).to.deep.equal([]);
      expect(auth.status).to.equal('error');
    }
  });

  it('keeps the rest of a body it scrubs, so the cause still helps', async () => {
    const { client: auth } = client(
      fakeFetch(routes({ [TOKEN_URL]: () => new Response('access_token=at-secret&token_type=Bearer&scope=user_default', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }) })),
    );
    const error = (await rejection(async () => auth.handleCallback(await callback(auth)))) as EmbedKitError;
    expect(error.cause).to.equal('access_token=[redacted]&token_type=Bearer&scope=user_default');
    const nested = client(fakeFetch(routes({ [TOKEN_URL]: () => json({ error: 'invalid_request', data: { note: 'kept', list: [{ refresh_token: 'rt-secret', n: 1 }] } }, 400) })));
    const refused = (await rejection(async () => nested.client.handleCallback(await callback(nested.client)))) as EmbedKitError;
    expect(refused.cause).to.deep.equal({ error: 'invalid_request', data: { note: 'kept', list: [{ refresh_token: '[redacted]', n: 1 }] } });
  });

  it('the backend source keeps no token in cause either', async () => {
    const server = fakeFetch(() => json({ refresh_token: 'rt-secret', id_token: 'idt.secret.sig', expires_in: 60 }));
    const source = new BackendTokenSource({ accessTokenUrl: 'https://site.example/token', fetch: server.fetch });
    const error = (await rejection(() => source.signIn())) as EmbedKitError;
    expect(error.code).to.equal('invalid_response');
    expect(leaks(error.cause)).to.deep.equal([]);
  });
});
