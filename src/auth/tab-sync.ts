/**
 * One sign-in for every open tab of an origin, with tokens in memory only.
 *
 * Tabs talk over a `BroadcastChannel`, which the browser confines to one origin (and, in a
 * third-party iframe, to that iframe's storage partition). Each message still names its origin
 * and the sign-in it is for (provider, host, who issues the tokens, client id), and anything else
 * is ignored:
 *
 * - `request` / `answer`: a tab that starts signed out asks; every live tab of the same sign-in
 *   answers, with its tokens or with nothing. The asker waits for the first tokens, for every
 *   live tab to have answered, or for `waitMs` (150 ms), whichever comes first.
 * - `refreshed`: after a refresh, the new tokens for every tab still holding the ones they replace.
 * - `signed-out`: sign-out everywhere.
 *
 * Refresh runs under a Web Lock per sign-in, so tabs refresh one at a time. The lock holder first
 * checks that nobody refreshed just before it (its set may have been replaced while it waited, or
 * the `refreshed` message may still be on its way, so it asks); only then does it spend the
 * refresh token. With rotation, a refresh token is therefore used once, by one tab.
 *
 * A shared Web Lock held by every live `TabSync` counts the tabs, so a lone tab never waits.
 * Nothing here touches any storage.
 * @see https://html.spec.whatwg.org/multipage/web-messaging.html#broadcasting-to-other-browsing-contexts
 * @see https://w3c.github.io/web-locks/
 */
import type { SharedTokens } from './client-options.ts';
import { systemClock, type Clock } from './clock.ts';
import { providerIdentity, type ProviderOptions } from './providers.ts';

/** Whose tokens these are: only tabs with the same four values share them. */
export interface TabSyncKey {
  provider: string;
  host: string | undefined;
  /**
   * Who issues the tokens: the issuer, else the token endpoint. Without it, two `oidc` or
   * `custom` sign-ins with no host and the same client id (two identity providers on one origin)
   * would take each other's tokens, and sign out at each other's revocation endpoint.
   */
  identity: string;
  clientId: string;
}

/** The key of a client's sign-in, from its options, without the network. */
export function tabSyncKey(options: ProviderOptions & { clientId: string }): TabSyncKey {
  const { provider, host, identity } = providerIdentity(options);
  return { provider, host, identity, clientId: options.clientId.trim() };
}

/** The part of `BroadcastChannel` used here. */
export interface TabChannel {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  close(): void;
}

/** The part of `navigator.locks` used here. */
export interface TabLocks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
  request<T>(name: string, options: LockOptions, callback: () => Promise<T>): Promise<T>;
  query(): Promise<LockManagerSnapshot>;
}

export interface TabSyncOptions {
  /** Tokens another tab refreshed for this sign-in; adopt them. */
  onRefreshed?(tokens: SharedTokens): void;
  /** Another tab signed out; drop the tokens (without revoking: that tab did). */
  onSignedOut?(): void;
  /** How long `request()` waits for answers. Default 150 ms. */
  waitMs?: number;
  /** Seams. Defaults: `BroadcastChannel`, `navigator.locks` (refresh runs unlocked without it), the system clock, `location.origin`. */
  createChannel?: (name: string) => TabChannel;
  locks?: TabLocks | null;
  clock?: Clock;
  origin?: string;
}

interface WireTokens {
  /** Names one token set, so that a tab can tell which set another's replaces. Not a secret. */
  sid: string;
  access_token: string;
  expires_at?: number;
  refresh_token?: string;
}

type Body =
  | { kind: 'request'; id: string; have?: string }
  | { kind: 'answer'; to: string; tokens?: WireTokens }
  | { kind: 'refreshed'; replaces: string; tokens: WireTokens }
  | { kind: 'signed-out' };

type Message = Body & { v: 1; origin: string; key: string; from: string };

const DEFAULT_TAB_WAIT_MS = 150;
const PREFIX = 'embed-kit/auth/v1';
/** Sets this tab replaced, so that it can tell a tab asking with an older one about the newer. */
const RETIRED_KEPT = 8;

function randomId(): string {
  return crypto.randomUUID();
}

function keyString(key: TabSyncKey): string {
  return JSON.stringify([key.provider, key.host ?? '', key.identity, key.clientId]);
}

/** The channel one sign-in's tabs talk on. */
export function tabChannelName(key: TabSyncKey): string {
  return `${PREFIX} ${keyString(key)}`;
}

/** Whether cross-tab sharing can work here at all. */
export function tabSyncAvailable(): boolean {
  return typeof BroadcastChannel === 'function' && typeof crypto?.randomUUID === 'function';
}

function isWireTokens(value: unknown): value is WireTokens {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Record<string, unknown>;
  return (
    typeof t.sid === 'string' &&
    typeof t.access_token === 'string' &&
    t.access_token !== '' &&
    (t.expires_at === undefined || Number.isFinite(t.expires_at)) &&
    (t.refresh_token === undefined || typeof t.refresh_token === 'string')
  );
}

