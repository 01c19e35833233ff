/**
 * The two grants Qlik Cloud adds on `/oauth/token`, registered on oidc-provider:
 *
 * - RFC 8693 token exchange with `purpose: "websocket" | "webresource"`: a user access token in,
 *   a short-lived token for the engine websocket out.
 * - `urn:qlik:oauth:user-impersonation`: a confidential client gets a user's access token.
 *
 * `client_credentials` is oidc-provider's own (`features.clientCredentials`).
 */
import type { Provider, TokenEndpointGrantContext } from 'oidc-provider';
import { errors } from 'oidc-provider';
import { ACCESS_TOKEN_TYPE, IMPERSONATION_GRANT, TOKEN_EXCHANGE_GRANT } from './clients.ts';
import { EXCHANGE_NOT_ALLOWED_DETAIL, OAUTH_CLIENT_NOT_AUTHORIZED, OAUTH_EXCHANGE_NOT_ALLOWED, QlikOAuthError } from './qlik-errors.ts';
import type { TenantStore } from './store.ts';
import type { DevTenantUser, UserDirectory, UserLookupField } from './users.ts';
import type { ExchangePurpose, WebSocketTokenStore } from './websocket-tokens.ts';

export interface GrantDependencies {
  users: UserDirectory;
  store: TenantStore;
  websocketTokens: WebSocketTokenStore;
  /** Scopes an impersonated token may carry; the first is the default. */
  scopes: readonly string[];
  /** Called after each successful exchange. */
  onExchange(purpose: ExchangePurpose): void;
}

const PURPOSES: ReadonlySet<string> = new Set<ExchangePurpose>(['websocket', 'webresource']);

function invalidGrant(description: string): QlikOAuthError {
  return new QlikOAuthError(400, 'invalid_grant', description);
}

function invalidRequest(description: string): QlikOAuthError {
  return new QlikOAuthError(400, 'invalid_request', description);
}

