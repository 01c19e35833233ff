/**
 * The dev tenant's authorization server: oidc-provider, configured to answer on Qlik Cloud's
 * routes (`/oauth/authorize`, `/oauth/token`, `/oauth/revoke`) with Qlik's error format, plus
 * the token-exchange and impersonation grants.
 */
import { generateKeyPair, randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import Provider, { type ClientMetadata, type JWK, type KoaContextWithOIDC } from 'oidc-provider';
import { type DevTenantClient } from './clients.ts';
import { registerQlikGrants } from './grants.ts';
import { renderErrorPage } from './login-page.ts';
import { EXCHANGE_NOT_ALLOWED_DETAIL, QlikOAuthError, withQlikErrors } from './qlik-errors.ts';
import type { TenantStore } from './store.ts';
import { type UserDirectory, usernameOf } from './users.ts';
import type { ExchangePurpose, WebSocketTokenStore } from './websocket-tokens.ts';

/** Qlik's default scope comes first: an impersonation request without `scope` gets it. */
export const SCOPES = ['user_default', 'openid', 'offline_access', 'profile', 'email'] as const;

/** Routes that serve public metadata to any origin (no credentials). */
const OPEN_CORS_PATHS: ReadonlySet<string> = new Set(['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server', '/oauth/jwks']);

export interface OAuthOptions {
  issuer: string;
  clients: readonly DevTenantClient[];
  users: UserDirectory;
  trustedOrigins: ReadonlySet<string>;
  store: TenantStore;
  websocketTokens: WebSocketTokenStore;
  /** Seconds. */
  accessTokenTtl: number;
  codeTtl: number;
  refreshTokenTtl: number;
  onExchange(purpose: ExchangePurpose): void;
}

/** A fresh P-256 signing key for ID tokens; nothing signed by a previous run stays valid. */
async function signingKey(): Promise<JWK> {
  const { privateKey } = await promisify(generateKeyPair)('ec', { namedCurve: 'P-256' });
  return { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: randomUUID(), alg: 'ES256', use: 'sig' };
}

export async function createOAuthProvider(options: OAuthOptions): Promise<Provider> {
  const { users, trustedOrigins } = options;

  const provider = new Provider(options.issuer, {
    adapter: options.store.adapterFor,
    clients: options.clients.map((client): ClientMetadata => structuredClone(client)),
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
    },
    jwks: { keys: [await signingKey()] },
    cookies: {
      names: { session: 'dev_tenant_session', interaction: 'dev_tenant_interaction', resume: 'dev_tenant_resume' },
      keys: [randomBytes(32).toString('base64url')],
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    routes: {
      authorization: '/oauth/authorize',
      token: '/oauth/token',
      revocation: '/oauth/revoke',
      jwks: '/oauth/jwks',
      userinfo: '/oauth/userinfo',
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: {
        enabled: true,
        // A client revokes only its own tokens; a public client asking for someone else's is ignored (RFC 7009 §2.1).
        allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId,
      },
      userinfo: { enabled: true },
      introspection: { enabled: false },
      resourceIndicators: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      dPoP: { enabled: false },
    },
    // Code flow only, as on Qlik Cloud: no implicit or hybrid responses.
    responseTypes: ['code'],
    clientAuthMethods: ['none', 'client_secret_post', 'client_secret_basic'],
    scopes: [...SCOPES],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    pkce: { required: () => true },
    ttl: {
      AccessToken: options.accessTokenTtl,
      ClientCredentials: options.accessTokenTtl,
      AuthorizationCode: options.codeTtl,
      IdToken: options.accessTokenTtl,
      RefreshToken: options.refreshTokenTtl,
      // Refresh tokens rotate with a fresh lifetime; the grant bounds how long that can go on.
      Grant: 14 * 24 * 60 * 60,
      Interaction: 10 * 60,
      Session: 8 * 60 * 60,
    },
    // Tokens stand on their own: Qlik does not end them with the browser session.
    expiresWithSession: () => false,
    // The SPA gets a refresh token without asking for offline_access, as on Qlik Cloud.
    issueRefreshToken: (_ctx, client, source) => client.grantTypeAllowed('refresh_token') && source.kind === 'AuthorizationCode',
    rotateRefreshToken: true,
    // Client metadata of our own (see clients.ts): `allowed_origins` and `require_authorize_cookies`.
    extraClientMetadata: { properties: ['allowed_origins', 'require_authorize_cookies'] },
    clientBasedCORS: (ctx, origin, client) => {
      if (!trustedOrigins.has(origin)) return false;
      refuseLikeQlik(ctx, origin, client.metadata());
      return true;
    },
    findAccount: (_ctx, sub) => {
      const user = users.byId(sub);
      if (!user) return undefined;
      return {
        accountId: user.id,
        claims: () => ({
          sub: user.id,
          name: user.name,
          preferred_username: usernameOf(user),
          ...(user.email ? { email: user.email, email_verified: true } : {}),
        }),
      };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError: (ctx, out, error) => {
      // Errors that must not go back to the client (unknown client, unregistered redirect_uri)
      // are shown to the user; a caller that asks for JSON gets the JSON error instead.
      if (ctx.accepts('html', 'json') === 'json') {
        ctx.body = { ...out };
        return;
      }
      const { body } = withQlikErrors({ ...out }, ctx.status, error);
      ctx.type = 'html';
      ctx.body = renderErrorPage({
        error: body.error,
        error_description: body.error_description,
        code: body.errors[0]?.code,
        traceId: body.traceId,
      });
    },
  });
  provider.proxy = false;

  registerQlikGrants(provider, {
    users,
    store: options.store,
    websocketTokens: options.websocketTokens,
    scopes: SCOPES,
    onExchange: options.onExchange,
  });

  // oidc-provider renders an error inside its router and then only emits an event: keep the
  // error so that the middleware below can add Qlik's `errors[]` with the right code.
  const causes = new WeakMap<object, unknown>();
  const keep = (ctx: KoaContextWithOIDC, err: unknown): void => void causes.set(ctx, err);
  provider.on('authorization.error', keep);
  provider.on('grant.error', keep);
  provider.on('revocation.error', keep);
  provider.on('userinfo.error', keep);
  provider.on('discovery.error', keep);
  provider.on('jwks.error', keep);
  provider.on('server_error', keep);

  provider.use(async (ctx, next) => {
    await next();
    applyCors(ctx, trustedOrigins);
    const body: unknown = ctx.body;
    if (ctx.status >= 400 && isOAuthErrorBody(body) && !('errors' in body)) {
      ctx.body = withQlikErrors(body, ctx.status, causes.get(ctx)).body;
    }
  });

  return provider;
}

/**
 * What a Qlik tenant refuses that oidc-provider would let through, for a browser's request:
 * - an origin missing from the client's allowed origins: 403 `OAUTH-29` "Invalid Origin Header";
 * - a code exchange without the cookies the authorize redirect set (the browser dropped them, as
 *   it does with third-party cookies blocked, or the page sent no credentials): 401 `OAUTH-5`.
 */
function refuseLikeQlik(ctx: KoaContextWithOIDC, origin: string, metadata: Record<string, unknown>): void {
  const allowed = metadata.allowed_origins;
  if (Array.isArray(allowed) && !allowed.includes(origin)) {
    throw new QlikOAuthError(403, 'invalid_request', 'Invalid Origin Header', 'OAUTH-29');
  }
  const grant = (ctx.oidc.params as { grant_type?: unknown } | undefined)?.grant_type;
  if (metadata.require_authorize_cookies === true && grant === 'authorization_code' && !ctx.cookies.get('dev_tenant_session')) {
    throw new QlikOAuthError(401, 'invalid_request', EXCHANGE_NOT_ALLOWED_DETAIL, 'OAUTH-5');
  }
}

function isOAuthErrorBody(body: unknown): body is { error: string; error_description?: string } {
  return typeof body === 'object' && body !== null && !Buffer.isBuffer(body) && typeof (body as { error?: unknown }).error === 'string';
}

interface CorsContext {
  path: string;
  get(field: string): string;
  set(field: string, value: string): void;
  remove(field: string): void;
  response: { get(field: string): unknown };
}

/**
 * oidc-provider answers CORS for any origin and leaves the per-client check to
 * `clientBasedCORS`. We narrow that: only trusted origins get CORS headers, with credentials
 * allowed because Qlik clients send `credentials: "include"`. Public metadata stays open.
 */
function applyCors(ctx: CorsContext, trustedOrigins: ReadonlySet<string>): void {
  const origin = ctx.get('Origin');
  if (!origin) return;
  if (trustedOrigins.has(origin)) {
    if (ctx.response.get('Access-Control-Allow-Origin')) ctx.set('Access-Control-Allow-Credentials', 'true');
    return;
  }
  if (OPEN_CORS_PATHS.has(ctx.path)) return;
  for (const header of ['Access-Control-Allow-Origin', 'Access-Control-Allow-Credentials', 'Access-Control-Allow-Methods', 'Access-Control-Allow-Headers', 'Access-Control-Expose-Headers', 'Access-Control-Max-Age']) {
    ctx.remove(header);
  }
}
