import { expect } from '@open-wc/testing';
import {
  cleanCallbackUrl,
  isCallbackUrl,
  parseCallback,
  safeReturnPath,
  stripCallbackParameters,
  takeCallbackTransaction,
  validateCallback,
} from '../../../src/auth/callback.ts';
import { AuthorizationResponseError } from '../../../src/auth/errors.ts';
import { saveTransaction, type LoginTransaction } from '../../../src/auth/transaction.ts';
import { MemoryStorage } from './fakes.ts';

const ISSUER = 'https://honest.as.example';

function transaction(overrides: Partial<LoginTransaction> = {}): LoginTransaction {
  return {
    state: 'S1',
    verifier: 'v'.repeat(43),
    redirectUri: 'https://app.example/cb',
    returnPath: '/',
    createdAt: Date.now(),
    ...overrides,
  };
}

function refusal(body: () => unknown): AuthorizationResponseError {
  try {
    body();
  } catch (error) {
    expect(error).to.be.instanceOf(AuthorizationResponseError);
    return error as AuthorizationResponseError;
  }
  throw new Error('expected an AuthorizationResponseError');
}

describe('callback', () => {
  describe('parseCallback', () => {
    it('reads the response from the query', () => {
      expect(parseCallback(`https://app.example/cb?code=c%2B1&state=S1&iss=${encodeURIComponent(ISSUER)}&other=x`)).to.deep.equal({
        code: 'c+1',
        state: 'S1',
        iss: ISSUER,
      });
    });

    it('reads an error response', () => {
      expect(parseCallback('https://app.example/cb?error=access_denied&error_description=No%20way&state=S1')).to.deep.equal({
        error: 'access_denied',
        error_description: 'No way',
        state: 'S1',
      });
    });

    it('falls back to the fragment, also behind a hash route', () => {
      expect(parseCallback('https://app.example/cb#code=c1&state=S1')).to.deep.equal({ code: 'c1', state: 'S1' });
      expect(parseCallback('https://app.example/#/cb?code=c1&state=S1')).to.deep.equal({ code: 'c1', state: 'S1' });
      expect(parseCallback('https://app.example/cb?code=q&state=Q#code=h&state=H')).to.deep.equal({ code: 'q', state: 'Q' });
    });

    it('recognises callback URLs', () => {
      expect(isCallbackUrl('https://app.example/cb?code=c&state=s')).to.equal(true);
      expect(isCallbackUrl('https://app.example/cb?error=access_denied&state=s')).to.equal(true);
      expect(isCallbackUrl('https://app.example/cb?code=c')).to.equal(false);
      expect(isCallbackUrl('https://app.example/cb?state=s')).to.equal(false);
      expect(isCallbackUrl('https://app.example/cb')).to.equal(false);
    });
  });

  describe('validateCallback', () => {
    it('accepts a matching state and returns the code and transaction', () => {
      const storage = new MemoryStorage();
      saveTransaction(transaction(), { storage });
      const result = validateCallback({ code: 'c1', state: 'S1' }, { storage });
      expect(result.code).to.equal('c1');
      expect(result.transaction.verifier).to.equal('v'.repeat(43));
      expect(storage.length).to.equal(0);
    });

    it('refuses a state that is not the pending sign-in\'s, and leaves that sign-in alone', () => {
      const storage = new MemoryStorage();
      saveTransaction(transaction(), { storage });
      const error = refusal(() => validateCallback({ code: 'c1', state: 'FORGED' }, { storage }));
      expect(error.code).to.equal('state_mismatch');
      expect(error.hint).to.include('Nothing was exchanged');
      expect(storage.length).to.equal(1);
    });

    it('refuses a callback without state', () => {
      expect(refusal(() => takeCallbackTransaction({ code: 'c1' }, { storage: new MemoryStorage() })).code).to.equal('state_mismatch');
    });

    it('refuses a state different from a given transaction', () => {
      expect(refusal(() => validateCallback({ code: 'c', state: 'S2' }, { transaction: transaction() })).code).to.equal('state_mismatch');
    });

    it('says missing_transaction when no sign-in is pending (a revisit)', () => {
      const error = refusal(() => validateCallback({ code: 'c1', state: 'S1' }, { storage: new MemoryStorage() }));
      expect(error.code).to.equal('missing_transaction');
    });

    it('accepts the expected iss (RFC 9207)', () => {
      const result = validateCallback({ code: 'c', state: 'S1', iss: ISSUER }, { transaction: transaction({ issuer: ISSUER }) });
      expect(result.code).to.equal('c');
    });

    it('refuses a different iss, even with an error response', () => {
      for (const params of [
        { code: 'c', state: 'S1', iss: 'https://attacker.example' },
        { error: 'access_denied', state: 'S1', iss: 'https://attacker.example' },
        { code: 'c', state: 'S1', iss: `${ISSUER}/` },
      ]) {
        const error = refusal(() => validateCallback(params, { transaction: transaction({ issuer: ISSUER }) }));
        expect(error.code, JSON.stringify(params)).to.equal('issuer_mismatch');
        expect(error.hint).to.include('RFC 9207');
      }
    });

    it('refuses a missing iss when the metadata promises one', () => {
      const error = refusal(() =>
        validateCallback({ code: 'c', state: 'S1' }, { transaction: transaction(), expectedIssuer: ISSUER, requireIssuer: true }),
      );
      expect(error.code).to.equal('missing_issuer');
    });

    it('accepts a missing iss when the server does not promise one', () => {
      expect(validateCallback({ code: 'c', state: 'S1' }, { transaction: transaction({ issuer: ISSUER }) }).code).to.equal('c');
    });

    it('turns error= into a typed error with the description as plain text', () => {
      const description = '<img src=x onerror="alert(1)">Denied';
      const params = { error: 'access_denied', error_description: description, state: 'S1' };
      const error = refusal(() => validateCallback(params, { transaction: transaction() }));
      expect(error.code).to.equal('access_denied');
      expect(error.message).to.equal(`Sign-in failed (access_denied): ${description}`);
      expect(error.hint).to.include('declined');
      expect(error.cause).to.deep.equal(params);
    });

    it('refuses a response with neither code nor error', () => {
      expect(refusal(() => validateCallback({ state: 'S1' }, { transaction: transaction() })).code).to.equal('missing_code');
    });
  });

  describe('cleaning the URL', () => {
    it('strips response parameters from query and fragment, keeping the rest', () => {
      expect(
        stripCallbackParameters('https://app.example/cb?x=1&code=c&state=s&iss=i&session_state=ss&error=e&error_description=d&error_uri=u#top').href,
      ).to.equal('https://app.example/cb?x=1#top');
      expect(stripCallbackParameters('https://app.example/cb#code=c&state=s').href).to.equal('https://app.example/cb');
      expect(stripCallbackParameters('https://app.example/#/route?code=c&state=s&tab=2').href).to.equal(
        'https://app.example/#/route?tab=2',
      );
    });

    it('replaces the page URL with history.replaceState', () => {
      const original = location.href;
      const before = history.length;
      try {
        const dirty = new URL(original);
        dirty.searchParams.set('code', 'the-code');
        dirty.searchParams.set('state', 'the-state');
        history.replaceState(history.state, '', dirty.href);
        const cleaned = cleanCallbackUrl();
        expect(location.href).to.equal(cleaned.href);
        expect(location.href).not.to.include('the-code');
        expect(location.href).not.to.include('the-state');
        expect(history.length).to.equal(before);
      } finally {
        history.replaceState(history.state, '', original);
      }
    });
  });

  describe('safeReturnPath', () => {
    const origin = 'https://app.example';
    const cases: [string | undefined, string][] = [
      ['/reports?id=1#top', '/reports?id=1#top'],
      ['https://app.example/a/b?c', '/a/b?c'],
      ['/', '/'],
      [undefined, '/'],
      ['', '/'],
      ['//evil.example/x', '/'],
      ['/\\evil.example', '/'],
      ['\\\\evil.example', '/'],
      ['/\t/evil.example', '/'],
      ['https://other.example/x', '/'],
      ['https://app.example.evil.example/', '/'],
      ['https://app.example@evil.example/', '/'],
      ['http://app.example/x', '/'],
      ['javascript:alert(1)', '/'],
      ['JaVaScRiPt:alert(1)', '/'],
      ['data:text/html,hi', '/'],
      ['/.//evil.example', '/'],
      ['relative/path', '/'],
    ];
    for (const [input, expected] of cases) {
      it(`${JSON.stringify(input)} → ${expected}`, () => {
        expect(safeReturnPath(input, origin)).to.equal(expected);
      });
    }
  });
});
