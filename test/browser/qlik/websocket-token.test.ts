import { expect } from '@open-wc/testing';
import { exchangeForWebSocketToken, clearWebSocketTokenCache } from '../../../src/qlik/websocket-token.ts';
import { WebSocketTokenError } from '../../../src/qlik/errors.ts';
import { EmbedKitError } from '../../../src/auth/errors.ts';
import { FakeAuth, FakeTokenEndpoint, sleep } from './fakes.ts';
import { ManualClock } from '../../support/manual-clock.ts';

const qlikError = (status: number, code: string, detail = 'nope') =>
  Response.json({ errors: [{ code, title: 'Unauthorized', detail, status: String(status) }], traceId: 't' }, { status });

describe('exchangeForWebSocketToken', () => {
  let auth: FakeAuth;
  let endpoint: FakeTokenEndpoint;
  beforeEach(() => {
    auth = new FakeAuth();
    endpoint = new FakeTokenEndpoint();
  });

  it('posts the RFC 8693 body as JSON with credentials to {host}/oauth/token', async () => {
    const token = await exchangeForWebSocketToken(auth, { fetch: endpoint.fetch });
    expect(token).to.equal('ws-1');
    const [request] = endpoint.requests;
    expect(request?.url).to.equal('https://tenant.example.com/oauth/token');
    expect(request?.init.method).to.equal('POST');
    expect(request?.init.credentials).to.equal('include');
    expect((request?.init.headers as Record<string, string>)['content-type']).to.equal('application/json');
    expect(request?.body).to.deep.equal({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: 'access-1',
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      purpose: 'websocket',
      client_id: 'client-1',
      redirect_uri: 'https://app.example.com/callback',
    });
  });

  it('sends purpose webresource when asked, cached separately', async () => {
    await exchangeForWebSocketToken(auth, { fetch: endpoint.fetch });
    await exchangeForWebSocketToken(auth, { fetch: endpoint.fetch, purpose: 'webresource' });
    expect(endpoint.requests.map((r) => r.body.purpose)).to.deep.equal(['websocket', 'webresource']);
  });

  it('is single-flight: 20 concurrent callers make one request', async () => {
    endpoint.delayMs = 20;
    const tokens = await Promise.all(Array.from({ length: 20 }, () => exchangeForWebSocketToken(auth, { fetch: endpoint.fetch })));
    expect(endpoint.requests).to.have.length(1);
    expect(new Set(tokens)).to.deep.equal(new Set(['ws-1']));
  });

  it('caches until shortly before expiry, then exchanges again', async () => {
    const clock = new ManualClock();
    endpoint.respond = () => endpoint.ok(1); // 1 s lifetime: usable for 0.5 s
    expect(await exchangeForWebSocketToken(auth, { fetch: endpoint.fetch, clock })).to.equal('ws-1');
    expect(await exchangeForWebSocketToken(auth, { fetch: endpoint.fetch, clock })).to.equal('ws-1');
    expect(endpoint.requests).to.have.length(1);
    await clock.advance(400);
    expect(await exchangeForWebSocketToken(auth, { fetch: endpoint.fetch, clock })).to.equal('ws-1', 'within half its life');
    await clock.advance(200);
    expect(await exchangeForWebSocketToken(auth, { fetch: endpoint.fetch, clock })).to.equal('ws-2');
  });

  it('does not reuse a token without expires_in', async () => {
    endpoint.respond = () => endpoint.ok(null);
    await exchangeForWebSocketToken(auth, { fetch: endpoint.fetch });
    await exchangeForWebSocketToken(auth, { fetch: endpoint.fetch });
    expect(endpoint.requests).to.have.length(2);
  });

  it('fresh: true always exchanges again (every resume)', async () => {
    await exchangeForWebSocketToken(auth, { fetch: endpoint.fetch });
    expect(await exchangeForWebSocketToken(auth, { fetch: endpoint.fetch, fresh: true })).to.equal('ws-2');
    expect(endpoint.requests).to.have.length(2);
  });

  it('never serves a token made for another access token', async () => {
    await exchangeForWebSocketToken(auth, { fetch: endpoint.fetch });
    auth.accessToken = 'access-7';
    await exchangeForWebSocketToken(auth, { fetch: endpoint.fetch });
    expect(endpoint.requests.map((r) => r.body.subject_token)).to.deep.equal(['access-1', 'access-7']);
  });

  it('clearWebSocketTokenCache forgets cached tokens', async () => {
    await exchangeForWebSocketToken(auth, { fetch: endpoint.fetch });
    clearWebSocketTokenCache(auth);
    await exchangeForWebSocketToken(auth, { fetch: endpoint.fetch });
    expect(endpoint.requests).to.have.length(2);
  });

  it('OAUTH-5: typed error with the user-flow hint, body in cause, no retry', async () => {
    endpoint.respond = () => qlikError(401, 'OAUTH-5', 'Cannot perform exchange with given Oauth configuration');
    const error = await exchangeForWebSocketToken(auth, { fetch: endpoint.fetch }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(WebSocketTokenError).and.instanceOf(EmbedKitError);
    const typed = error as WebSocketTokenError;
    expect(typed.code).to.equal('OAUTH-5');
    expect(typed.status).to.equal(401);
    expect(typed.message).to.contain('Cannot perform exchange');
    expect(typed.hint).to.match(/user sign-in/).and.match(/client-credentials/);
    expect((typed.cause as { traceId: string }).traceId).to.equal('t');
    expect(endpoint.requests).to.have.length(1);
    expect(auth.tokenCalls.some((c) => c.forceRefresh)).to.equal(false);
  });

  it('on another 401 refreshes the access token and retries once', async () => {
    endpoint.respond = (_request, index) => (index === 0 ? Response.json({ error: 'invalid_token' }, { status: 401 }) : endpoint.ok());
    expect(await exchangeForWebSocketToken(auth, { fetch: endpoint.fetch })).to.equal('ws-1');
    expect(endpoint.requests.map((r) => r.body.subject_token)).to.deep.equal(['access-1', 'access-2']);
    expect(auth.tokenCalls.filter((c) => c.forceRefresh)).to.have.length(1);
  });

  it('gives up after the one retry', async () => {
    endpoint.respond = () => Response.json({ error: 'invalid_token', error_description: 'bad token' }, { status: 401 });
    const error = (await exchangeForWebSocketToken(auth, { fetch: endpoint.fetch }).catch((e: unknown) => e)) as WebSocketTokenError;
    expect(error.code).to.equal('invalid_token');
    expect(error.message).to.contain('bad token');
    expect(endpoint.requests).to.have.length(2);
  });

  it('maps standard OAuth errors and unknown statuses', async () => {
    endpoint.respond = () => Response.json({ error: 'invalid_grant', error_description: 'expired' }, { status: 400 });
    const grant = (await exchangeForWebSocketToken(auth, { fetch: endpoint.fetch }).catch((e: unknown) => e)) as WebSocketTokenError;
    expect(grant.code).to.equal('invalid_grant');
    expect(grant.hint).to.match(/Sign in again/);
    endpoint.respond = () => new Response('oops', { status: 502 });
    const bad = (await exchangeForWebSocketToken(auth, { fetch: endpoint.fetch }).catch((e: unknown) => e)) as WebSocketTokenError;
    expect(bad.code).to.equal('http_502');
  });

  it('a network failure is a typed network_error', async () => {
    const failing: typeof fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    const error = (await exchangeForWebSocketToken(auth, { fetch: failing }).catch((e: unknown) => e)) as WebSocketTokenError;
    expect(error).to.be.instanceOf(WebSocketTokenError);
    expect(error.code).to.equal('network_error');
    expect(error.cause).to.be.instanceOf(TypeError);
  });

  it('an answer without access_token is invalid_response', async () => {
    endpoint.respond = () => Response.json({ token_type: 'Bearer' });
    const error = (await exchangeForWebSocketToken(auth, { fetch: endpoint.fetch }).catch((e: unknown) => e)) as WebSocketTokenError;
    expect(error.code).to.equal('invalid_response');
  });

  it('one caller aborting does not fail the others sharing the request', async () => {
    endpoint.delayMs = 30;
    const controller = new AbortController();
    const aborted = exchangeForWebSocketToken(auth, { fetch: endpoint.fetch, signal: controller.signal }).catch((e: unknown) => e);
    const other = exchangeForWebSocketToken(auth, { fetch: endpoint.fetch });
    await sleep(5);
    controller.abort();
    expect(((await aborted) as DOMException).name).to.equal('AbortError');
    expect(await other).to.equal('ws-1');
    expect(endpoint.requests).to.have.length(1);
  });

  it('passes through the sign-in\'s own error when not signed in', async () => {
    auth.status = 'signed-out';
    const error = (await exchangeForWebSocketToken(auth, { fetch: endpoint.fetch }).catch((e: unknown) => e)) as Error;
    expect(error.message).to.equal('not signed in');
    expect(endpoint.requests).to.have.length(0);
  });

  it('refuses a sign-in without host with missing_host, sending nothing', async () => {
    const noHost = Object.assign(new FakeAuth(), { host: '' });
    const error = (await exchangeForWebSocketToken(noHost, { fetch: endpoint.fetch }).catch((e: unknown) => e)) as { code?: string };
    expect(error.code).to.equal('missing_host');
    expect(endpoint.requests).to.have.length(0);
  });

  it('never sends the access token over plain http to a non-loopback host (insecure_endpoint)', async () => {
    const plain = Object.assign(new FakeAuth(), { host: 'http://tenant.example.com' });
    const error = (await exchangeForWebSocketToken(plain, { fetch: endpoint.fetch }).catch((e: unknown) => e)) as { code?: string; hint?: string };
    expect(error.code).to.equal('insecure_endpoint');
    expect(error.hint).to.contain('https://tenant.example.com');
    expect(endpoint.requests).to.have.length(0);
  });
});
