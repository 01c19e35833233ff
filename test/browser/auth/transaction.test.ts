import { expect } from '@open-wc/testing';
import { AuthorizationResponseError } from '../../../src/auth/errors.ts';
import {
  hasPendingTransaction,
  saveTransaction,
  takeTransaction,
  TRANSACTION_TTL_MS,
  type LoginTransaction,
} from '../../../src/auth/transaction.ts';
import { MemoryStorage, thrownCode } from './fakes.ts';

const T0 = 1_700_000_000_000;

function transaction(overrides: Partial<LoginTransaction> = {}): LoginTransaction {
  return {
    state: 'state-1',
    verifier: 'v'.repeat(43),
    redirectUri: 'https://app.example/cb',
    returnPath: '/reports?id=7',
    createdAt: T0,
    ...overrides,
  };
}

const codeOf = (body: () => unknown): string => thrownCode(body, AuthorizationResponseError);

describe('transaction', () => {
  it('gives back what was saved, once', () => {
    const storage = new MemoryStorage();
    const saved = transaction({ issuer: 'https://honest.as.example' });
    saveTransaction(saved, { storage, now: () => T0 });
    expect(takeTransaction('state-1', { storage, now: () => T0 + 1000 })).to.deep.equal(saved);
    expect(storage.length).to.equal(0);
    expect(codeOf(() => takeTransaction('state-1', { storage, now: () => T0 + 1000 }))).to.equal('missing_transaction');
  });

  it('explains a missing transaction as a revisited callback', () => {
    try {
      takeTransaction('nope', { storage: new MemoryStorage() });
      expect.fail('should throw');
    } catch (error) {
      const typed = error as AuthorizationResponseError;
      expect(typed.code).to.equal('missing_transaction');
      expect(typed.hint).to.include('revisited').and.to.include('another tab').and.to.include('Sign in again');
    }
  });

  it('accepts a transaction up to ten minutes old and expires it after', () => {
    const storage = new MemoryStorage();
    saveTransaction(transaction(), { storage, now: () => T0 });
    expect(takeTransaction('state-1', { storage, now: () => T0 + TRANSACTION_TTL_MS }).state).to.equal('state-1');

    saveTransaction(transaction(), { storage, now: () => T0 });
    expect(codeOf(() => takeTransaction('state-1', { storage, now: () => T0 + TRANSACTION_TTL_MS + 1 }))).to.equal(
      'transaction_expired',
    );
    // Expired ones are consumed too, so a retry does not find them again.
    expect(storage.length).to.equal(0);
  });

  it('keys transactions by state so parallel sign-ins do not clash', () => {
    const storage = new MemoryStorage();
    saveTransaction(transaction({ state: 'a', returnPath: '/a' }), { storage, now: () => T0 });
    saveTransaction(transaction({ state: 'b', returnPath: '/b' }), { storage, now: () => T0 });
    expect(takeTransaction('b', { storage, now: () => T0 }).returnPath).to.equal('/b');
    expect(takeTransaction('a', { storage, now: () => T0 }).returnPath).to.equal('/a');
  });

  it('sweeps abandoned transactions when saving a new one', () => {
    const storage = new MemoryStorage();
    saveTransaction(transaction({ state: 'old' }), { storage, now: () => T0 });
    saveTransaction(transaction({ state: 'new', createdAt: T0 + TRANSACTION_TTL_MS * 2 }), {
      storage,
      now: () => T0 + TRANSACTION_TTL_MS * 2,
    });
    expect(storage.length).to.equal(1);
    expect(storage.key(0)).to.include('new');
  });

  it('reports whether a sign-in is pending', () => {
    const storage = new MemoryStorage();
    expect(hasPendingTransaction({ storage, now: () => T0 })).to.equal(false);
    saveTransaction(transaction(), { storage, now: () => T0 });
    expect(hasPendingTransaction({ storage, now: () => T0 })).to.equal(true);
    expect(hasPendingTransaction({ storage, now: () => T0 + TRANSACTION_TTL_MS + 1 })).to.equal(false);
  });

  it('treats a corrupted record as missing', () => {
    const storage = new MemoryStorage();
    storage.setItem('embed-kit:auth:transaction:x', '{not json');
    expect(codeOf(() => takeTransaction('x', { storage }))).to.equal('missing_transaction');
    storage.setItem('embed-kit:auth:transaction:y', JSON.stringify({ state: 'y' }));
    expect(codeOf(() => takeTransaction('y', { storage }))).to.equal('missing_transaction');
  });

  it('uses sessionStorage by default and leaves nothing behind', () => {
    const state = `default-${Math.random()}`;
    saveTransaction(transaction({ state, createdAt: Date.now() }));
    expect(Object.keys(sessionStorage).filter((name) => name.endsWith(state)), 'stored under the state').to.deep.equal([`embed-kit:auth:transaction:${state}`]);
    expect(takeTransaction(state).verifier).to.equal('v'.repeat(43));
    expect(Object.keys(sessionStorage).some((name) => name.endsWith(state))).to.equal(false);
    expect(localStorage.length).to.equal(0);
  });
});
