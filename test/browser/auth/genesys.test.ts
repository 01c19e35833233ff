/**
 * The Genesys Cloud preset, and the pitfalls docs/genesys.md says the kit prevents or explains:
 * a padded PKCE value, a redirect URI mismatch, an expired code.
 */
import { expect } from '@open-wc/testing';
import { AuthClient } from '../../../src/auth/client.ts';
import { AuthorizationResponseError, TokenEndpointError } from '../../../src/auth/errors.ts';
import { computeCodeChallenge } from '../../../src/auth/pkce.ts';
import { checkProviderOptions, resolveProvider } from '../../../src/auth/providers.ts';
import type { LoginTransaction } from '../../../src/auth/transaction.ts';
import { configurationCode, bodyOf, fakeFetch, json, MemoryStorage, rejection, routes, type FakeFetch, type Responder, TRANSACTION_PREFIX } from './fakes.ts';

const REGION = 'mypurecloud.com';
const TOKEN_URL = `https://login.${REGION}/oauth/token`;
const USER_URL = `https://api.${REGION}/api/v2/users/me`;
const REDIRECT = 'https://app.example/embed/';

function genesys(token: Responder): { auth: AuthClient; server: FakeFetch; storage: MemoryStorage } {
  const server = fakeFetch(routes({ [TOKEN_URL]: token, [USER_URL]: () => json({ id: 'u-1', name: 'Grace' }) }));
  const storage = new MemoryStorage();
  const auth = new AuthClient({ provider: 'genesys', region: REGION, clientId: 'gc-spa', redirectUri: REDIRECT, storage, fetch: server.fetch });
  return { auth, server, storage };
}

async function callbackFor(auth: AuthClient, params: Record<string, string> = { code: 'gc-code' }): Promise<{ callback: string; authorize: URL }> {
  const authorize = await auth.createAuthorizationUrl();
  const callback = new URL(REDIRECT);
  for (const [name, value] of Object.entries(params)) callback.searchParams.set(name, value);
  callback.searchParams.set('state', authorize.searchParams.get('state') ?? '');
  return { callback: callback.href, authorize };
}

