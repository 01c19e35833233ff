/**
 * Tokens from the RFC 8693 exchange (`purpose: "websocket"` or `"webresource"`). They live only
 * here, never in oidc-provider, so no other endpoint accepts them, and the engine accepts
 * nothing else.
 */
import { randomBytes } from 'node:crypto';
import type { DevTenantUser } from './users.ts';

export type ExchangePurpose = 'websocket' | 'webresource';

export interface ExchangedToken {
  user: DevTenantUser;
  purpose: ExchangePurpose;
  clientId: string;
  /** Epoch ms. */
  expiresAt: number;
}

export type WebSocketTokenCheck =
  | { ok: true; token: ExchangedToken }
  | { ok: false; status: number; reason: string };

/** How long an expired token is still recognised, to say "expired" instead of "unknown". */
const EXPIRED_GRACE_MS = 10 * 60 * 1000;

export class WebSocketTokenStore {
  readonly #tokens = new Map<string, ExchangedToken>();
  readonly #ttlSeconds: number;

  constructor(ttlSeconds: number) {
    this.#ttlSeconds = ttlSeconds;
  }

  get ttlSeconds(): number {
    return this.#ttlSeconds;
  }

  issue(user: DevTenantUser, purpose: ExchangePurpose, clientId: string): { value: string; expiresIn: number } {
    this.#sweep();
    const value = randomBytes(32).toString('base64url');
    this.#tokens.set(value, { user, purpose, clientId, expiresAt: Date.now() + this.#ttlSeconds * 1000 });
    return { value, expiresIn: this.#ttlSeconds };
  }

  /**
   * The engine's check of `?accessToken=`. `isOtherToken` says whether the value is some other
   * token this tenant issued (a user or machine access token), for a clearer refusal.
   */
  async check(value: string | undefined, isOtherToken: (value: string) => Promise<boolean>): Promise<WebSocketTokenCheck> {
    if (!value) return { ok: false, status: 401, reason: 'missing accessToken: exchange the user access token for a websocket token (purpose "websocket") and pass it as ?accessToken=' };
    const token = this.#tokens.get(value);
    if (!token) {
      if (await isOtherToken(value)) {
        return { ok: false, status: 401, reason: 'not a websocket token: exchange the access token at /oauth/token (grant urn:ietf:params:oauth:grant-type:token-exchange, purpose "websocket") first' };
      }
      return { ok: false, status: 401, reason: 'invalid accessToken: this tenant did not issue it, or it expired long ago' };
    }
    if (token.expiresAt <= Date.now()) return { ok: false, status: 401, reason: 'expired accessToken: websocket tokens are short-lived; exchange again before every connect or resume' };
    if (token.purpose !== 'websocket') return { ok: false, status: 401, reason: `not a websocket token: it was issued for purpose "${token.purpose}"` };
    return { ok: true, token };
  }

  clear(): void {
    this.#tokens.clear();
  }

  #sweep(): void {
    const now = Date.now();
    for (const [value, token] of this.#tokens) {
      if (token.expiresAt + EXPIRED_GRACE_MS <= now) this.#tokens.delete(value);
    }
  }
}
