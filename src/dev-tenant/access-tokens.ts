/**
 * Who a Bearer access token stands for. One check for every route that takes a user's access
 * token: the REST API (`/api/v1/*`) and the engine websocket's `Authorization` header.
 */
import type Provider from 'oidc-provider';
import type { DevTenantUser, UserDirectory } from './users.ts';

export type AccessTokenCheck =
  | { ok: true; user: DevTenantUser }
  /** `machine` is true for a client-credentials token: valid, but it stands for no user. */
  | { ok: false; reason: string; machine: boolean };

export const MACHINE_TOKEN_REASON = 'this token comes from client credentials and stands for no user';

/** The `Authorization: Bearer` value, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer +([^\s]+) *$/i.exec(authorization ?? '')?.[1];
}

export async function checkAccessToken(provider: Provider, users: UserDirectory, value: string): Promise<AccessTokenCheck> {
  const token = await provider.AccessToken.find(value, { ignoreExpiration: true });
  if (!token) {
    const machine = Boolean(await provider.ClientCredentials.find(value, { ignoreExpiration: true }));
    return { ok: false, machine, reason: machine ? MACHINE_TOKEN_REASON : 'the access token is unknown or has been revoked' };
  }
  if (token.isExpired) return { ok: false, machine: false, reason: 'the access token is expired' };
  const user = users.byId(token.accountId);
  if (!user) return { ok: false, machine: false, reason: 'the access token belongs to a user this tenant no longer knows' };
  return { ok: true, user };
}
