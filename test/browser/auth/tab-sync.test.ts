/**
 * The cross-tab protocol in one page: each `TabSync` has its own `BroadcastChannel`, which
 * delivers to the others exactly as to other tabs, and they share the page's Web Locks.
 */
import { expect } from '@open-wc/testing';
import type { SharedTokens } from '../../../src/auth/client.ts';
import type { Clock } from '../../../src/auth/clock.ts';
import { AuthClient } from '../../../src/auth/client.ts';
import { TabSync, tabChannelName, tabSyncKey, type TabChannel, type TabSyncKey, type TabSyncOptions } from '../../../src/auth/tab-sync.ts';

let keySeq = 0;
/** A key of its own per test, so that tests never hear each other. */
function freshKey(): TabSyncKey {
  keySeq += 1;
  return { provider: 'qlik', host: 'https://tenant.example', identity: 'https://tenant.example/oauth/token', clientId: `spa-${Date.now()}-${keySeq}` };
}

const open: TabSync[] = [];
function tab(key: TabSyncKey, options: TabSyncOptions = {}): TabSync {
  const sync = new TabSync(key, options);
  open.push(sync);
  return sync;
}
afterEach(() => {
  for (const sync of open.splice(0)) sync.close();
});

/** Timers that fire only when told, so a test can tell "answered" from "gave up waiting". */
function manualTimers(): Clock & { fire(): void; readonly armed: number } {
  const timers = new Map<number, () => void>();
  let next = 0;
  return {
    now: () => Date.now(),
    setTimeout(callback) {
      next += 1;
      timers.set(next, callback);
      return next;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    fire() {
      for (const [handle, callback] of [...timers]) {
        timers.delete(handle);
        callback();
      }
    },
    get armed() {
      return timers.size;
    },
  };
}

const TOKENS: SharedTokens = { access_token: 'at-1', token_type: 'Bearer', expires_at: Date.now() + 60_000, refresh_token: 'rt-1' };

/** A token endpoint that rotates: at-N / rt-N, recording the refresh tokens it was given. */
function server(used: string[], delayMs = 0): (refreshToken: string) => Promise<SharedTokens> {
  return async (refreshToken) => {
    used.push(refreshToken);
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const n = used.length + 1;
    return { access_token: `at-${n}`, token_type: 'Bearer', refresh_token: `rt-${n}` };
  };
}

interface Owner {
  sync: TabSync;
  held(): SharedTokens | undefined;
  signIn(tokens: SharedTokens): void;
  /** Signs in from the other tabs, as AuthClient does on start. */
  join(): Promise<void>;
  /** A token, refreshing under the lock as AuthClient's store does: re-checks inside, then spends the refresh token. */
  token(): Promise<string | undefined>;
}

/** The owner of one tab's tokens, as AuthClient is one, with `refresh` as its token endpoint. */
function owner(key: TabSyncKey, refresh: (refreshToken: string) => Promise<SharedTokens>, options: TabSyncOptions = {}): Owner {
  let held: SharedTokens | undefined;
  const sync = tab(key, { ...options, onRefreshed: (tokens) => (held = tokens), onSignedOut: () => (held = undefined) });
  return {
    sync,
    held: () => held,
    signIn(tokens) {
      held = tokens;
      sync.publish(tokens);
    },
    async join() {
      held = await sync.request();
    },
    token() {
      const before = held;
      return sync.exclusive(async () => {
        if (!held || held !== before) return held?.access_token;
        const fresh = await refresh(before.refresh_token!);
        // Signed out or replaced while the request ran: not wanted.
        if (held !== before) return held?.access_token;
        held = { ...fresh, refresh_token: fresh.refresh_token ?? before.refresh_token };
        sync.publish(held);
        return held.access_token;
      });
    },
  };
}

/** Every message on a channel, as another tab would see it. */
function listen(key: TabSyncKey): { messages: Record<string, unknown>[]; channel: BroadcastChannel; next(kind: string): Promise<Record<string, unknown>> } {
  const channel = new BroadcastChannel(tabChannelName(key));
  const messages: Record<string, unknown>[] = [];
  const waiters: { kind: string; resolve: (m: Record<string, unknown>) => void }[] = [];
  channel.addEventListener('message', (event: MessageEvent) => {
    const message = event.data as Record<string, unknown>;
    messages.push(message);
    for (const waiter of waiters.filter((w) => w.kind === message.kind)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(message);
    }
  });
  const cleanup = { close: () => channel.close() } as unknown as TabSync;
  open.push(cleanup);
  return { messages, channel, next: (kind) => new Promise((resolve) => waiters.push({ kind, resolve })) };
}

describe('TabSync', () => {
  it('a new tab gets the tokens of a signed-in tab of the same sign-in', async () => {
    const key = freshKey();
    tab(key).publish(TOKENS);
    const timers = manualTimers();
    const tokens = await tab(key, { clock: timers }).request();
    expect(tokens).to.deep.equal(TOKENS);
  });

  it('a lone tab does not wait: with no other tab alive, request() resolves at once with nothing', async () => {
    const timers = manualTimers();
    const tokens = await tab(freshKey(), { clock: timers }).request();
    expect(tokens).to.equal(undefined);
    expect(timers.armed, 'the wait timer was cleared').to.equal(0);
  });

  it('signed-out tabs answer "nothing", so the asker stops waiting once all have answered', async () => {
    const key = freshKey();
    tab(key);
    tab(key);
    const timers = manualTimers();
    expect(await tab(key, { clock: timers }).request()).to.equal(undefined);
    expect(timers.armed).to.equal(0);
  });

  it('a live tab that does not answer is waited for only until the clock says so', async () => {
    const key = freshKey();
    // Alive (it holds its tab lock) but deaf: its channel goes nowhere.
    const deaf: TabChannel = { postMessage: () => undefined, addEventListener: () => undefined, close: () => undefined };
    tab(key, { createChannel: () => deaf }).publish(TOKENS);
    const timers = manualTimers();
    let settled = false;
    const pending = tab(key, { clock: timers }).request().then((tokens) => {
      settled = true;
      return tokens;
    });
    // Enough round trips for answers and the lock query to have come back.
    for (let i = 0; i < 20 && timers.armed === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled, 'still waiting for the silent tab').to.equal(false);
    timers.fire();
    expect(await pending).to.equal(undefined);
  });

  it('a different client id, provider or host on the same origin gets nothing', async () => {
    const key = freshKey();
    tab(key).publish(TOKENS);
    for (const other of [
      { ...key, clientId: `${key.clientId}-other` },
      { ...key, provider: 'oidc' },
      { ...key, host: 'https://other-tenant.example' },
      { ...key, identity: 'https://other-issuer.example' },
    ]) {
      expect(await tab(other, { clock: manualTimers() }).request(), JSON.stringify(other)).to.equal(undefined);
    }
  });

  it('two custom providers without a host and with the same client id on one origin do not share tokens', async () => {
    keySeq += 1;
    const clientId = `spa-custom-${Date.now()}-${keySeq}`;
    const provider = (origin: string) =>
      ({ provider: 'custom', authorizationEndpoint: `${origin}/authorize`, tokenEndpoint: `${origin}/token`, revocationEndpoint: `${origin}/revoke` }) as const;
    const clients: AuthClient[] = [];
    const client = (origin: string) => {
      const made = new AuthClient({ ...provider(origin), clientId, redirectUri: `${location.origin}/cb` });
      clients.push(made);
      return made;
    };
    try {
      const a = client('https://idp-a.example');
      await a.adoptTokens(TOKENS);
      expect(a.status).to.equal('signed-in');
      expect(await client('https://idp-b.example').signInFromOtherTabs(), 'another identity provider gets nothing').to.equal(false);
      // The same identity provider does get them, so the refusal above is the key's doing.
      const same = client('https://idp-a.example');
      expect(await same.signInFromOtherTabs()).to.equal(true);
      expect(await same.getAccessToken()).to.equal(TOKENS.access_token);
      // Issuer wins over the token endpoint: same endpoints, other issuers, no sharing.
      expect(tabSyncKey({ ...provider('https://idp-a.example'), issuer: 'https://one.example', clientId })).not.to.deep.equal(
        tabSyncKey({ ...provider('https://idp-a.example'), issuer: 'https://two.example', clientId }),
      );
    } finally {
      for (const made of clients) made.close();
    }
  });

  it('answers no request that names another origin or another sign-in, even on its own channel', async () => {
    const key = freshKey();
    tab(key).publish(TOKENS);
    const wire = listen(key);
    const base = { v: 1, from: 'intruder', key: JSON.stringify([key.provider, key.host, key.identity, key.clientId]) };
    wire.channel.postMessage({ ...base, kind: 'request', id: 'foreign-origin', origin: 'https://evil.example' });
    wire.channel.postMessage({ ...base, kind: 'request', id: 'foreign-key', origin: location.origin, key: '["qlik","https://tenant.example","https://tenant.example/oauth/token","x"]' });
    wire.channel.postMessage({ ...base, kind: 'request', id: 'malformed', origin: location.origin, have: 42 });
    // Messages from one sender arrive in order, so once this one is answered the others were seen.
    const answered = wire.next('answer');
    wire.channel.postMessage({ ...base, kind: 'request', id: 'genuine', origin: location.origin });
    const answer = await answered;
    expect(answer.to).to.equal('genuine');
    expect((answer.tokens as { access_token: string }).access_token).to.equal('at-1');
    expect(answer.origin).to.equal(location.origin);
    expect(wire.messages.filter((m) => m.kind === 'answer').map((m) => m.to)).to.deep.equal(['genuine']);
  });

  it('ignores tokens sent from another origin', async () => {
    const key = freshKey();
    const refreshed: SharedTokens[] = [];
    const a = tab(key, { onRefreshed: (tokens) => refreshed.push(tokens) });
    a.publish(TOKENS);
    // Learn the set id from an answer, then forge a refresh of it from elsewhere.
    const wire = listen(key);
    const base = { v: 1, from: 'intruder', key: JSON.stringify([key.provider, key.host, key.identity, key.clientId]) };
    const answered = wire.next('answer');
    wire.channel.postMessage({ ...base, kind: 'request', id: 'r', origin: location.origin });
    const sid = ((await answered).tokens as { sid: string }).sid;
    wire.channel.postMessage({ ...base, kind: 'refreshed', replaces: sid, origin: 'https://evil.example', tokens: { sid: 'x', access_token: 'evil' } });
    const after = wire.next('answer');
    wire.channel.postMessage({ ...base, kind: 'request', id: 'r2', origin: location.origin });
    expect(((await after).tokens as { access_token: string }).access_token).to.equal('at-1');
    expect(refreshed).to.deep.equal([]);
  });

  it('signOut() signs out every other tab of the sign-in, and only those holding tokens hear it', async () => {
    const key = freshKey();
    const heard: string[] = [];
    const a = tab(key, { onSignedOut: () => heard.push('a') });
    a.publish(TOKENS);
    const signedOut = new Promise<void>((resolve) => tab(key, { onSignedOut: () => (heard.push('c'), resolve()) }).publish(TOKENS));
    tab(key, { onSignedOut: () => heard.push('idle') });
    const b = tab(key);
    expect(await b.request()).to.deep.equal(TOKENS);
    b.signOut();
    await signedOut;
    // A is told in the same round.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(heard.sort()).to.deep.equal(['a', 'c']);
    expect(await tab(key, { clock: manualTimers() }).request(), 'nobody holds tokens any more').to.equal(undefined);
  });

  it('two tabs refreshing at once make one refresh, and both hold the new tokens', async () => {
    const key = freshKey();
    const used: string[] = [];
    const a = owner(key, server(used, 10));
    const b = owner(key, server(used, 10));
    a.signIn(TOKENS);
    await b.join();
    expect(await Promise.all([a.token(), b.token(), a.token()])).to.deep.equal(['at-2', 'at-2', 'at-2']);
    expect(used, 'the refresh token was spent once').to.deep.equal(['rt-1']);
    expect(b.held()?.refresh_token, 'the rotated refresh token reached the other tab').to.equal('rt-2');
    expect(b.held()).to.deep.equal(a.held());
    // A third tab gets the new set.
    expect((await tab(key).request())?.access_token).to.equal('at-2');
  });

  it('a tab whose "refreshed" message is still on its way asks before spending the old refresh token', async () => {
    const key = freshKey();
    const used: string[] = [];
    const a = owner(key, server(used));
    // B's incoming "refreshed" messages are held back until the test lets them through.
    const held: MessageEvent[] = [];
    let heldOne: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (heldOne = resolve));
    let deliver: ((event: MessageEvent) => void) | undefined;
    const b = owner(key, server(used), {
      createChannel: (name) => {
        const channel = new BroadcastChannel(name);
        return {
          postMessage: (message) => channel.postMessage(message),
          close: () => channel.close(),
          addEventListener: (_type, listener) => {
            deliver = listener;
            channel.addEventListener('message', (event) => ((event.data as { kind: string }).kind === 'refreshed' ? (held.push(event), heldOne()) : listener(event)));
          },
        };
      },
    });
    a.signIn(TOKENS);
    await b.join();
    expect(await a.token()).to.equal('at-2');
    await arrived;
    expect(held.length, 'B has not been given the message').to.equal(1);
    expect(await b.token()).to.equal('at-2');
    expect(used).to.deep.equal(['rt-1']);
    expect(b.held()?.refresh_token).to.equal('rt-2');
    // The late message changes nothing.
    for (const event of held) deliver?.(event);
    expect((await tab(key).request())?.access_token).to.equal('at-2');
  });

  it('a refresh that lands after a sign-out elsewhere is dropped', async () => {
    const key = freshKey();
    let release: () => void = () => undefined;
    const a = owner(key, async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return { access_token: 'late', token_type: 'Bearer' };
    });
    a.signIn(TOKENS);
    const heard = new Promise<void>((resolve) => tab(key, { onSignedOut: resolve }).request());
    const pending = a.token();
    const c = tab(key);
    await c.request();
    c.signOut();
    await heard;
    await new Promise((resolve) => setTimeout(resolve, 0));
    release();
    expect(await pending).to.equal(undefined);
    expect(await tab(key, { clock: manualTimers() }).request()).to.equal(undefined);
  });

  it('without Web Locks it still works, waiting the bounded time for answers', async () => {
    const key = freshKey();
    tab(key, { locks: null }).publish(TOKENS);
    expect(await tab(key, { locks: null }).request()).to.deep.equal(TOKENS);
    const timers = manualTimers();
    const nothing = tab(freshKey(), { locks: null, clock: timers }).request();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(timers.armed, 'waits, since it cannot count the tabs').to.equal(1);
    timers.fire();
    expect(await nothing).to.equal(undefined);
  });

  it('a closed tab answers nothing and its pending request resolves', async () => {
    const key = freshKey();
    const a = tab(key);
    a.publish(TOKENS);
    a.close();
    // Its tab lock may still be on its way out, so this may wait out the (real) bounded time.
    expect(await tab(key).request()).to.equal(undefined);
    const lone = tab(key, { locks: null, clock: manualTimers() });
    const pending = lone.request();
    lone.close();
    expect(await pending).to.equal(undefined);
  });

  it('writes nothing to any storage', async () => {
    const key = freshKey();
    const a = tab(key);
    a.publish(TOKENS);
    const b = owner(key, async () => ({ access_token: 'at-secret-2', token_type: 'Bearer', refresh_token: 'rt-secret-2' }));
    await b.join();
    await b.token();
    await b.token();
    const dump = JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie + location.href;
    const databases = await indexedDB.databases();
    for (const secret of ['at-1', 'rt-1', 'at-secret-2', 'rt-secret-2']) expect(dump).not.to.include(secret);
    expect(databases).to.deep.equal([]);
  });
});
