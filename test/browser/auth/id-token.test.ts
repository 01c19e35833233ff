import { expect } from '@open-wc/testing';
import { exportJWK, generateKeyPair, generateSecret, SignJWT, UnsecuredJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { IdTokenError, NetworkError, TimeoutError } from '../../../src/auth/errors.ts';
import { createIdTokenVerifier, verifyIdToken, type IdTokenVerifierOptions } from '../../../src/auth/id-token.ts';
import { fakeFetch, json, never, rejection, routes, type FakeFetch } from './fakes.ts';

const ISSUER = 'https://idp.example';
const JWKS_URI = `${ISSUER}/jwks`;
const CLIENT = 'spa-client';
const NONCE = 'n-0S6_WzA2Mj';

interface KeyPair {
  privateKey: CryptoKey;
  jwk: JWK;
}

async function keyPair(kid: string, alg = 'ES256'): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

const now = () => Math.floor(Date.now() / 1000);

function sign(key: KeyPair, claims: JWTPayload = {}, header: { alg?: string; kid?: string } = {}): Promise<string> {
  const payload: JWTPayload = { iss: ISSUER, aud: CLIENT, sub: 'user-42', iat: now(), exp: now() + 300, nonce: NONCE, ...claims };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: header.alg ?? key.jwk.alg ?? 'ES256', kid: header.kid ?? key.jwk.kid, typ: 'JWT' })
    .sign(key.privateKey);
}

function jwksServer(...keys: KeyPair[]): FakeFetch {
  return fakeFetch(routes({ [JWKS_URI]: () => json({ keys: keys.map((key) => key.jwk) }) }));
}

const OPTIONS: IdTokenVerifierOptions = { issuer: ISSUER, clientId: CLIENT, jwksUri: JWKS_URI };

async function refusal(token: string, server: FakeFetch, check: { nonce?: string; subject?: string } = { nonce: NONCE }): Promise<IdTokenError> {
  const error = await rejection(() => verifyIdToken(token, { ...OPTIONS, ...check }, { fetch: server.fetch }));
  expect(error).to.be.instanceOf(IdTokenError);
  return error as IdTokenError;
}