function stringParam(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function registerQlikGrants(provider: Provider, deps: GrantDependencies): void {
  provider.registerGrantType(TOKEN_EXCHANGE_GRANT, (ctx) => tokenExchange(ctx, deps), [
    'subject_token',
    'subject_token_type',
    'purpose',
    'requested_token_type',
    'audience',
    'scope',
    // Qlik clients send it with the exchange; it plays no part in it.
    'redirect_uri',
  ]);
  provider.registerGrantType(IMPERSONATION_GRANT, (ctx) => impersonation(ctx, deps), ['user_lookup', 'scope']);
}

/** RFC 8693 §2.1 with Qlik's `purpose`. */
async function tokenExchange(ctx: TokenEndpointGrantContext, deps: GrantDependencies): Promise<void> {
  const { params, provider, client } = ctx.oidc;
  const subjectToken = stringParam(params['subject_token']);
  const subjectTokenType = stringParam(params['subject_token_type']);
  const purpose = stringParam(params['purpose']);

  if (!subjectToken) throw invalidRequest('missing required parameter subject_token: send the user access token to exchange');
  if (!subjectTokenType) throw invalidRequest(`missing required parameter subject_token_type: it must be ${ACCESS_TOKEN_TYPE}`);
  if (subjectTokenType !== ACCESS_TOKEN_TYPE) {
    throw invalidRequest(`unsupported subject_token_type ${subjectTokenType}: only ${ACCESS_TOKEN_TYPE} can be exchanged`);
  }
  if (!purpose || !PURPOSES.has(purpose)) {
    throw invalidRequest(`purpose must be "websocket" or "webresource"${purpose ? `, not ${JSON.stringify(purpose)}` : ''}`);
  }
  const requested = stringParam(params['requested_token_type']);
  if (requested && requested !== ACCESS_TOKEN_TYPE) {
    throw invalidRequest(`unsupported requested_token_type ${requested}: only ${ACCESS_TOKEN_TYPE} is issued`);
  }

  const user = await subjectUser(provider, deps, subjectToken);
  const { value, expiresIn } = deps.websocketTokens.issue(user, purpose as ExchangePurpose, client.clientId);
  deps.onExchange(purpose as ExchangePurpose);
  ctx.body = {
    access_token: value,
    issued_token_type: ACCESS_TOKEN_TYPE,
    token_type: 'Bearer',
    expires_in: expiresIn,
  };
}

/** The user behind a subject token, or the reason it cannot be exchanged. */
async function subjectUser(provider: Provider, deps: GrantDependencies, subjectToken: string): Promise<DevTenantUser> {
  const accessToken = await provider.AccessToken.find(subjectToken, { ignoreExpiration: true });
  if (!accessToken) {
    if (await provider.ClientCredentials.find(subjectToken, { ignoreExpiration: true })) {
      // Qlik refuses to exchange tokens that stand for no user (QLIK-PROTOCOL.md, OAUTH-5).
      throw new QlikOAuthError(401, 'invalid_grant', `${EXCHANGE_NOT_ALLOWED_DETAIL}: the subject_token comes from client credentials and stands for no user`, OAUTH_EXCHANGE_NOT_ALLOWED);
    }
    if (deps.store.wasDestroyed('AccessToken', subjectToken) || deps.store.wasDestroyed('ClientCredentials', subjectToken)) {
      throw invalidGrant('subject_token has been revoked: sign in again to get a new access token');
    }
    if (await provider.RefreshToken.find(subjectToken, { ignoreExpiration: true })) {
      throw invalidGrant('subject_token is a refresh token: exchange the access token instead');
    }
    throw invalidGrant('subject_token is not an access token issued by this tenant');
  }
  if (accessToken.isExpired) throw invalidGrant('subject_token is expired: refresh the access token, then exchange again');
  if (!(await provider.Grant.find(accessToken.grantId))) throw invalidGrant('subject_token has been revoked: its grant no longer exists');
  const user = deps.users.byId(accessToken.accountId);
  if (!user) throw invalidGrant('subject_token belongs to a user this tenant no longer knows');
  return user;
}

function parseUserLookup(raw: unknown): { field: UserLookupField; value: string } {
  const hint = 'user_lookup must be {"field":"subject"|"userId","value":"…"} (a JSON object, or its JSON text in a form body)';
  let lookup: unknown = raw;
  if (typeof raw === 'string') {
    try {
      lookup = JSON.parse(raw);
    } catch {
      throw invalidRequest(hint);
    }
  }
  if (typeof lookup !== 'object' || lookup === null) throw invalidRequest(`missing or malformed user_lookup: ${hint}`);
  const { field, value } = lookup as { field?: unknown; value?: unknown };
  if (field !== 'subject' && field !== 'userId') throw invalidRequest(`user_lookup.field must be "subject" or "userId": ${hint}`);
  if (typeof value !== 'string' || value === '') throw invalidRequest(`user_lookup.value must be a non-empty string: ${hint}`);
  return { field, value };
}

/** `urn:qlik:oauth:user-impersonation`: a user access token for a confidential client. */
async function impersonation(ctx: TokenEndpointGrantContext, deps: GrantDependencies): Promise<void> {
  const { params, provider, client } = ctx.oidc;
  // Client authentication already ran; this guards a public client registered with the grant by mistake.
  if (client.clientAuthMethod === 'none') {
    throw new QlikOAuthError(400, 'unauthorized_client', 'user impersonation needs a confidential client that authenticates with its client_secret', OAUTH_CLIENT_NOT_AUTHORIZED);
  }
  const lookup = parseUserLookup(params['user_lookup']);
  const user = deps.users.lookup(lookup.field, lookup.value);
  if (!user) throw invalidGrant(`unknown user: no user has ${lookup.field} ${JSON.stringify(lookup.value)}`);

  const requested = stringParam(params.scope)?.split(' ').filter(Boolean) ?? deps.scopes.slice(0, 1);
  const unknown = requested.filter((scope) => !deps.scopes.includes(scope));
  if (unknown.length) throw new errors.InvalidScope(`unsupported scope requested: ${unknown.join(' ')}`, unknown.join(' '));
  const scope = requested.join(' ');

  const grant = new provider.Grant({ accountId: user.id, clientId: client.clientId });
  grant.addOIDCScope(scope);
  const grantId = await grant.save();
  const accessToken = new provider.AccessToken({ accountId: user.id, client, grantId, gty: IMPERSONATION_GRANT, scope });
  ctx.body = {
    access_token: await accessToken.save(),
    token_type: accessToken.tokenType,
    expires_in: accessToken.expiration,
    scope,
  };
}
