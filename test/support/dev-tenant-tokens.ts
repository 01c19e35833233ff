/**
 * Tokens from a running dev tenant the way a backend gets them: a user's access token through
 * Qlik's impersonation grant (the default backend client), and a websocket token through the
 * RFC 8693 exchange. Journeys and node tests that need "a signed-in user" without a browser
 * login use these.
 */
import {
  ACCESS_TOKEN_TYPE,
  BACKEND_CLIENT_ID,
  BACKEND_CLIENT_SECRET,
  IMPERSONATION_GRANT,
  MACHINE_CLIENT_ID,
  MACHINE_CLIENT_SECRET,
  TOKEN_EXCHANGE_GRANT,
} from '../../src/dev-tenant/clients.ts';

async function postToken(tenantUrl: string, body: Record<string, unknown>): Promise<string> {
  const response = await fetch(new URL('/oauth/token', tenantUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const json = (await response.json()) as { access_token?: string };
  if (!response.ok || !json.access_token) throw new Error(`token request ${String(body.grant_type)} failed: ${response.status} ${JSON.stringify(json)}`);
  return json.access_token;
}

/** A user's access token, as the impersonating backend client gets it. */
export function userAccessToken(tenantUrl: string, userId: string): Promise<string> {
  return postToken(tenantUrl, {
    grant_type: IMPERSONATION_GRANT,
    client_id: BACKEND_CLIENT_ID,
    client_secret: BACKEND_CLIENT_SECRET,
    user_lookup: { field: 'userId', value: userId },
    scope: 'user_default',
  });
}

/** A machine token (client credentials): it stands for no user. */
export function machineAccessToken(tenantUrl: string): Promise<string> {
  return postToken(tenantUrl, { grant_type: 'client_credentials', client_id: MACHINE_CLIENT_ID, client_secret: MACHINE_CLIENT_SECRET });
}

/** Exchanges a user's access token for a websocket token (`?accessToken=` on the engine URL). */
export function websocketToken(tenantUrl: string, accessToken: string): Promise<string> {
  return postToken(tenantUrl, {
    grant_type: TOKEN_EXCHANGE_GRANT,
    client_id: BACKEND_CLIENT_ID,
    client_secret: BACKEND_CLIENT_SECRET,
    subject_token: accessToken,
    subject_token_type: ACCESS_TOKEN_TYPE,
    purpose: 'websocket',
  });
}
