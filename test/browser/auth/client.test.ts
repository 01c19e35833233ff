import { expect } from '@open-wc/testing';
import { AuthClient, type AuthClientEventMap, type AuthClientOptions } from '../../../src/auth/client.ts';
import {
  AuthorizationResponseError,
  ConfigurationError,
  EmbedKitError,
  SignInRequiredError,
  TimeoutError,
  TokenEndpointError,
} from '../../../src/auth/errors.ts';
import { computeCodeChallenge } from '../../../src/auth/pkce.ts';
import type { LoginTransaction } from '../../../src/auth/transaction.ts';
import { bodyOf, delayed, fakeFetch, json, MemoryStorage, storedTransaction, TRANSACTION_PREFIX, never, rejection, routes, type FakeFetch, type Responder } from './fakes.ts';

const HOST = 'https://tenant.example';
const TOKEN_URL = `${HOST}/oauth/token`;
const REVOKE_URL = `${HOST}/oauth/revoke`;
const REDIRECT = 'https://app.example/callback';

const TOKENS = { access_token: 'at-1', token_type: 'Bearer', expires_in: 3600, refresh_token: 'rt-1' };

const slow = (body: unknown, status = 200, ms = 20): Responder => delayed(() => json(body, status), ms);

function qlikServer(token: Responder = slow(TOKENS), revoke: Responder = () => new Response(null, { status: 200 })): FakeFetch {
  return fakeFetch(routes({ [TOKEN_URL]: token, [REVOKE_URL]: revoke }));
}

interface Setup {
  client: AuthClient;
  server: FakeFetch;
  storage: MemoryStorage;
  events: { type: string; detail: unknown }[];
}

const EVENT_TYPES: (keyof AuthClientEventMap)[] = ['signed-in', 'token-refreshed', 'signed-out', 'error', 'status-change'];

function setup(server = qlikServer(), options: Partial<AuthClientOptions> = {}, storage = new MemoryStorage()): Setup {
  const client = new AuthClient({
    host: HOST,
    clientId: 'client-1',
    redirectUri: REDIRECT,
    storage,
    fetch: server.fetch,
    ...options,
  });
  const events: Setup['events'] = [];
  for (const type of EVENT_TYPES) {
    client.addEventListener(type, (event) => events.push({ type, detail: event.detail }));
  }
  return { client, server, storage, events };
}

async function callbackFor(client: AuthClient, extra: Record<string, string> = {}, returnPath = '/after'): Promise<string> {
  const authorize = await client.createAuthorizationUrl(returnPath);
  const callback = new URL(REDIRECT);
  callback.searchParams.set('code', 'code-1');
  callback.searchParams.set('state', authorize.searchParams.get('state') ?? '');
  for (const [name, value] of Object.entries(extra)) callback.searchParams.set(name, value);
  return callback.href;
}

async function signedIn(server = qlikServer(), options: Partial<AuthClientOptions> = {}): Promise<Setup> {
  const context = setup(server, options);
  await context.client.handleCallback(await callbackFor(context.client));
  return context;
}

