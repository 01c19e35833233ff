/**
 * Who may open an engine websocket, as Qlik Cloud decides it:
 * - `?accessToken=<websocket token>` from the RFC 8693 exchange (browsers cannot set headers);
 * - `Authorization: Bearer <a user's access token>` on the upgrade (Node clients, `@qlik/api`);
 * - a machine token (client credentials) stands for no user and is refused either way.
 */
import type Provider from 'oidc-provider';
import { checkAccessToken } from './access-tokens.ts';
import type { TokenCheck, TokenSource } from './engine/index.ts';
import type { DevTenantUser, UserDirectory } from './users.ts';
import type { WebSocketTokenStore } from './websocket-tokens.ts';

export interface EngineAuthDependencies {
  provider: Provider;
  users: UserDirectory;
  websocketTokens: WebSocketTokenStore;
}

const MACHINE_TOKEN_REFUSED =
  'a machine token (client credentials) stands for no user, and the engine opens apps only for users: ' +
  "get the user's access token (sign-in, or the urn:qlik:oauth:user-impersonation grant) and send that";

function engineUser({ id, subject, name, email }: DevTenantUser): TokenCheck {
  return { ok: true, user: { id, subject, name, ...(email ? { email } : {}) } };
}

export function createEngineTokenCheck(deps: EngineAuthDependencies): (token: string | undefined, source: TokenSource) => Promise<TokenCheck> {
  const { provider, users, websocketTokens } = deps;

  /** True when `value` is a token this tenant issued, other than a websocket token. */
  const isOtherToken = async (value: string): Promise<boolean> =>
    Boolean(
      (await provider.AccessToken.find(value, { ignoreExpiration: true })) ??
        (await provider.ClientCredentials.find(value, { ignoreExpiration: true })) ??
        (await provider.RefreshToken.find(value, { ignoreExpiration: true })),
    );
  const isMachineToken = async (value: string): Promise<boolean> => Boolean(await provider.ClientCredentials.find(value, { ignoreExpiration: true }));

  return async (token, source) => {
    if (token && (await isMachineToken(token))) return { ok: false, status: 401, reason: MACHINE_TOKEN_REFUSED };
    const exchanged = await websocketTokens.check(token, isOtherToken);
    if (exchanged.ok) return engineUser(exchanged.token.user);
    if (source === 'bearer' && token) {
      const access = await checkAccessToken(provider, users, token);
      return access.ok ? engineUser(access.user) : { ok: false, status: 401, reason: `Authorization: Bearer refused: ${access.reason}` };
    }
    return exchanged;
  };
}
