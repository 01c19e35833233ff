import { expect, oneEvent } from '@open-wc/testing';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { AuthClient, type AuthClientOptions } from '../../../src/auth/client.ts';
import { IdTokenError, SignInRequiredError, UserInfoError } from '../../../src/auth/errors.ts';
import type { AuthUser } from '../../../src/auth/user.ts';
import { bodyOf, fakeFetch, json, MemoryStorage, storedTransaction, rejection, routes, type FakeFetch, type Responder } from './fakes.ts';

const REDIRECT = 'https://app.example/callback';
const ISSUER = 'https://idp.example';
const METADATA = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/authorize`,
  token_endpoint: `${ISSUER}/token`,
  userinfo_endpoint: `${ISSUER}/me`,
  jwks_uri: `${ISSUER}/jwks`,
  code_challenge_methods_supported: ['S256'],
};

interface Key {
  privateKey: CryptoKey;
  jwk: JWK;
}

async function key(kid: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256' } };
}

function idToken(signer: Key, claims: JWTPayload): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: ISSUER, aud: 'spa', sub: 'ada', iat: now, exp: now + 300, ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: signer.jwk.kid })
    .sign(signer.privateKey);
}

function client(server: FakeFetch, options: Partial<AuthClientOptions> = {}, storage = new MemoryStorage()): AuthClient {
  return new AuthClient({ clientId: 'spa', redirectUri: REDIRECT, storage, fetch: server.fetch, ...options });
}

async function callbackFor(auth: AuthClient): Promise<{ callback: string; authorize: URL }> {
  const authorize = await auth.createAuthorizationUrl('/after');
  const callback = new URL(REDIRECT);
  callback.searchParams.set('code', 'code-1');
  callback.searchParams.set('state', authorize.searchParams.get('state') ?? '');
  return { callback: callback.href, authorize };
}

function recordUsers(auth: AuthClient): (AuthUser | null)[] {
  const seen: (AuthUser | null)[] = [];
  auth.addEventListener('user-change', (event) => seen.push(event.detail));
  return seen;
}

describe('AuthClient user', () => {
  describe('oidc: nonce and ID token', () => {
    let signer: Key;
    let stranger: Key;
    before(async () => {
      signer = await key('k1');
      stranger = await key('k2');
    });

    /** The nonce each code was issued for, as the authorization server would remember it. */
    const nonces = new Map<string, string | undefined>();

    /** An OIDC server whose token endpoint answers with the ID token `makeIdToken` makes for the code's nonce. */
    function oidcServer(makeIdToken: (nonce: string | undefined, grant: string) => Promise<string | undefined>): FakeFetch {
      const token: Responder = async (request) => {
        const body = bodyOf(request);
        const id = await makeIdToken(nonces.get(body.code ?? ''), body.grant_type);
        return json({ access_token: `at-${body.grant_type}`, token_type: 'Bearer', expires_in: 3600, refresh_token: 'rt-1', ...(id ? { id_token: id } : {}) });
      };
      return fakeFetch(
        routes({
          [`${ISSUER}/.well-known/openid-configuration`]: () => json(METADATA),
          [`${ISSUER}/jwks`]: () => json({ keys: [signer.jwk] }),
          [`${ISSUER}/token`]: token,
          [`${ISSUER}/me`]: () => json({ sub: 'from-userinfo' }),
        }),
      );
    }

    async function signIn(auth: AuthClient, storage: MemoryStorage): Promise<{ nonce: string | undefined; authorize: URL }> {
      const { callback, authorize } = await callbackFor(auth);
      const nonce = storedTransaction(storage, authorize.searchParams.get('state') ?? '').nonce;
      nonces.set('code-1', nonce);
      await auth.handleCallback(callback);
      return { nonce, authorize };
    }

    it('sends a fresh nonce with openid, keeps it in the transaction, and sends none without openid', async () => {
      const storage = new MemoryStorage();
      const auth = client(oidcServer(async () => undefined), { provider: 'oidc', issuer: ISSUER }, storage);
      const first = await auth.createAuthorizationUrl();
      const second = await auth.createAuthorizationUrl();
      const nonce = first.searchParams.get('nonce') ?? '';
      expect(nonce).to.match(/^[A-Za-z0-9_-]{43}$/);
      expect(storedTransaction(storage, first.searchParams.get('state') ?? '').nonce).to.equal(nonce);
      expect(second.searchParams.get('nonce')).not.to.equal(nonce);

      const plain = client(oidcServer(async () => undefined), { provider: 'oidc', issuer: ISSUER, scope: 'api' }, storage);
      const url = await plain.createAuthorizationUrl();
      expect(url.searchParams.has('nonce')).to.equal(false);
      expect(storedTransaction(storage, url.searchParams.get('state') ?? '').nonce).to.equal(undefined);
    });

    it('exposes the verified claims as user before signed-in, and asks no user endpoint', async () => {
      const storage = new MemoryStorage();
      const server = oidcServer((nonce) => idToken(signer, { nonce, name: 'Ada Lovelace', email: 'ada@example.com' }));
      const auth = client(server, { provider: 'oidc', issuer: ISSUER }, storage);
      const users = recordUsers(auth);
      let userAtSignedIn: AuthUser | undefined;
      auth.addEventListener('signed-in', () => {
        userAtSignedIn = auth.user;
      });
      const { nonce } = await signIn(auth, storage);
      expect(auth.status).to.equal('signed-in');
      expect(auth.user).to.deep.include({ sub: 'ada', id: 'ada', name: 'Ada Lovelace', email: 'ada@example.com', iss: ISSUER, nonce });
      expect(userAtSignedIn).to.equal(auth.user);
      expect(users).to.deep.equal([auth.user]);
      expect(server.to(`${ISSUER}/jwks`)).to.have.length(1);
      expect(server.to(`${ISSUER}/me`)).to.have.length(0);
    });

    it('refuses an ID token with another nonce: no tokens kept, no user', async () => {
      const storage = new MemoryStorage();
      const auth = client(oidcServer(() => idToken(signer, { nonce: 'replayed-from-elsewhere' })), { provider: 'oidc', issuer: ISSUER }, storage);
      const error = (await rejection(() => signIn(auth, storage))) as IdTokenError;
      expect(error).to.be.instanceOf(IdTokenError);
      expect(error.code).to.equal('nonce_mismatch');
      expect(auth.status).to.equal('error');
      expect(auth.error).to.equal(error);
      expect(auth.user).to.equal(undefined);
      expect(((await rejection(() => auth.getAccessToken())) as SignInRequiredError).code).to.equal('not_signed_in');
    });

    it('refuses an ID token signed by another key', async () => {
      const storage = new MemoryStorage();
      const auth = client(oidcServer((nonce) => idToken({ ...stranger, jwk: { ...stranger.jwk, kid: 'k1' } }, { nonce })), { provider: 'oidc', issuer: ISSUER }, storage);
      const error = (await rejection(() => signIn(auth, storage))) as IdTokenError;
      expect(error.code).to.equal('id_token_invalid');
      expect(auth.status).to.equal('error');
      expect(auth.user).to.equal(undefined);
    });

    it('refuses an ID token when the metadata has no jwks_uri', async () => {
      const storage = new MemoryStorage();
      const server = oidcServer((nonce) => idToken(signer, { nonce }));
      const withoutKeys = fakeFetch((request) =>
        request.url.endsWith('/openid-configuration') ? json({ ...METADATA, jwks_uri: undefined }) : server.fetch(request.url, { method: request.method, body: request.body, headers: request.headers }),
      );
      const auth = client(withoutKeys, { provider: 'oidc', issuer: ISSUER }, storage);
      const error = (await rejection(() => signIn(auth, storage))) as IdTokenError;
      expect(error.code).to.equal('id_token_invalid');
      expect(error.message).to.include('jwks_uri');
    });

    it('verifies a refreshed ID token and updates the user; another sub ends the session', async () => {
      const storage = new MemoryStorage();
      let refreshSub = 'ada';
      const server = oidcServer(
        (nonce, grant) => (grant === 'refresh_token' ? idToken(signer, { sub: refreshSub, name: 'Ada L.' }) : idToken(signer, { nonce, name: 'Ada' })),
      );
      const auth = client(server, { provider: 'oidc', issuer: ISSUER }, storage);
      await signIn(auth, storage);
      expect(auth.user?.name).to.equal('Ada');
      await auth.getAccessToken({ forceRefresh: true });
      expect(auth.user).to.deep.include({ sub: 'ada', name: 'Ada L.' });

      refreshSub = 'mallory';
      const error = (await rejection(() => auth.getAccessToken({ forceRefresh: true }))) as IdTokenError;
      expect(error.code).to.equal('id_token_invalid');
      expect(auth.status).to.equal('signed-out');
      expect(auth.user).to.equal(undefined);
    });

    it('falls back to the userinfo endpoint when no ID token comes', async () => {
      const storage = new MemoryStorage();
      const auth = client(oidcServer(async () => undefined), { provider: 'oidc', issuer: ISSUER }, storage);
      const changed = oneEvent(auth, 'user-change');
      await signIn(auth, storage);
      await changed;
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(auth.user).to.deep.equal({ sub: 'from-userinfo', id: 'from-userinfo' });
    });

    it('ignores an ID token from a provider without discovered keys (never shown unverified)', async () => {
      const server = fakeFetch(() => json({ access_token: 'at', token_type: 'Bearer', id_token: 'not.even.verified' }));
      const auth = client(server, { provider: 'custom', authorizationEndpoint: `${ISSUER}/authorize`, tokenEndpoint: `${ISSUER}/token`, scope: 'openid' });
      const { callback, authorize } = await callbackFor(auth);
      expect(authorize.searchParams.has('nonce')).to.equal(false);
      await auth.handleCallback(callback);
      expect(auth.status).to.equal('signed-in');
      expect(auth.user).to.equal(undefined);
      expect(server.calls.map((call) => call.url)).to.deep.equal([`${ISSUER}/token`]);
    });
  });

  describe('qlik and genesys: the user endpoint', () => {
    const TOKENS = { access_token: 'at-1', token_type: 'Bearer', expires_in: 3600 };

    it('qlik: GET {host}/api/v1/users/me with the Bearer token, no cookies', async () => {
      const me = { id: 'u-1', tenantId: 't-1', subject: 'auth0|bob', name: 'Bob Builder', email: 'bob@example.com', status: 'active' };
      const server = fakeFetch(
        routes({ 'https://tenant.example/oauth/token': () => json(TOKENS), 'https://tenant.example/api/v1/users/me': () => json(me) }),
      );
      const auth = client(server, { host: 'tenant.example' });
      const changed = oneEvent(auth, 'user-change');
      const { callback } = await callbackFor(auth);
      await auth.handleCallback(callback);
      expect((await changed).detail).to.deep.equal(me);
      expect(auth.user).to.deep.equal(me);
      const [request] = server.to('https://tenant.example/api/v1/users/me');
      expect(request.method).to.equal('GET');
      expect(request.headers.get('Authorization')).to.equal('Bearer at-1');
      expect(request.credentials).to.equal('omit');
    });

    it('genesys: GET https://api.{region}/api/v2/users/me', async () => {
      const me = { id: '6f0c-…', name: 'Grace Hopper', email: 'grace@example.com', username: 'grace@example.com', state: 'active' };
      const server = fakeFetch(
        routes({ 'https://login.mypurecloud.de/oauth/token': () => json(TOKENS), 'https://api.mypurecloud.de/api/v2/users/me': () => json(me) }),
      );
      const auth = client(server, { provider: 'genesys', region: 'mypurecloud.de' });
      const changed = oneEvent(auth, 'user-change');
      const { callback } = await callbackFor(auth);
      await auth.handleCallback(callback);
      await changed;
      expect(auth.user).to.deep.equal(me);
      expect(server.to('https://api.mypurecloud.de/api/v2/users/me')[0].headers.get('Authorization')).to.equal('Bearer at-1');
    });

    it('a failing user endpoint leaves the sign-in alone and reports user_unavailable', async () => {
      const server = fakeFetch(
        routes({
          'https://tenant.example/oauth/token': () => json(TOKENS),
          'https://tenant.example/api/v1/users/me': () => json({ errors: [{ code: 'HTTP-403', title: 'Forbidden' }] }, 403),
        }),
      );
      const auth = client(server, { host: 'tenant.example' });
      const errors: string[] = [];
      auth.addEventListener('error', (event) => errors.push(event.detail.code));
      const failed = oneEvent(auth, 'user-error');
      const { callback } = await callbackFor(auth);
      await auth.handleCallback(callback);
      const error = (await failed).detail;
      expect(error).to.be.instanceOf(UserInfoError);
      expect(error.code).to.equal('user_unavailable');
      expect(error.message).to.include('403');
      expect(error.hint).to.include('sign-in itself worked');
      expect(auth.status).to.equal('signed-in');
      expect(auth.error).to.equal(undefined);
      expect(auth.user).to.equal(undefined);
      expect(errors).to.deep.equal([]);
      expect(await auth.getAccessToken()).to.equal('at-1');
    });

    it('sign-out clears the user, and a user answer that lands after sign-out is dropped', async () => {
      let answer: (response: Response) => void = () => undefined;
      const server = fakeFetch(
        routes({
          'https://tenant.example/oauth/token': () => json(TOKENS),
          'https://tenant.example/oauth/revoke': () => new Response(null, { status: 200 }),
          'https://tenant.example/api/v1/users/me': () => new Promise<Response>((resolve) => (answer = resolve)),
        }),
      );
      const auth = client(server, { host: 'tenant.example' });
      const users = recordUsers(auth);
      const { callback } = await callbackFor(auth);
      await auth.handleCallback(callback);
      await auth.signOut();
      answer(json({ id: 'late', name: 'Too Late' }));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(auth.user).to.equal(undefined);
      expect(users).to.deep.equal([]);

      const second = fakeFetch(
        routes({ 'https://tenant.example/oauth/token': () => json(TOKENS), 'https://tenant.example/api/v1/users/me': () => json({ id: 'u-1', name: 'Bob' }) }),
      );
      const again = client(second, { host: 'tenant.example' });
      const seen = recordUsers(again);
      const changed = oneEvent(again, 'user-change');
      await again.handleCallback((await callbackFor(again)).callback);
      await changed;
      await again.signOut();
      expect(seen).to.deep.equal([{ id: 'u-1', name: 'Bob' }, null]);
      expect(again.user).to.equal(undefined);
    });
  });
});