describe('AuthClient', () => {
  describe('construction', () => {
    it('refuses bad options synchronously with typed errors', () => {
      const cases: [string, () => unknown, string][] = [
        ['secret', () => new AuthClient({ host: HOST, clientId: 'c', clientSecret: 'x' } as AuthClientOptions), 'client_secret_refused'],
        ['http', () => new AuthClient({ host: 'http://tenant.example', clientId: 'c' }), 'insecure_endpoint'],
        ['http redirect', () => new AuthClient({ host: HOST, clientId: 'c', redirectUri: 'http://app.example/cb' }), 'insecure_endpoint'],
        ['no client id', () => new AuthClient({ host: HOST, clientId: ' ' }), 'missing_option'],
        ['no host', () => new AuthClient({ clientId: 'c' }), 'missing_option'],
        ['fragment', () => new AuthClient({ host: HOST, clientId: 'c', redirectUri: 'https://app.example/#cb' }), 'invalid_option'],
      ];
      for (const [name, construct, code] of cases) {
        let thrown: unknown;
        try {
          construct();
        } catch (error) {
          thrown = error;
        }
        expect(thrown, name).to.be.instanceOf(ConfigurationError);
        expect((thrown as ConfigurationError).code, name).to.equal(code);
      }
    });

    it('exposes host, client id, default redirect URI and a signed-out status', () => {
      const client = new AuthClient({ host: 'tenant.example/', clientId: 'client-1' });
      expect(client.host).to.equal(HOST);
      expect(client.clientId).to.equal('client-1');
      expect(client.redirectUri).to.equal(`${location.origin}${location.pathname}`);
      expect(client.status).to.equal('signed-out');
      expect(client.error).to.equal(undefined);
      expect(client.expiresAt).to.equal(undefined);
    });
  });

  describe('signing in', () => {
    it('builds the authorization URL with PKCE and stores the transaction', async () => {
      const { client, storage, server } = setup();
      const url = await client.createAuthorizationUrl('/reports?id=7');
      expect(url.origin + url.pathname).to.equal(`${HOST}/oauth/authorize`);
      const query = Object.fromEntries(url.searchParams);
      expect(query).to.deep.include({
        response_type: 'code',
        client_id: 'client-1',
        redirect_uri: REDIRECT,
        scope: 'user_default',
        code_challenge_method: 'S256',
      });
      const transaction = storedTransaction(storage, query.state);
      expect(transaction.state).to.equal(query.state);
      expect(transaction.redirectUri).to.equal(REDIRECT);
      expect(transaction.returnPath).to.equal('/reports?id=7');
      expect(Date.now() - transaction.createdAt).to.be.within(0, 5000);
      expect(query.code_challenge).to.equal(await computeCodeChallenge(transaction.verifier));
      expect(server.calls).to.have.length(0);
    });

    it('stores / instead of a return path to another origin', async () => {
      const { client, storage } = setup();
      const url = await client.createAuthorizationUrl('https://evil.example/steal');
      expect(storedTransaction(storage, url.searchParams.get('state') ?? '').returnPath).to.equal('/');
    });

    it('goes to redirecting and hands the URL to navigate', async () => {
      const { client, events } = setup();
      const visited: URL[] = [];
      await client.signIn({ navigate: (url) => visited.push(url) });
      expect(client.status).to.equal('redirecting');
      expect(visited).to.have.length(1);
      expect(visited[0].searchParams.get('code_challenge_method')).to.equal('S256');
      expect(events).to.deep.equal([{ type: 'status-change', detail: { status: 'redirecting', previous: 'signed-out' } }]);
    });

    it('recognises callback URLs', () => {
      expect(AuthClient.isCallback(`${REDIRECT}?code=c&state=s`)).to.equal(true);
      expect(AuthClient.isCallback(new URL(`${REDIRECT}?error=access_denied&state=s`))).to.equal(true);
      expect(AuthClient.isCallback(REDIRECT)).to.equal(false);
      expect(AuthClient.isCallback('not a url')).to.equal(false);
    });
  });

  describe('handleCallback', () => {
    it('exchanges the code once and signs in', async () => {
      const { client, server, storage, events } = setup();
      const snapshots: unknown[] = [];
      client.subscribe((snapshot) => snapshots.push(snapshot));
      const callback = await callbackFor(client);
      const verifier = storedTransaction(storage, new URL(callback).searchParams.get('state') ?? '').verifier;

      await client.handleCallback(callback);

      expect(server.to(TOKEN_URL)).to.have.length(1);
      const [call] = server.calls;
      expect(call.credentials).to.equal('include');
      expect(call.headers.get('Content-Type')).to.equal('application/json');
      expect(JSON.parse(call.body)).to.deep.equal({
        grant_type: 'authorization_code',
        code: 'code-1',
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        client_id: 'client-1',
        scope: 'user_default',
      });
      expect(client.status).to.equal('signed-in');
      expect(await client.getAccessToken()).to.equal('at-1');
      expect(client.expiresAt).to.be.closeTo(Date.now() + 3600_000, 5000);
      expect(events.map((event) => event.type)).to.deep.equal(['status-change', 'status-change', 'signed-in']);
      expect(events[1].detail).to.deep.equal({ status: 'signed-in', previous: 'exchanging' });
      expect(snapshots.map((snapshot) => (snapshot as { status: string }).status)).to.deep.equal(['exchanging', 'signed-in']);
      expect(storage.length).to.equal(0);
    });

    it('refuses a tampered state with no token request', async () => {
      const { client, server, events } = setup();
      const callback = new URL(await callbackFor(client));
      callback.searchParams.set('state', 'tampered');
      const error = (await rejection(() => client.handleCallback(callback))) as AuthorizationResponseError;
      expect(error).to.be.instanceOf(AuthorizationResponseError);
      expect(error.code).to.equal('state_mismatch');
      expect(server.calls).to.have.length(0);
      expect(client.status).to.equal('error');
      expect(client.error).to.equal(error);
      expect(events.filter((event) => event.type === 'error').map((event) => event.detail)).to.deep.equal([error]);
    });

    it('makes one POST when the callback is handled twice, and both callers get the tokens', async () => {
      const storage = new MemoryStorage();
      const server = qlikServer();
      const firstSetup = setup(server, {}, storage);
      const first = firstSetup.client;
      const second = setup(server, {}, storage).client;
      const callback = await callbackFor(first);

      // The StrictMode shape: the same client twice, plus a second client, all before any answer.
      await Promise.all([first.handleCallback(callback), first.handleCallback(callback), second.handleCallback(callback)]);

      expect(server.to(TOKEN_URL)).to.have.length(1);
      expect(first.status).to.equal('signed-in');
      expect(second.status).to.equal('signed-in');
      expect(await first.getAccessToken()).to.equal('at-1');
      expect(await second.getAccessToken()).to.equal('at-1');
      expect(firstSetup.events.filter((event) => event.type === 'signed-in')).to.have.length(1);
    });

    it('gives every caller of a double-handled callback the same failure', async () => {
      const server = qlikServer(slow({ error: 'invalid_grant' }, 400));
      const { client } = setup(server);
      const callback = await callbackFor(client);
      const results = await Promise.allSettled([client.handleCallback(callback), client.handleCallback(callback)]);
      expect(server.calls).to.have.length(1);
      const reasons = results.map((result) => (result.status === 'rejected' ? (result.reason as EmbedKitError).code : 'resolved'));
      expect(reasons).to.deep.equal(['invalid_grant', 'invalid_grant']);
    });

    it('answers a revisit of the same callback with missing_transaction, without a request', async () => {
      const { client, server } = setup();
      const callback = await callbackFor(client);
      await client.handleCallback(callback);
      const error = (await rejection(() => client.handleCallback(callback))) as AuthorizationResponseError;
      expect(error.code).to.equal('missing_transaction');
      expect(error.hint).to.include('revisited');
      expect(server.to(TOKEN_URL)).to.have.length(1);
      expect(client.status).to.equal('error');
    });

    it('turns error=access_denied into a typed error without a request', async () => {
      const { client, server } = setup();
      const callback = new URL(await callbackFor(client, { error: 'access_denied', error_description: '<b>nope</b>' }));
      callback.searchParams.delete('code');
      const error = (await rejection(() => client.handleCallback(callback))) as AuthorizationResponseError;
      expect(error.code).to.equal('access_denied');
      expect(error.message).to.include('<b>nope</b>');
      expect(server.calls).to.have.length(0);
    });

    it('surfaces a token endpoint refusal as status error', async () => {
      const body = { errors: [{ code: 'OAUTH-1', title: 'Invalid redirect', status: '400' }] };
      const { client, events } = setup(qlikServer(slow(body, 400)));
      const error = (await rejection(async () => client.handleCallback(await callbackFor(client)))) as TokenEndpointError;
      expect(error.code).to.equal('OAUTH-1');
      expect(error.hint).to.include(REDIRECT);
      expect(error.cause).to.deep.equal(body);
      expect(client.status).to.equal('error');
      expect(events.at(-1)).to.deep.equal({ type: 'error', detail: error });
    });

    it('rejects with timeout when the token endpoint never answers', async () => {
      const { client } = setup(qlikServer(() => never<Response>()), { timeoutMs: 50 });
      const error = (await rejection(async () => client.handleCallback(await callbackFor(client)))) as TimeoutError;
      expect(error).to.be.instanceOf(TimeoutError);
      expect(client.status).to.equal('error');
    });
  });

  describe('RFC 9207 with OIDC discovery', () => {
    const ISSUER = 'https://honest.as.example';
    const metadata = {
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/authorize`,
      token_endpoint: `${ISSUER}/token`,
      authorization_response_iss_parameter_supported: true,
    };
    const oidc = (): Setup =>
      setup(
        fakeFetch(
          routes({
            [`${ISSUER}/.well-known/openid-configuration`]: () => json(metadata),
            [`${ISSUER}/token`]: () => json(TOKENS),
          }),
        ),
        { provider: 'oidc', issuer: ISSUER, host: undefined },
      );

    it('accepts the right iss and exchanges with a form body', async () => {
      const { client, server } = oidc();
      const authorize = await client.createAuthorizationUrl();
      expect(authorize.origin + authorize.pathname).to.equal(`${ISSUER}/authorize`);
      expect(authorize.searchParams.get('scope')).to.equal('openid');
      const callback = new URL(REDIRECT);
      callback.searchParams.set('code', 'code-1');
      callback.searchParams.set('state', authorize.searchParams.get('state') ?? '');
      callback.searchParams.set('iss', ISSUER);
      await client.handleCallback(callback);
      const [token] = server.to(`${ISSUER}/token`);
      expect(token.headers.get('Content-Type')).to.include('application/x-www-form-urlencoded');
      expect(token.credentials).to.equal(undefined);
      expect(bodyOf(token)).not.to.have.property('scope');
      expect(client.status).to.equal('signed-in');
    });

    it('refuses another iss with no token request', async () => {
      const { client, server } = oidc();
      const callback = await callbackFor(client, { iss: 'https://attacker.example' });
      const error = (await rejection(() => client.handleCallback(callback))) as AuthorizationResponseError;
      expect(error.code).to.equal('issuer_mismatch');
      expect(server.to(`${ISSUER}/token`)).to.have.length(0);
    });

    it('refuses a missing iss when the metadata promises one', async () => {
      const { client, server } = oidc();
      const error = (await rejection(async () => client.handleCallback(await callbackFor(client)))) as AuthorizationResponseError;
      expect(error.code).to.equal('missing_issuer');
      expect(server.to(`${ISSUER}/token`)).to.have.length(0);
    });
  });

  describe('tokens after sign-in', () => {
    const refreshing = (): FakeFetch => {
      let n = 0;
      return qlikServer((request) => {
        n += 1;
        const grant = bodyOf(request).grant_type;
        // The first token lives 20 s: inside the 30 s skew, so the next use refreshes.
        return slow({ access_token: `at-${n}`, token_type: 'Bearer', expires_in: grant === 'authorization_code' ? 20 : 3600, refresh_token: `rt-${n}` })(request);
      });
    };

    it('refreshes a token that expires within the skew', async () => {
      const { client, server, events } = await signedIn(refreshing());
      expect(await client.getAccessToken()).to.equal('at-2');
      const refresh = server.to(TOKEN_URL)[1];
      expect(bodyOf(refresh)).to.deep.equal({ grant_type: 'refresh_token', refresh_token: 'rt-1', client_id: 'client-1' });
      expect(refresh.credentials).to.equal('include');
      expect(events.at(-1)?.type).to.equal('token-refreshed');
      expect(await client.getAccessToken()).to.equal('at-2');
      expect(server.to(TOKEN_URL)).to.have.length(2);
    });

    it('does not refresh a token outside the skew', async () => {
      const { client, server } = await signedIn(qlikServer(slow({ ...TOKENS, expires_in: 60 })), { refreshSkewSeconds: 30 });
      expect(await client.getAccessToken()).to.equal('at-1');
      expect(server.to(TOKEN_URL)).to.have.length(1);
    });

    it('makes one refresh request for 50 concurrent callers', async () => {
      const { client, server } = await signedIn(refreshing());
      const tokens = await Promise.all(Array.from({ length: 50 }, () => client.getAccessToken()));
      expect(server.to(TOKEN_URL)).to.have.length(2);
      expect(new Set(tokens)).to.deep.equal(new Set(['at-2']));
    });

    it('signs out with refresh_failed when the refresh is refused', async () => {
      let calls = 0;
      const server = qlikServer(() => {
        calls += 1;
        return calls === 1 ? json({ ...TOKENS, expires_in: 10 }) : json({ error: 'invalid_grant' }, 400);
      });
      const { client, events } = await signedIn(server);
      const error = (await rejection(() => client.getAccessToken())) as TokenEndpointError;
      expect(error.code).to.equal('invalid_grant');
      expect(client.status).to.equal('signed-out');
      expect(client.error).to.equal(error);
      expect(events.at(-1)).to.deep.equal({ type: 'signed-out', detail: { reason: 'refresh_failed', error } });
      expect(((await rejection(() => client.getAccessToken())) as SignInRequiredError).code).to.equal('not_signed_in');
    });

    it('revokes refresh and access tokens on sign-out, then is signed out', async () => {
      const { client, server, events } = await signedIn();
      await client.signOut();
      const revocations = server.to(REVOKE_URL);
      expect(revocations.map((call) => JSON.parse(call.body))).to.deep.equal([
        { token: 'rt-1', token_type_hint: 'refresh_token', client_id: 'client-1' },
        { token: 'at-1', token_type_hint: 'access_token', client_id: 'client-1' },
      ]);
      expect(revocations.every((call) => call.credentials === 'include')).to.equal(true);
      expect(client.status).to.equal('signed-out');
      expect(client.expiresAt).to.equal(undefined);
      expect(events.filter((event) => event.type === 'signed-out')).to.deep.equal([{ type: 'signed-out', detail: { reason: 'user' } }]);
      expect(((await rejection(() => client.getAccessToken())) as SignInRequiredError).code).to.equal('not_signed_in');
    });

    it('still signs out when revocation fails or hangs', async () => {
      const { client } = await signedIn(qlikServer(slow(TOKENS), () => never<Response>()), { timeoutMs: 100 });
      await client.signOut();
      expect(client.status).to.equal('signed-out');
      const second = await signedIn(qlikServer(slow(TOKENS), () => json({ error: 'server_error' }, 503)));
      await second.client.signOut();
      expect(second.client.status).to.equal('signed-out');
    });

    it('makes no revocation request when the provider has no endpoint', async () => {
      const server = fakeFetch(() => json(TOKENS));
      const { client } = await signedIn(server, { provider: 'genesys', region: 'mypurecloud.com', host: undefined });
      // Besides the token request, only the GET for the user (see client-user.test.ts).
      const posts = () => server.calls.filter((call) => call.method !== 'GET').map((call) => call.url);
      expect(posts()).to.deep.equal(['https://login.mypurecloud.com/oauth/token']);
      await client.signOut();
      expect(posts()).to.have.length(1);
      expect(client.status).to.equal('signed-out');
    });

    it('leaves the error state on sign-out even without tokens', async () => {
      const { client } = setup();
      await rejection(() => client.handleCallback(`${REDIRECT}?code=c&state=unknown`));
      expect(client.status).to.equal('error');
      await client.signOut();
      expect(client.status).to.equal('signed-out');
      expect(client.error).to.equal(undefined);
    });
  });

  describe('on the page itself', () => {
    let original = '';
    beforeEach(() => {
      original = location.href;
    });
    afterEach(() => {
      history.replaceState(history.state, '', original);
    });

    it('returns to the saved path and leaves no token in storage, cookies or the URL', async () => {
      const secrets = { access_token: 'AT-e2e-secret', token_type: 'Bearer', expires_in: 3600, refresh_token: 'RT-e2e-secret' };
      const server = fakeFetch(() => json(secrets));
      const databasesBefore = (await indexedDB.databases()).map((db) => db.name);
      // The real sessionStorage, as in production.
      const client = new AuthClient({ host: HOST, clientId: 'client-1', fetch: server.fetch });
      const authorize = await client.createAuthorizationUrl('/after-sign-in?tab=2#chart');
      const state = authorize.searchParams.get('state') ?? '';
      const verifier = (JSON.parse(sessionStorage.getItem(TRANSACTION_PREFIX + state) ?? '{}') as LoginTransaction).verifier;
      expect(verifier).to.have.length(64);

      const callback = new URL(client.redirectUri);
      callback.searchParams.set('code', 'CODE-e2e-secret');
      callback.searchParams.set('state', state);
      history.replaceState(history.state, '', callback.href);
      expect(AuthClient.isCallback()).to.equal(true);

      await client.handleCallback();

      expect(client.status).to.equal('signed-in');
      expect(location.href).to.equal(`${location.origin}/after-sign-in?tab=2#chart`);
      const everywhere = [
        JSON.stringify(Object.entries(localStorage)),
        JSON.stringify(Object.entries(sessionStorage)),
        document.cookie,
        location.href,
        JSON.stringify(history.state),
      ].join('\n');
      for (const secret of ['AT-e2e-secret', 'RT-e2e-secret', 'CODE-e2e-secret', verifier, state]) {
        expect(everywhere).not.to.include(secret);
      }
      expect((await indexedDB.databases()).map((db) => db.name)).to.deep.equal(databasesBefore);
      expect(await client.getAccessToken()).to.equal('AT-e2e-secret');
      await client.signOut();
    });

    it('removes a refused callback from the URL, so a reload cannot replay it', async () => {
      const server = fakeFetch(() => json(TOKENS));
      const client = new AuthClient({ host: HOST, clientId: 'client-1', fetch: server.fetch, storage: new MemoryStorage() });
      const callback = new URL(client.redirectUri);
      callback.searchParams.set('keep', 'me');
      callback.searchParams.set('code', 'CODE-replayed');
      callback.searchParams.set('state', 'STATE-replayed');
      history.replaceState(history.state, '', callback.href);
      const error = (await rejection(() => client.handleCallback())) as AuthorizationResponseError;
      expect(error.code).to.equal('missing_transaction');
      expect(location.href).not.to.include('CODE-replayed');
      expect(location.href).not.to.include('STATE-replayed');
      expect(new URL(location.href).searchParams.get('keep')).to.equal('me');
      expect(server.calls).to.have.length(0);
    });
  });
});
