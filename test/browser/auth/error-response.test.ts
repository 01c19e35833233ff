import { expect } from '@open-wc/testing';
import { parseErrorBody, tokenEndpointError, withoutTokens } from '../../../src/auth/error-response.ts';
import { hintFor } from '../../../src/auth/error-registry.ts';
import { EmbedKitError, TokenEndpointError } from '../../../src/auth/errors.ts';

describe('error bodies', () => {
  it('reads RFC 6749 bodies', () => {
    expect(parseErrorBody({ error: 'invalid_grant', error_description: 'code reused' })).to.deep.equal({
      code: 'invalid_grant',
      description: 'code reused',
    });
  });

  it('reads Qlik bodies, with the trace id', () => {
    expect(
      parseErrorBody({ errors: [{ code: 'OAUTH-5', title: 'Unauthorized', detail: 'Cannot exchange', status: '401' }], traceId: 't1' }),
    ).to.deep.equal({ code: 'OAUTH-5', description: 'Unauthorized: Cannot exchange', traceId: 't1' });
  });

  it('ignores what is not an error body', () => {
    for (const body of [undefined, null, 'text', 42, [], { errors: [] }, { error: 5 }, { errors: [{ title: 'x' }] }]) {
      expect(parseErrorBody(body), JSON.stringify(body)).to.deep.equal({});
    }
  });

  it('keeps server text as text, including markup', () => {
    const error = tokenEndpointError(400, { error: 'invalid_request', error_description: '<img src=x onerror=alert(1)>' });
    expect(error.message).to.include('<img src=x onerror=alert(1)>');
    expect(error).to.be.instanceOf(TokenEndpointError).and.instanceOf(EmbedKitError).and.instanceOf(Error);
    expect(error.name).to.equal('TokenEndpointError');
  });

  it('shortens huge server text in the message but keeps it whole in cause', () => {
    const body = { error: 'server_error', error_description: 'x'.repeat(5000) };
    const error = tokenEndpointError(500, body);
    expect(error.message.length).to.be.below(1100);
    expect(error.cause).to.equal(body);
  });

  it('scrubs tokens at any depth, stops walking at an absurd depth, and leaves token-free bodies as they are', () => {
    let deep: unknown = { refresh_token: 'rt-deep' };
    for (let i = 0; i < 100; i += 1) deep = { next: deep };
    expect(JSON.stringify(withoutTokens(deep))).not.to.include('rt-deep');
    const clean = { error: 'invalid_grant', list: [{ a: 1 }], text: 'token_type=Bearer' };
    expect(withoutTokens(clean)).to.equal(clean);
    expect(withoutTokens('ACCESS_TOKEN=x1&Id_Token=x2')).to.equal('ACCESS_TOKEN=[redacted]&Id_Token=[redacted]');
  });

  it('names the redirect URI to register for OAUTH-1', () => {
    expect(hintFor('OAUTH-1', { redirectUri: 'https://app.example/cb' })).to.include('(https://app.example/cb)');
  });

  it('has a hint for every code the kit produces', () => {
    const codes = [
      'invalid_grant', 'invalid_client', 'unauthorized_client', 'access_denied', 'invalid_request', 'OAUTH-1',
      'OAUTH-5', 'OAUTH-14', 'CSRF-TOKEN-2', 'state_mismatch', 'missing_transaction', 'transaction_expired',
      'issuer_mismatch', 'missing_issuer', 'network_error', 'timeout', 'invalid_response', 'not_signed_in', 'token_expired',
    ];
    const generic = hintFor('something-unknown');
    for (const code of codes) {
      const hint = hintFor(code);
      expect(hint, code).to.be.a('string').and.not.equal(generic);
      expect(hint.length, code).to.be.above(20);
    }
  });

  it('falls back to a status-based hint', () => {
    expect(hintFor('http_404', { status: 404 })).to.include('endpoint URL');
    expect(hintFor('http_503', { status: 503 })).to.include('Try again');
  });
});