function isMessage(value: unknown): value is Message {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  if (m.v !== 1 || typeof m.origin !== 'string' || typeof m.key !== 'string' || typeof m.from !== 'string') return false;
  switch (m.kind) {
    case 'request':
      return typeof m.id === 'string' && (m.have === undefined || typeof m.have === 'string');
    case 'answer':
      return typeof m.to === 'string' && (m.tokens === undefined || isWireTokens(m.tokens));
    case 'refreshed':
      return typeof m.replaces === 'string' && isWireTokens(m.tokens);
    case 'signed-out':
      return true;
    default:
      return false;
  }
}

function fromWire(tokens: WireTokens): SharedTokens {
  const shared: SharedTokens = { access_token: tokens.access_token, token_type: 'Bearer' };
  if (tokens.expires_at !== undefined) shared.expires_at = tokens.expires_at;
  if (tokens.refresh_token !== undefined) shared.refresh_token = tokens.refresh_token;
  return shared;
}

/** Only these go to other tabs: never an ID token or anything else a response carried. */
function toWire(tokens: SharedTokens, sid: string): WireTokens {
  const wire: WireTokens = { sid, access_token: tokens.access_token };
  if (tokens.expires_at !== undefined) wire.expires_at = tokens.expires_at;
  if (tokens.refresh_token) wire.refresh_token = tokens.refresh_token;
  return wire;
}

/**
 * This tab's end of the cross-tab sign-in for one key. The owner of the tokens (`AuthClient`)
 * tells it what it holds (`publish`), asks it on start (`request`), refreshes inside `exclusive`
 * and signs out through it (`signOut`); it calls back when another tab refreshed or signed out.
 * Tokens that came from `request()` or `onRefreshed` are published back unchanged, so that they
 * keep the set id the other tabs know them by.
 */
export class TabSync {
  readonly #key: string;
  readonly #origin: string;
  readonly #id = randomId();
  readonly #channel: TabChannel;
  readonly #locks: TabLocks | null;
  readonly #clock: Clock;
  readonly #waitMs: number;
  readonly #options: TabSyncOptions;
  /** What this tab holds now. */
  #current: WireTokens | undefined;
  #retired: string[] = [];
  /** Requests awaiting answers, by request id. */
  readonly #pending = new Map<string, { answer(message: Message & { kind: 'answer' }): void; done(tokens: undefined): void }>();
  /** Resolves once this tab counts as live for others; `#leave` ends that. */
  readonly #present: Promise<void>;
  #leave: (() => void) | undefined;
  #closed = false;

