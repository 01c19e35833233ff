import { expect } from '@open-wc/testing';
import { NetworkError, SignInRequiredError, TokenEndpointError } from '../../../src/auth/errors.ts';
import type { TokenResponse } from '../../../src/auth/token-endpoint.ts';
import { TokenStore, type TokenStoreChange } from '../../../src/auth/token-store.ts';
import { ManualClock } from '../../support/manual-clock.ts';
import { rejection } from './fakes.ts';

const T0 = 1_700_000_000_000;

function clock(start = T0): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

interface Refresher {
  refresh: (refreshToken: string) => Promise<TokenResponse>;
  seen: string[];
}

/** A refresh grant that hands out at-N / rt-N, and records the refresh tokens it was given. */
function refresher(answer?: (refreshToken: string, n: number) => Promise<TokenResponse>): Refresher {
  const seen: string[] = [];
  return {
    seen,
    refresh: async (refreshToken) => {
      seen.push(refreshToken);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const n = seen.length + 1;
      return answer
        ? answer(refreshToken, n)
        : { access_token: `at-${n}`, token_type: 'Bearer', expires_in: 100, refresh_token: `rt-${n}` };
    },
  };
}

function record(store: TokenStore): TokenStoreChange[] {
  const changes: TokenStoreChange[] = [];
  store.subscribe((change) => changes.push(change));
  return changes;
}

const FIRST: TokenResponse = { access_token: 'at-1', token_type: 'Bearer', expires_in: 100, refresh_token: 'rt-1' };

