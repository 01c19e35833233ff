/**
 * An `AuthClient`'s hooks into the other open tabs of its sign-in (tab-sync.ts): their refreshes
 * and sign-outs are taken here, this tab's changes are told to them, and a signed-out start asks
 * them for tokens. Tokens the page hands in (`adoptTokens`) are taken the same way. Linked when
 * the protocol loads; with `share: 'none'`, without BroadcastChannel, or once closed, nothing is
 * linked and only handed-in tokens are taken.
 */
import type { SharedTokens } from './client-options.ts';
import type { TabSync, TabSyncOptions } from './tab-sync.ts';
import type { TokenStore, TokenStoreChange } from './token-store.ts';

export type TabHandlers = Required<Pick<TabSyncOptions, 'onRefreshed' | 'onSignedOut'>>;

export class ClientTabs {
  readonly #onSignedIn: (tokens: SharedTokens) => void;
  #store: TokenStore | undefined;
  #sync: TabSync | undefined;
  /** Set while taking another tab's tokens, so they are not echoed back (`onTokens`, the other tabs). */
  #adopting = false;
  #closed = false;

  /** @param onSignedIn - another tab's tokens signed this one in (not a refresh of tokens it had). */
  constructor(onSignedIn: (tokens: SharedTokens) => void) {
    this.#onSignedIn = onSignedIn;
  }

  /** Links the other tabs, unless closed; their refreshes and sign-outs are then taken. */
  link(createSync: (handlers: TabHandlers) => TabSync): void {
    if (this.#closed || this.#sync) return;
    this.#sync = createSync({ onRefreshed: (tokens) => this.adopt(tokens), onSignedOut: () => this.adopt(undefined) });
  }

  /** The token store that tokens are taken into. */
  attach(store: TokenStore): void {
    this.#store = store;
  }

  /** Whether other tabs are linked: then refresh runs under their common lock (`exclusive`). */
  get linked(): boolean {
    return this.#sync !== undefined;
  }

  /** Whether the change under way is another tab's tokens being taken. */
  get adopting(): boolean {
    return this.#adopting;
  }

  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.#sync ? this.#sync.exclusive(work) : work();
  }

  /**
   * Another tab's tokens, or its sign-out (`undefined`, reason `other_tab`), taken at once: a
   * refresh under the lock re-checks right after.
   */
  adopt(tokens: SharedTokens | undefined): void {
    const store = this.#store;
    if (!store) return;
    const wasSignedIn = store.hasToken;
    this.#adopting = true;
    try {
      if (tokens) store.set(tokens, wasSignedIn ? 'refreshed' : 'set');
      else store.clear('other_tab');
    } finally {
      this.#adopting = false;
    }
    if (tokens && !wasSignedIn) this.#onSignedIn(tokens);
  }

  /** Asks the other tabs for their tokens and takes the first, unless a sign-in here finished meanwhile. */
  async request(): Promise<void> {
    const store = this.#store;
    if (!this.#sync || !store || store.hasToken) return;
    const tokens = await this.#sync.request();
    if (tokens && !store.hasToken && !this.#closed) this.adopt(tokens);
  }

  /** Tells the other tabs what this tab holds now; a sign-out by the user signs them out too. */
  tell(change: TokenStoreChange): void {
    if (change.type === 'cleared' && change.reason === 'user') this.#sync?.signOut();
    else if (change.type !== 'failed') this.#sync?.publish(this.#store?.tokens());
  }

  /** Stops answering and listening to other tabs. */
  close(): void {
    this.#closed = true;
    this.#sync?.close();
  }
}