  constructor(key: TabSyncKey, options: TabSyncOptions = {}) {
    this.#key = keyString(key);
    this.#options = options;
    this.#origin = options.origin ?? globalThis.location.origin;
    this.#waitMs = options.waitMs ?? DEFAULT_TAB_WAIT_MS;
    if (!Number.isFinite(this.#waitMs) || this.#waitMs < 0) throw new TypeError(`waitMs must be >= 0, got ${String(options.waitMs)}`);
    this.#clock = options.clock ?? systemClock;
    const navigatorLocks = (globalThis.navigator as Navigator | undefined)?.locks as TabLocks | undefined;
    this.#locks = options.locks === undefined ? (navigatorLocks ?? null) : options.locks;
    // The key is in the channel name too, so other sign-ins on the origin never even see these messages.
    const name = tabChannelName(key);
    this.#channel = options.createChannel ? options.createChannel(name) : new BroadcastChannel(name);
    this.#channel.addEventListener('message', (event) => this.#receive(event));
    const locks = this.#locks;
    this.#present = locks
      ? new Promise<void>((granted) => {
          void locks.request(`${name} tab`, { mode: 'shared' }, () => {
            granted();
            return new Promise<void>((release) => (this.#leave = release));
          }).catch(() => granted());
        })
      : Promise.resolve();
  }

  /**
   * Records what this tab holds (`undefined`: nothing), which it then hands to tabs that ask.
   * New tokens that replace held ones (a refresh) go to every tab that holds the replaced ones.
   */
  publish(tokens: SharedTokens | undefined): void {
    if (!tokens) {
      this.#current = undefined;
      return;
    }
    // The same tokens again (adopted from another tab) keep their set id.
    if (this.#current?.access_token === tokens.access_token) return;
    const replaced = this.#current;
    const wire = toWire(tokens, randomId());
    this.#replace(wire);
    if (replaced) this.#post({ kind: 'refreshed', replaces: replaced.sid, tokens: wire });
  }

  /**
   * Asks the other tabs of this sign-in for their tokens. Resolves with the first tokens
   * answered, or `undefined` once every live tab said it has none, or after `waitMs`.
   */
  async request(): Promise<SharedTokens | undefined> {
    const answer = await this.#ask();
    if (!answer) return undefined;
    this.#replace(answer);
    return fromWire(answer);
  }

  /**
   * Runs `work` (a refresh) under the sign-in's Web Lock, one tab at a time. Before it, when this
   * tab still holds what it held on the way in, it asks the other tabs whether one has replaced
   * that set already (the `refreshed` message may still be on its way) and adopts the answer
   * (`onRefreshed`), so that `work`, re-checking the tokens, need not spend the refresh token.
   */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const start = this.#current?.sid;
    const run = async (): Promise<T> => {
      const held = this.#current;
      if (held && held.sid === start) {
        const newer = await this.#ask(held.sid);
        if (newer && this.#current?.sid === held.sid) this.#adopt(newer);
      }
      return work();
    };
    if (this.#closed || !this.#locks) return run();
    return this.#locks.request(`${PREFIX} ${this.#key} refresh`, run);
  }

  /** Forgets the tokens and signs out every other tab of this sign-in. */
  signOut(): void {
    this.#current = undefined;
    this.#post({ kind: 'signed-out' });
  }

  /** Stops answering and listening; pending requests resolve with nothing. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#current = undefined;
    this.#leave?.();
    this.#channel.close();
    for (const pending of [...this.#pending.values()]) pending.done(undefined);
  }

  /** Asks, and resolves with the first tokens answered (newer than `have`, when given). */
  async #ask(have?: string): Promise<WireTokens | undefined> {
    if (this.#closed) return undefined;
    const id = randomId();
    return new Promise<WireTokens | undefined>((resolve) => {
      const answered = new Set<string>();
      let expected: number | undefined;
      const done = (tokens: WireTokens | undefined): void => {
        this.#clock.clearTimeout(timer);
        this.#pending.delete(id);
        resolve(tokens);
      };
      const timer = this.#clock.setTimeout(() => done(undefined), this.#waitMs);
      this.#pending.set(id, {
        done,
        answer: (message) => {
          if (message.tokens) return done(message.tokens);
          answered.add(message.from);
          if (expected !== undefined && answered.size >= expected) done(undefined);
        },
      });
      this.#post(have === undefined ? { kind: 'request', id } : { kind: 'request', id, have });
      void this.#liveTabs().then((count) => {
        expected = count;
        if (this.#pending.has(id) && answered.size >= count) done(undefined);
      });
    });
  }

  /** Other live tabs of this sign-in, as far as Web Locks can tell (unknown without them: wait it out). */
  async #liveTabs(): Promise<number> {
    if (!this.#locks) return Number.POSITIVE_INFINITY;
    try {
      await this.#present;
      const snapshot = await this.#locks.query();
      const name = `${PREFIX} ${this.#key} tab`;
      const held = (snapshot.held ?? []).filter((lock) => lock.name === name).length;
      return Math.max(0, held - (this.#leave ? 1 : 0));
    } catch {
      return Number.POSITIVE_INFINITY;
    }
  }

  #receive(event: MessageEvent): void {
    const message: unknown = event.data;
    if (this.#closed || !isMessage(message)) return;
    // BroadcastChannel never crosses origins; a message that says otherwise is not ours.
    if (message.origin !== this.#origin || (event.origin && event.origin !== this.#origin)) return;
    if (message.key !== this.#key || message.from === this.#id) return;
    switch (message.kind) {
      case 'request':
        this.#answer(message);
        break;
      case 'answer':
        this.#pending.get(message.to)?.answer(message);
        break;
      case 'refreshed':
        if (this.#current && message.replaces === this.#current.sid) this.#adopt(message.tokens);
        break;
      case 'signed-out':
        if (this.#current) {
          this.#current = undefined;
          this.#options.onSignedOut?.();
        }
        break;
    }
  }

  #answer(request: Message & { kind: 'request' }): void {
    let tokens = this.#current;
    // An expired access token without a refresh token would only sign the asker in to sign it out.
    if (tokens && tokens.refresh_token === undefined && tokens.expires_at !== undefined && tokens.expires_at <= this.#clock.now()) tokens = undefined;
    // Asked for something newer than a set: answer only if this tab's set replaced it.
    if (tokens && request.have !== undefined && !this.#retired.includes(request.have)) tokens = undefined;
    this.#post(tokens ? { kind: 'answer', to: request.id, tokens } : { kind: 'answer', to: request.id });
  }

  #adopt(tokens: WireTokens): void {
    this.#replace(tokens);
    this.#options.onRefreshed?.(fromWire(tokens));
  }

  #replace(tokens: WireTokens): void {
    if (this.#current && this.#current.sid !== tokens.sid) this.#retired = [...this.#retired, this.#current.sid].slice(-RETIRED_KEPT);
    this.#current = tokens;
  }

  #post(body: Body): void {
    if (this.#closed) return;
    this.#channel.postMessage({ ...body, v: 1, origin: this.#origin, key: this.#key, from: this.#id } satisfies Message);
  }
}