describe('genesys preset', () => {
  it('builds https://login.{region}/oauth/authorize and /oauth/token, and the api host', async () => {
    const resolved = await resolveProvider({ provider: 'genesys', region: 'mypurecloud.com' });
    expect(resolved.authorizationEndpoint).to.equal('https://login.mypurecloud.com/oauth/authorize');
    expect(resolved.tokenEndpoint).to.equal('https://login.mypurecloud.com/oauth/token');
    expect(resolved.userinfoEndpoint).to.equal('https://api.mypurecloud.com/api/v2/users/me');
    expect(resolved.host).to.equal('https://api.mypurecloud.com');
  });

  it('uses plain http only for a loopback region (tests), https for every real one', async () => {
    const local = await resolveProvider({ provider: 'genesys', region: 'localhost:4010' });
    expect(local.authorizationEndpoint).to.equal('http://login.localhost:4010/oauth/authorize');
    expect(local.tokenEndpoint).to.equal('http://login.localhost:4010/oauth/token');
    expect(local.userinfoEndpoint).to.equal('http://api.localhost:4010/api/v2/users/me');
    expect((await resolveProvider({ provider: 'genesys', region: 'gc.localhost' })).tokenEndpoint).to.equal('http://login.gc.localhost/oauth/token');
    // Only a name that ends in localhost is loopback; a look-alike is an ordinary domain, over https.
    for (const region of ['usw2.pure.cloud', 'MYPURECLOUD.DE', 'euw2.pure.cloud', 'localhost.evil.example']) {
      expect((await resolveProvider({ provider: 'genesys', region })).tokenEndpoint, region).to.match(/^https:\/\/login\./);
    }
  });

  it('refuses regions with a port (off loopback), a scheme or a path', () => {
    for (const region of ['mypurecloud.com:8080', 'http://mypurecloud.com', 'localhost.evil.example:80', 'evil.example/localhost', 'mypurecloud.com/', 'localhost:99999x']) {
      expect(configurationCode(() => checkProviderOptions({ provider: 'genesys', region })), region).to.equal('invalid_option');
    }
  });

  describe('pitfall: a padded verifier or challenge', () => {
    it('sends an unpadded base64url S256 challenge and an unpadded verifier, every time', async () => {
      const { auth, server, storage } = genesys(() => json({ access_token: 'at', token_type: 'bearer', expires_in: 86399 }));
      for (let i = 0; i < 25; i += 1) {
        const url = await auth.createAuthorizationUrl();
        const challenge = url.searchParams.get('code_challenge') ?? '';
        // SHA-256 is 32 bytes: 43 characters unpadded; padded base64 would be 44 ending in '='.
        expect(challenge).to.match(/^[A-Za-z0-9_-]{43}$/);
        expect(url.href).not.to.match(/%3D|=(&|$)/);
        const verifier = (JSON.parse(storage.getItem(TRANSACTION_PREFIX + url.searchParams.get('state')) ?? '{}') as LoginTransaction).verifier;
        expect(challenge).to.equal(await computeCodeChallenge(verifier));
      }
      const { callback } = await callbackFor(auth);
      await auth.handleCallback(callback);
      const body = bodyOf(server.to(TOKEN_URL)[0]);
      expect(body.code_verifier).to.match(/^[A-Za-z0-9._~-]{43,128}$/);
      expect(server.to(TOKEN_URL)[0].body).not.to.include('%3D');
      expect(server.to(TOKEN_URL)[0].headers.get('Content-Type')).to.include('application/x-www-form-urlencoded');
    });
  });

  describe('pitfall: a redirect URI mismatch', () => {
    it('repeats on the token request the exact redirect_uri of the authorize request, trailing slash and all', async () => {
      const { auth, server } = genesys(() => json({ access_token: 'at', token_type: 'bearer' }));
      const { callback, authorize } = await callbackFor(auth);
      expect(authorize.searchParams.get('redirect_uri')).to.equal(REDIRECT);
      await auth.handleCallback(callback);
      expect(bodyOf(server.to(TOKEN_URL)[0]).redirect_uri).to.equal(REDIRECT);
    });

    it('names the exact redirect_uri to register when the token endpoint refuses it', async () => {
      const { auth } = genesys(() => json({ error: 'invalid_request', error_description: 'Invalid redirect_uri' }, 400));
      const error = (await rejection(async () => auth.handleCallback((await callbackFor(auth)).callback))) as TokenEndpointError;
      expect(error).to.be.instanceOf(TokenEndpointError);
      expect(error.code).to.equal('invalid_request');
      expect(error.hint).to.include(`(${REDIRECT})`);
      expect(error.hint).to.include('Register exactly this URI');
      expect(auth.status).to.equal('error');
    });

    it('names it too when the authorization server sends the user back with the error', async () => {
      const { auth, server } = genesys(() => json({ access_token: 'at', token_type: 'bearer' }));
      const { callback } = await callbackFor(auth, { error: 'invalid_request', error_description: 'redirect uri is not registered for this client' });
      const error = (await rejection(() => auth.handleCallback(callback))) as AuthorizationResponseError;
      expect(error).to.be.instanceOf(AuthorizationResponseError);
      expect(error.code).to.equal('invalid_request');
      expect(error.hint).to.include(`(${REDIRECT})`);
      expect(server.to(TOKEN_URL)).to.have.length(0);
    });

    it('keeps the specific hint of a code that already has one', async () => {
      const { auth } = genesys(() => json({ errors: [{ code: 'OAUTH-1', title: 'redirect_uri not registered' }] }, 400));
      const error = (await rejection(async () => auth.handleCallback((await callbackFor(auth)).callback))) as TokenEndpointError;
      expect(error.code).to.equal('OAUTH-1');
      expect(error.hint).to.include('tenant\'s OAuth client settings');
    });
  });

  describe('pitfall: an expired code', () => {
    it('exchanges the code once, at once, and explains invalid_grant', async () => {
      const { auth, server } = genesys(() => json({ error: 'invalid_grant', error_description: 'authorization code expired' }, 400));
      const { callback } = await callbackFor(auth);
      // Handled twice, as a framework mounting twice would: still one request.
      const results = await Promise.allSettled([auth.handleCallback(callback), auth.handleCallback(callback)]);
      expect(server.to(TOKEN_URL)).to.have.length(1);
      const error = (results[0] as PromiseRejectedResult).reason as TokenEndpointError;
      expect(error.code).to.equal('invalid_grant');
      expect(error.status).to.equal(400);
      expect(error.hint).to.include('expired');
      expect(error.hint).to.include('sign in again');
      expect(auth.status).to.equal('error');
      expect(server.to(USER_URL)).to.have.length(0);
    });
  });
});
