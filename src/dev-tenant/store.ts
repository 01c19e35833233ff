/**
 * In-memory storage for oidc-provider (its `adapter` option), one per tenant, so that two
 * tenants in one process (as in tests) never see each other's codes, tokens or sessions.
 *
 * It also remembers, for a while, which tokens were destroyed, so that the token exchange can
 * tell "revoked" from "never issued".
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';

/** Models whose entries are indexed by grant, so that revoking a grant reaches them. */
const GRANT_MEMBERS = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

/**
 * Entries are kept this long after they expire. oidc-provider checks expiry itself, and keeping
 * them lets the token endpoint answer "expired" rather than "not found".
 */
const EXPIRED_GRACE_MS = 10 * 60 * 1000;
const SWEEP_EVERY = 200;

interface Entry {
  payload: AdapterPayload;
  /** Epoch ms after which the entry is gone; `Infinity` when oidc-provider gave no lifetime. */
  dropAt: number;
}

export class TenantStore {
  readonly #entries = new Map<string, Entry>();
  readonly #grantMembers = new Map<string, Set<string>>();
  readonly #uids = new Map<string, string>();
  readonly #userCodes = new Map<string, string>();
  /** `Model:id` of destroyed tokens → epoch ms until which we remember. */
  readonly #tombstones = new Map<string, number>();
  #writes = 0;

  /** The factory oidc-provider calls once per model name. */
  readonly adapterFor = (model: string): Adapter => new ModelAdapter(model, this);

  /** True when a token of this model and id existed here and was destroyed (revoked, rotated or replayed). */
  wasDestroyed(model: string, id: string): boolean {
    const until = this.#tombstones.get(`${model}:${id}`);
    return until !== undefined && until > Date.now();
  }

  clear(): void {
    this.#entries.clear();
    this.#grantMembers.clear();
    this.#uids.clear();
    this.#userCodes.clear();
    this.#tombstones.clear();
  }

  /** A copy, so that nothing outside can change what is stored. */
  get(key: string): AdapterPayload | undefined {
    const entry = this.#live(key);
    return entry && structuredClone(entry.payload);
  }

  markConsumed(key: string): void {
    const entry = this.#live(key);
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.dropAt <= Date.now()) {
      this.#remove(key, false);
      return undefined;
    }
    return entry;
  }

  set(model: string, key: string, payload: AdapterPayload, expiresIn: number | undefined): void {
    const dropAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 + EXPIRED_GRACE_MS : Infinity;
    this.#entries.set(key, { payload: structuredClone(payload), dropAt });
    if (GRANT_MEMBERS.has(model) && payload.grantId) {
      let members = this.#grantMembers.get(payload.grantId);
      if (!members) this.#grantMembers.set(payload.grantId, (members = new Set()));
      members.add(key);
    }
    if (payload.uid) this.#uids.set(`${model}:${payload.uid}`, key);
    if (payload.userCode) this.#userCodes.set(`${model}:${payload.userCode}`, key);
    if (++this.#writes % SWEEP_EVERY === 0) this.#sweep();
  }

  keyForUid(model: string, uid: string): string | undefined {
    return this.#uids.get(`${model}:${uid}`);
  }

  keyForUserCode(model: string, userCode: string): string | undefined {
    return this.#userCodes.get(`${model}:${userCode}`);
  }

  destroy(key: string): void {
    this.#remove(key, true);
  }

  /** Destroys this model's entries that belong to the grant. */
  revokeGrantMembers(model: string, grantId: string): void {
    const members = this.#grantMembers.get(grantId);
    if (!members) return;
    for (const key of [...members]) {
      if (key.startsWith(`${model}:`)) this.#remove(key, true);
    }
  }

  #remove(key: string, destroyed: boolean): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    const { payload } = entry;
    if (destroyed) {
      const exp = typeof payload.exp === 'number' ? payload.exp * 1000 : Date.now();
      this.#tombstones.set(key, Math.max(exp, Date.now()) + EXPIRED_GRACE_MS);
    }
    if (payload.grantId) {
      const members = this.#grantMembers.get(payload.grantId);
      members?.delete(key);
      if (members?.size === 0) this.#grantMembers.delete(payload.grantId);
    }
    const model = key.slice(0, key.indexOf(':'));
    if (payload.uid && this.#uids.get(`${model}:${payload.uid}`) === key) this.#uids.delete(`${model}:${payload.uid}`);
    if (payload.userCode && this.#userCodes.get(`${model}:${payload.userCode}`) === key) this.#userCodes.delete(`${model}:${payload.userCode}`);
  }

  #sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.#entries) {
      if (entry.dropAt <= now) this.#remove(key, false);
    }
    for (const [key, until] of this.#tombstones) {
      if (until <= now) this.#tombstones.delete(key);
    }
  }
}

class ModelAdapter implements Adapter {
  readonly #model: string;
  readonly #store: TenantStore;

  constructor(model: string, store: TenantStore) {
    this.#model = model;
    this.#store = store;
  }

  #key(id: string): string {
    return `${this.#model}:${id}`;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    this.#store.set(this.#model, this.#key(id), payload, expiresIn);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.#store.get(this.#key(id));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const key = this.#store.keyForUid(this.#model, uid);
    return key === undefined ? undefined : this.#store.get(key);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const key = this.#store.keyForUserCode(this.#model, userCode);
    return key === undefined ? undefined : this.#store.get(key);
  }

  async consume(id: string): Promise<void> {
    this.#store.markConsumed(this.#key(id));
  }

  async destroy(id: string): Promise<void> {
    this.#store.destroy(this.#key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.#store.revokeGrantMembers(this.#model, grantId);
  }
}
