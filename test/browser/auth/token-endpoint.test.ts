import { expect } from '@open-wc/testing';
import { NetworkError, TimeoutError, TokenEndpointError } from '../../../src/auth/errors.ts';
import {
  exchangeAuthorizationCode,
  refreshTokens,
  requestToken,
  revokeToken,
} from '../../../src/auth/token-endpoint.ts';
import { bodyOf, fakeFetch, json, never, rejection } from './fakes.ts';

const TOKEN_URL = 'https://tenant.example/oauth/token';
const REDIRECT = 'https://app.example/callback';
const OK = { access_token: 'at-1', token_type: 'Bearer', expires_in: 3600, refresh_token: 'rt-1' };

const grant = { clientId: 'client-1', code: 'code-1', codeVerifier: 'v'.repeat(43), redirectUri: REDIRECT };

describe('token endpoint', () => {
  describe('requests', () => {
    it('sends the code exchange form-urlencoded by default', async () => {
      const server = fakeFetch(() => json(OK));
      const tokens = await exchangeAuthorizationCode(TOKEN_URL, grant, { fetch: server.fetch });
      expect(tokens).to.deep.equal(OK);
      expect(server.calls).to.have.length(1);
      const [call] = server.calls;
      expect(call.method).to.equal('POST');
      expect(call.url).to.equal(TOKEN_URL);
      expect(call.headers.get('Content-Type')).to.equal('application/x-www-form-urlencoded;charset=UTF-8');
      expect(call.credentials).to.equal(undefined);
      expect(Object.fromEntries(new URLSearchParams(call.body))).to.deep.equal({
        grant_type: 'authorization_code',
        code: 'code-1',
        redirect_uri: REDIRECT,
        code_verifier: 'v'.repeat(43),
        client_id: 'client-1',
      });
    });

    it('sends JSON with credentials when asked (the Qlik way)', async () => {
      const server = fakeFetch(() => json(OK));
      await exchangeAuthorizationCode(
        TOKEN_URL,
        { ...grant, scope: 'user_default' },
        { fetch: server.fetch, format: 'json', credentials: 'include' },
      );
      const [call] = server.calls;
      expect(call.headers.get('Content-Type')).to.equal('application/json');
      expect(call.credentials).to.equal('include');
      expect(JSON.parse(call.body)).to.deep.equal({
        grant_type: 'authorization_code',
        code: 'code-1',
        redirect_uri: REDIRECT,
        code_verifier: 'v'.repeat(43),
        client_id: 'client-1',
        scope: 'user_default',
      });
    });

    it('encodes values that need it', async () => {
      const server = fakeFetch(() => json(OK));
      await requestToken(TOKEN_URL, { grant_type: 'x', weird: 'a&b=c d+é~' }, { fetch: server.fetch });
      expect(server.calls[0].body).to.equal('grant_type=x&weird=a%26b%3Dc+d%2B%C3%A9~');
      expect(bodyOf(server.calls[0]).weird).to.equal('a&b=c d+é~');
    });

    it('sends the refresh_token grant', async () => {
      const server = fakeFetch(() => json(OK));
      await refreshTokens(TOKEN_URL, { clientId: 'client-1', refreshToken: 'rt-0' }, { fetch: server.fetch });
      expect(bodyOf(server.calls[0])).to.deep.equal({
        grant_type: 'refresh_token',
        refresh_token: 'rt-0',
        client_id: 'client-1',
      });
    });

    it('revokes with token and token_type_hint (RFC 7009)', async () => {
      const server = fakeFetch(() => new Response(null, { status: 200 }));
      await revokeToken(
        'https://tenant.example/oauth/revoke',
        { clientId: 'client-1', token: 'rt-1', tokenTypeHint: 'refresh_token' },
        { fetch: server.fetch, format: 'json' },
      );
      expect(server.calls[0].url).to.equal('https://tenant.example/oauth/revoke');
      expect(JSON.parse(server.calls[0].body)).to.deep.equal({
        token: 'rt-1',
        token_type_hint: 'refresh_token',
        client_id: 'client-1',
      });
    });

    it('rejects a failed revocation with a typed error', async () => {
      const server = fakeFetch(() => json({ error: 'unsupported_token_type' }, 400));
      const error = (await rejection(() =>
        revokeToken('https://tenant.example/oauth/revoke', { clientId: 'c', token: 't' }, { fetch: server.fetch }),
      )) as TokenEndpointError;
      expect(error).to.be.instanceOf(TokenEndpointError);
      expect(error.code).to.equal('unsupported_token_type');
    });
  });

  describe('success body', () => {
    it('accepts expires_in as a numeric string and drops empty optionals', async () => {
      const server = fakeFetch(() => json({ access_token: 'a', token_type: 'bearer', expires_in: '60', refresh_token: null }));
      const tokens = await requestToken(TOKEN_URL, {}, { fetch: server.fetch });
      expect(tokens.expires_in).to.equal(60);
      expect('refresh_token' in tokens).to.equal(false);
    });

    const malformed: [string, unknown][] = [
      ['no access_token', { token_type: 'Bearer' }],
      ['empty access_token', { access_token: '', token_type: 'Bearer' }],
      ['no token_type', { access_token: 'a' }],
      ['expires_in not a number', { access_token: 'a', token_type: 'Bearer', expires_in: 'soon' }],
      ['negative expires_in', { access_token: 'a', token_type: 'Bearer', expires_in: -5 }],
      ['refresh_token not a string', { access_token: 'a', token_type: 'Bearer', refresh_token: 5 }],
      ['an array', [OK]],
    ];
    for (const [name, body] of malformed) {
      it(`refuses a 200 with ${name} as invalid_response`, async () => {
        const server = fakeFetch(() => json(body));
        const error = (await rejection(() => requestToken(TOKEN_URL, {}, { fetch: server.fetch }))) as TokenEndpointError;
        expect(error).to.be.instanceOf(TokenEndpointError);
        expect(error.code).to.equal('invalid_response');
        // F8: a refused token response keeps no token in `cause` (in an array too), whatever else it keeps.
        const redact = (value: unknown): unknown =>
          Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, member]) => [name, /^(access|refresh|id)_token$/.test(name) ? '[redacted]' : member]));
        expect(error.cause).to.deep.equal(Array.isArray(body) ? body.map(redact) : redact(body));
        expect(error.hint).to.include('token endpoint');
      });
    }

    it('refuses a 200 HTML page (a login page or proxy) as invalid_response', async () => {
      const server = fakeFetch(() => new Response('<html>Sign in</html>', { status: 200 }));
      const error = (await rejection(() => requestToken(TOKEN_URL, {}, { fetch: server.fetch }))) as TokenEndpointError;
      expect(error.code).to.equal('invalid_response');
      expect(error.cause).to.equal('<html>Sign in</html>');
    });
  });

  describe('errors', () => {
    const standard: [string, number, string][] = [
      ['invalid_grant', 400, 'code expired, was already used, or the code_verifier did not match'],
      ['invalid_client', 401, 'public (single-page) client'],
      ['unauthorized_client', 400, 'authorization code grant'],
      ['access_denied', 403, 'declined'],
      ['invalid_request', 400, 'form or a JSON body'],
    ];
    for (const [code, status, hint] of standard) {
      it(`maps RFC 6749 ${code} with its hint and the body as cause`, async () => {
        const body = { error: code, error_description: `described ${code}` };
        const server = fakeFetch(() => json(body, status));
        const error = (await rejection(() => exchangeAuthorizationCode(TOKEN_URL, grant, { fetch: server.fetch }))) as TokenEndpointError;
        expect(error).to.be.instanceOf(TokenEndpointError);
        expect(error.code).to.equal(code);
        expect(error.status).to.equal(status);
        expect(error.hint).to.include(hint);
        expect(error.cause).to.deep.equal(body);
        expect(error.message).to.include(`described ${code}`);
      });
    }

    it('tells invalid_grant to sign in again and to look for a double exchange', async () => {
      const server = fakeFetch(() => json({ error: 'invalid_grant' }, 400));
      const error = (await rejection(() => exchangeAuthorizationCode(TOKEN_URL, grant, { fetch: server.fetch }))) as TokenEndpointError;
      expect(error.hint).to.include('sign in again').and.include('exchanges the code twice');
    });

    const qlik: [string, string, string][] = [
      ['OAUTH-1', '400', `redirect_uri (${REDIRECT}) is not registered`],
      // At the code exchange OAUTH-5 is about the authorize cookies, a JSON body and user_default,
      // not the machine-token text that fits the websocket-token exchange.
      ['OAUTH-5', '401', "credentials: 'include'"],
      ['OAUTH-29', '403', "OAuth client's allowed origins"],
      ['AUTH-5', '403', 'Invite the user to the tenant'],
      ['OAUTH-14', '400', 'client id is unknown or not authorised'],
      ['CSRF-TOKEN-2', '403', 'allowed origins'],
    ];
    for (const [code, status, hint] of qlik) {
      it(`maps Qlik ${code} with its hint and the body as cause`, async () => {
        const body = { errors: [{ code, title: 'Bad', detail: `detail of ${code}`, status }], traceId: 'trace-9' };
        const server = fakeFetch(() => json(body, Number(status)));
        const error = (await rejection(() =>
          exchangeAuthorizationCode(TOKEN_URL, grant, { fetch: server.fetch, format: 'json' }),
        )) as TokenEndpointError;
        expect(error).to.be.instanceOf(TokenEndpointError);
        expect(error.code).to.equal(code);
        expect(error.status).to.equal(Number(status));
        expect(error.hint).to.include(hint);
        expect(error.cause).to.deep.equal(body);
        expect(error.message).to.include(`Bad: detail of ${code}`);
      });
    }

    it('prefers the Qlik code over the standard one when both are present', async () => {
      const body = { error: 'invalid_request', errors: [{ code: 'OAUTH-1', title: 'Bad redirect', status: '400' }] };
      const server = fakeFetch(() => json(body, 400));
      const error = (await rejection(() => exchangeAuthorizationCode(TOKEN_URL, grant, { fetch: server.fetch }))) as TokenEndpointError;
      expect(error.code).to.equal('OAUTH-1');
    });

    it('falls back to http_<status> for bodies it does not understand, keeping the text', async () => {
      const server = fakeFetch(() => new Response('<h1>Bad gateway</h1>', { status: 502 }));
      const error = (await rejection(() => requestToken(TOKEN_URL, {}, { fetch: server.fetch }))) as TokenEndpointError;
      expect(error.code).to.equal('http_502');
      expect(error.status).to.equal(502);
      expect(error.cause).to.equal('<h1>Bad gateway</h1>');
      expect(error.hint).to.include('Try again');
    });

    it('treats a 200 carrying an error body as that error', async () => {
      const server = fakeFetch(() => json({ error: 'invalid_grant' }, 200));
      const error = (await rejection(() => requestToken(TOKEN_URL, {}, { fetch: server.fetch }))) as TokenEndpointError;
      expect(error.code).to.equal('invalid_grant');
    });

    it('rejects a network failure with network_error', async () => {
      const failure = new TypeError('Failed to fetch');
      const server = fakeFetch(() => Promise.reject(failure));
      const error = (await rejection(() => requestToken(TOKEN_URL, {}, { fetch: server.fetch }))) as NetworkError;
      expect(error).to.be.instanceOf(NetworkError);
      expect(error.code).to.equal('network_error');
      expect(error.cause).to.equal(failure);
      expect(error.hint).to.include('https://tenant.example').and.include('CORS');
    });

    it('rejects a server that never answers with timeout', async () => {
      const server = fakeFetch(() => never<Response>());
      const error = (await rejection(() => requestToken(TOKEN_URL, {}, { fetch: server.fetch, timeoutMs: 50 }))) as TimeoutError;
      expect(error).to.be.instanceOf(TimeoutError);
      expect(error.code).to.equal('timeout');
      expect(error.hint).to.include('50 ms');
      // The fetch was handed a signal that fired, so a real fetch would have been cancelled.
      expect(server.calls[0].signal?.aborted).to.equal(true);
    });

    it('rejects a body that never finishes with timeout', async () => {
      const stalled = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"access_'));
        },
      });
      const server = fakeFetch(() => new Response(stalled, { status: 200 }));
      const error = (await rejection(() => requestToken(TOKEN_URL, {}, { fetch: server.fetch, timeoutMs: 50 }))) as TimeoutError;
      expect(error.code).to.equal('timeout');
    });

    it('rejects with the caller\'s reason when the caller aborts', async () => {
      const controller = new AbortController();
      const server = fakeFetch(() => never<Response>());
      const pending = requestToken(TOKEN_URL, {}, { fetch: server.fetch, signal: controller.signal });
      const reason = new DOMException('page left', 'AbortError');
      controller.abort(reason);
      expect(await rejection(() => pending)).to.equal(reason);
    });

    it('refuses a nonsensical timeout with a TypeError', async () => {
      for (const timeoutMs of [0, -1, Number.POSITIVE_INFINITY]) {
        expect(await rejection(() => requestToken(TOKEN_URL, {}, { fetch: fakeFetch(() => json(OK)).fetch, timeoutMs }))).to.be.instanceOf(TypeError);
      }
    });
  });
});