describe('id-token', () => {
  let key: KeyPair;
  let other: KeyPair;
  before(async () => {
    key = await keyPair('key-1');
    other = await keyPair('key-2');
  });

  it('verifies a token signed with the published key, fetching the keys through the seam', async () => {
    const server = jwksServer(key);
    const claims = await verifyIdToken(await sign(key, { name: 'Ada' }), { ...OPTIONS, nonce: NONCE }, { fetch: server.fetch });
    expect(claims).to.include({ iss: ISSUER, aud: CLIENT, sub: 'user-42', nonce: NONCE, name: 'Ada' });
    expect(server.calls.map((call) => [call.method, call.url])).to.deep.equal([['GET', JWKS_URI]]);
    expect(server.calls[0].credentials).to.equal('omit');
  });

  it('verifies RS256 tokens too (the OIDC default)', async () => {
    const rsa = await keyPair('rsa-1', 'RS256');
    const claims = await verifyIdToken(await sign(rsa), { ...OPTIONS, nonce: NONCE }, { fetch: jwksServer(rsa).fetch });
    expect(claims.sub).to.equal('user-42');
  });

  it('keeps the keys between tokens, and does not hammer the key endpoint for unknown kids', async () => {
    const server = jwksServer(key);
    const verify = createIdTokenVerifier(OPTIONS, { fetch: server.fetch });
    await verify(await sign(key), { nonce: NONCE });
    await verify(await sign(key), { nonce: NONCE });
    expect(server.calls).to.have.length(1);
    // jose fetches again for an unknown kid (a rotation) only after a 30 s cool-down.
    const error = await rejection(async () => verify(await sign(other), { nonce: NONCE }));
    expect((error as IdTokenError).code).to.equal('id_token_invalid');
    expect(server.calls).to.have.length(1);
  });

  it('a new verifier fetches the keys afresh (a rotated key is found)', async () => {
    const claims = await verifyIdToken(await sign(other), { ...OPTIONS, nonce: NONCE }, { fetch: jwksServer(key, other).fetch });
    expect(claims.sub).to.equal('user-42');
  });

  it('refuses a token whose nonce was tampered with', async () => {
    const error = await refusal(await sign(key, { nonce: 'attacker-nonce' }), jwksServer(key));
    expect(error.code).to.equal('nonce_mismatch');
    expect(error.hint).to.include('sign in again');
  });

  it('refuses a token without the nonce that was sent', async () => {
    const error = await refusal(await sign(key, { nonce: undefined }), jwksServer(key));
    expect(error.code).to.equal('nonce_mismatch');
  });

  it('refuses a token signed by a different key under the published kid', async () => {
    const impostor = { ...other, jwk: { ...other.jwk, kid: 'key-1' } };
    const error = await refusal(await sign(impostor), jwksServer(key));
    expect(error.code).to.equal('id_token_invalid');
    expect(error.message).to.include('signature');
  });

  it('refuses a token signed by a key the provider does not publish', async () => {
    const server = jwksServer(key);
    const error = await refusal(await sign(other), server);
    expect(error.code).to.equal('id_token_invalid');
    expect(error.message).to.include('No single key');
    expect(error.hint).to.include('jwks_uri');
  });

  it('refuses a token whose payload was altered after signing', async () => {
    const [header, , signature] = (await sign(key)).split('.');
    const forged = btoa(JSON.stringify({ iss: ISSUER, aud: CLIENT, sub: 'admin', iat: now(), exp: now() + 300, nonce: NONCE }))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    const error = await refusal(`${header}.${forged}.${signature}`, jwksServer(key));
    expect(error.code).to.equal('id_token_invalid');
    expect(error.message).to.include('signature');
  });

  it('refuses another issuer and another audience', async () => {
    const server = jwksServer(key);
    const iss = await refusal(await sign(key, { iss: 'https://evil.example' }), server);
    expect(iss.code).to.equal('id_token_invalid');
    expect(iss.message).to.include('https://evil.example');
    const aud = await refusal(await sign(key, { aud: 'another-client' }), server);
    expect(aud.code).to.equal('id_token_invalid');
    expect(aud.message).to.include('another-client');
    expect(aud.hint).to.include('client-id');
  });

  it('wants azp to be this client when there are several audiences', async () => {
    const server = jwksServer(key);
    const error = await refusal(await sign(key, { aud: [CLIENT, 'api'] }), server);
    expect(error.message).to.include('azp');
    const claims = await verifyIdToken(await sign(key, { aud: [CLIENT, 'api'], azp: CLIENT }), { ...OPTIONS, nonce: NONCE }, { fetch: server.fetch });
    expect(claims.azp).to.equal(CLIENT);
    expect((await refusal(await sign(key, { azp: 'another-client' }), server)).message).to.include('azp');
  });

  it('refuses an expired token and one issued in the future, with a clock hint', async () => {
    const server = jwksServer(key);
    const expired = await refusal(await sign(key, { iat: now() - 600, exp: now() - 120 }), server);
    expect(expired.code).to.equal('id_token_invalid');
    expect(expired.message).to.include('expired');
    expect(expired.hint).to.include('clock');
    const future = await refusal(await sign(key, { iat: now() + 600, exp: now() + 900 }), server);
    expect(future.message).to.include('iat');
    expect(future.hint).to.include('clock');
  });

  it('tolerates a minute of clock difference', async () => {
    const claims = await verifyIdToken(await sign(key, { iat: now() + 30, exp: now() - 30 }), { ...OPTIONS, nonce: NONCE }, { fetch: jwksServer(key).fetch });
    expect(claims.sub).to.equal('user-42');
  });

  it('refuses tokens without sub, exp or iat', async () => {
    const server = jwksServer(key);
    for (const claim of ['sub', 'exp', 'iat']) {
      const error = await refusal(await sign(key, { [claim]: undefined }), server);
      expect(error.code, claim).to.equal('id_token_invalid');
      expect(error.message, claim).to.include(claim);
    }
  });

  it('refuses unsigned and HMAC-signed tokens', async () => {
    const server = jwksServer(key);
    const payload = { iss: ISSUER, aud: CLIENT, sub: 'user-42', iat: now(), exp: now() + 300, nonce: NONCE };
    const unsigned = new UnsecuredJWT(payload).encode();
    expect((await refusal(unsigned, server)).code).to.equal('id_token_invalid');
    const secret = await generateSecret('HS256');
    const hmac = await new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(secret);
    const error = await refusal(hmac, server);
    expect(error.code).to.equal('id_token_invalid');
    expect(error.message).to.include('algorithm');
  });

  it('refuses garbage', async () => {
    for (const token of ['', 'not-a-jwt', 'a.b.c']) {
      expect((await refusal(token, jwksServer(key))).code, token).to.equal('id_token_invalid');
    }
  });

  it('on refresh, skips the nonce but wants the same sub', async () => {
    const server = jwksServer(key);
    const verify = createIdTokenVerifier(OPTIONS, { fetch: server.fetch });
    const refreshed = await verify(await sign(key, { nonce: undefined }), { subject: 'user-42' });
    expect(refreshed.sub).to.equal('user-42');
    const error = await rejection(async () => verify(await sign(key, { nonce: undefined, sub: 'someone-else' }), { subject: 'user-42' }));
    expect(error).to.be.instanceOf(IdTokenError);
    expect((error as IdTokenError).code).to.equal('id_token_invalid');
    expect((error as IdTokenError).message).to.include('another user');
  });

  it('reports unreadable keys, an unreachable key endpoint and a silent one with typed errors', async () => {
    const token = await sign(key);
    const broken = fakeFetch(() => json({ error: 'nope' }, 500));
    const unreadable = await refusal(token, broken);
    expect(unreadable.code).to.equal('id_token_invalid');
    expect(unreadable.message).to.include(JWKS_URI);
    expect(unreadable.hint).to.include('jwks_uri');

    const offline = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const network = await rejection(() => verifyIdToken(token, { ...OPTIONS, nonce: NONCE }, { fetch: offline.fetch }));
    expect(network).to.be.instanceOf(NetworkError);
    expect((network as NetworkError).code).to.equal('network_error');

    const silent = fakeFetch((request) => new Promise<Response>((_resolve, reject) => {
      request.signal?.addEventListener('abort', () => reject(request.signal?.reason));
      return never<Response>();
    }));
    const timeout = await rejection(() => verifyIdToken(token, { ...OPTIONS, nonce: NONCE }, { fetch: silent.fetch, timeoutMs: 100 }));
    expect(timeout).to.be.instanceOf(TimeoutError);
    expect((timeout as TimeoutError).code).to.equal('timeout');
  });
});