describe('TokenStore', () => {
  it('rejects with not_signed_in before any token', async () => {
    const error = (await rejection(() => new TokenStore().getAccessToken())) as SignInRequiredError;
    expect(error).to.be.instanceOf(SignInRequiredError);
    expect(error.code).to.equal('not_signed_in');
  });

  it('serves the access token as is while it is outside the skew', async () => {
    const time = clock();
    const grant = refresher();
    const store = new TokenStore({ refresh: grant.refresh, now: time.now });
    store.set(FIRST);
    expect(store.expiresAt).to.equal(T0 + 100_000);
    time.advance(69_000);
    expect(await store.getAccessToken()).to.equal('at-1');
    expect(grant.seen).to.deep.equal([]);
  });

  it('refreshes once the token is within the skew of expiry, and rotates the refresh token', async () => {
    const time = clock();
    const grant = refresher();
    const store = new TokenStore({ refresh: grant.refresh, now: time.now, refreshSkewSeconds: 30 });
    const changes = record(store);
    store.set(FIRST);
    time.advance(71_000);
    expect(await store.getAccessToken()).to.equal('at-2');
    expect(grant.seen).to.deep.equal(['rt-1']);
    expect(store.expiresAt).to.equal(T0 + 71_000 + 100_000);
    time.advance(71_000);
    expect(await store.getAccessToken()).to.equal('at-3');
    expect(grant.seen).to.deep.equal(['rt-1', 'rt-2']);
    expect(changes.map((change) => change.type)).to.deep.equal(['set', 'refreshed', 'refreshed']);
  });

  it('keeps the old refresh token when the server does not rotate it', async () => {
    const time = clock();
    const grant = refresher(async (_token, n) => ({ access_token: `at-${n}`, token_type: 'Bearer', expires_in: 100 }));
    const store = new TokenStore({ refresh: grant.refresh, now: time.now });
    store.set(FIRST);
    await store.getAccessToken({ forceRefresh: true });
    await store.getAccessToken({ forceRefresh: true });
    expect(grant.seen).to.deep.equal(['rt-1', 'rt-1']);
  });

  it('makes one refresh request for 50 concurrent callers, and all get its token', async () => {
    const time = clock();
    const grant = refresher();
    const store = new TokenStore({ refresh: grant.refresh, now: time.now });
    const changes = record(store);
    store.set(FIRST);
    time.advance(95_000);
    const tokens = await Promise.all(Array.from({ length: 50 }, () => store.getAccessToken()));
    expect(grant.seen).to.have.length(1);
    expect(new Set(tokens)).to.deep.equal(new Set(['at-2']));
    expect(changes.filter((change) => change.type === 'refreshed')).to.have.length(1);
  });

  it('signs out with refresh_failed when the server refuses the refresh', async () => {
    const refused = new TokenEndpointError('invalid_grant', 'refresh token revoked', { status: 400 });
    const store = new TokenStore({ refresh: () => Promise.reject(refused), now: clock().now });
    const changes = record(store);
    store.set(FIRST);
    const callers = Array.from({ length: 3 }, () => store.getAccessToken({ forceRefresh: true }));
    for (const caller of callers) expect(await rejection(() => caller)).to.equal(refused);
    expect(store.hasToken).to.equal(false);
    expect(changes).to.deep.equal([
      { type: 'set', expiresAt: T0 + 100_000 },
      { type: 'cleared', reason: 'refresh_failed', error: refused },
    ]);
    expect(((await rejection(() => store.getAccessToken())) as SignInRequiredError).code).to.equal('not_signed_in');
  });

  it('keeps a still-valid token through a network blip during an early refresh', async () => {
    const time = clock();
    const blip = new NetworkError('network_error', 'offline');
    let fail = true;
    const grant = refresher(async (_token, n) => {
      if (fail) throw blip;
      return { access_token: `at-${n}`, token_type: 'Bearer', expires_in: 100 };
    });
    const store = new TokenStore({ refresh: grant.refresh, now: time.now });
    const changes = record(store);
    store.set(FIRST);
    time.advance(80_000);
    expect(await store.getAccessToken()).to.equal('at-1');
    expect(store.hasToken).to.equal(true);
    fail = false;
    // Backing off: the still-valid token, without another request at once.
    expect(await store.getAccessToken()).to.equal('at-1');
    expect(grant.seen).to.have.length(1);
    time.advance(1_000);
    expect(await store.getAccessToken()).to.equal('at-3');
    expect(changes.map((change) => change.type)).to.deep.equal(['set', 'failed', 'refreshed']);
  });

  it('signs out when the network fails after the token already expired', async () => {
    const time = clock();
    const blip = new NetworkError('network_error', 'offline');
    const store = new TokenStore({ refresh: () => Promise.reject(blip), now: time.now });
    const changes = record(store);
    store.set(FIRST);
    time.advance(101_000);
    expect(await rejection(() => store.getAccessToken())).to.equal(blip);
    expect(changes.at(-1)).to.deep.equal({ type: 'cleared', reason: 'refresh_failed', error: blip });
  });

  it('without a refresh token, serves the token until expiry, then signs out with token_expired', async () => {
    const time = clock();
    const store = new TokenStore({ now: time.now });
    const changes = record(store);
    store.set({ access_token: 'only', token_type: 'Bearer', expires_in: 100 });
    time.advance(90_000);
    expect(await store.getAccessToken()).to.equal('only');
    time.advance(11_000);
    const error = (await rejection(() => store.getAccessToken())) as SignInRequiredError;
    expect(error.code).to.equal('token_expired');
    expect(changes.at(-1)).to.deep.include({ type: 'cleared', reason: 'expired' });
  });

  it('signs out on its own when a token without refresh token lapses', async () => {
    const clock = new ManualClock();
    const store = new TokenStore({ clock });
    const changes = record(store);
    store.set({ access_token: 'short', token_type: 'Bearer', expires_in: 0.05 });
    await clock.advance(40);
    expect(store.hasToken).to.equal(true, 'still within its 50 ms');
    await clock.advance(20);
    expect(store.hasToken).to.equal(false);
    const last = changes.at(-1);
    expect(last?.type).to.equal('cleared');
    expect(last?.type === 'cleared' && last.reason).to.equal('expired');
  });

  it('does not revive tokens when a refresh lands after sign-out', async () => {
    const time = clock();
    let answer: (response: TokenResponse) => void = () => undefined;
    const store = new TokenStore({
      now: time.now,
      refresh: () => new Promise<TokenResponse>((resolve) => (answer = resolve)),
    });
    store.set(FIRST);
    const pending = store.getAccessToken({ forceRefresh: true });
    store.clear('user');
    answer({ access_token: 'late', token_type: 'Bearer', expires_in: 100 });
    expect(((await rejection(() => pending)) as SignInRequiredError).code).to.equal('not_signed_in');
    expect(store.hasToken).to.equal(false);
  });

  it('drops tokens first on sign-out, then revokes refresh and access tokens', async () => {
    const store = new TokenStore({ refresh: refresher().refresh });
    const changes = record(store);
    store.set(FIRST);
    const revoked: [string, string, boolean][] = [];
    await store.signOut(async (token, hint) => {
      revoked.push([token, hint, store.hasToken]);
      throw new Error('revocation endpoint down');
    });
    expect(revoked).to.deep.equal([
      ['rt-1', 'refresh_token', false],
      ['at-1', 'access_token', false],
    ]);
    expect(changes.at(-1)).to.deep.equal({ type: 'cleared', reason: 'user' });
  });

  it('never shows the refresh token on its public surface', () => {
    const store = new TokenStore({ refresh: refresher().refresh });
    store.set({ ...FIRST, refresh_token: 'rt-SECRET' });
    const visible = [
      JSON.stringify(store),
      Object.getOwnPropertyNames(store).join(),
      Object.getOwnPropertyNames(TokenStore.prototype).join(),
      String(Object.values(store)),
    ].join('|');
    expect(visible).not.to.include('rt-SECRET');
    expect(store.canRefresh).to.equal(true);
  });

  it('keeps notifying other listeners when one throws', () => {
    const store = new TokenStore();
    const seen: string[] = [];
    const reported: unknown[] = [];
    // reportError hands the throw to the window; it is expected here, so keep it off the console.
    const swallow = (event: ErrorEvent): void => {
      reported.push(event.error);
      event.preventDefault();
    };
    const mochaHandler = window.onerror;
    window.onerror = null;
    window.addEventListener('error', swallow);
    try {
      store.subscribe(() => {
        throw new Error('deliberately broken listener (expected in this test)');
      });
      store.subscribe((change) => seen.push(change.type));
      store.set(FIRST);
    } finally {
      window.removeEventListener('error', swallow);
      window.onerror = mochaHandler;
    }
    expect(seen).to.deep.equal(['set']);
    expect(String(reported[0])).to.include('deliberately broken listener');
  });

  it('refuses a negative skew', () => {
    expect(() => new TokenStore({ refreshSkewSeconds: -1 })).to.throw(TypeError);
  });
});
