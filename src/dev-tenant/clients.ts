/**
 * The OAuth clients the dev tenant knows when none are given: the demo SPA, a backend that may
 * impersonate users, and a machine client. Metadata is oidc-provider's (RFC 7591 names).
 */
import type { ClientMetadata } from 'oidc-provider';

/** RFC 8693 token exchange; Qlik uses it to turn a user token into a websocket token. */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** Qlik's backend grant: a confidential client gets a user's access token. */
export const IMPERSONATION_GRANT = 'urn:qlik:oauth:user-impersonation';
/** RFC 8693 §3 token type of both the subject token and the issued websocket token. */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/**
 * A client as oidc-provider takes it (`client_id`, `redirect_uris`, `grant_types`, …), plus two
 * Qlik behaviours a browser client meets: `allowed_origins` (an origin not listed gets 403
 * `OAUTH-29` at the token endpoint) and `require_authorize_cookies` (a code exchange without the
 * cookies of the authorize redirect gets 401 `OAUTH-5`).
 */
export type DevTenantClient = ClientMetadata & { allowed_origins?: string[]; require_authorize_cookies?: boolean };

export const DEMO_CLIENT_ID = 'embed-kit-demo';
export const BACKEND_CLIENT_ID = 'embed-kit-backend';
export const BACKEND_CLIENT_SECRET = 'dev-backend-secret';
export const MACHINE_CLIENT_ID = 'embed-kit-machine';
export const MACHINE_CLIENT_SECRET = 'dev-machine-secret';

/** Origins of the vite demo. They may call the tenant with credentials and open engine websockets. */
export const DEFAULT_TRUSTED_ORIGINS: readonly string[] = ['http://localhost:5173', 'http://127.0.0.1:5173'];

const DEMO_PATHS = ['/', '/index.html', '/demo/plain/', '/demo/cms/', '/demo/vue/', '/demo/react/', '/demo/angular/', '/demo/backend/'];

/** Every page of the vite demo that may receive the authorization response. */
export const DEMO_REDIRECT_URIS: readonly string[] = DEFAULT_TRUSTED_ORIGINS.flatMap((origin) => DEMO_PATHS.map((path) => `${origin}${path}`));

export const DEFAULT_CLIENTS: readonly DevTenantClient[] = [
  {
    client_id: DEMO_CLIENT_ID,
    client_name: 'embed-kit demo (public SPA client)',
    application_type: 'web',
    token_endpoint_auth_method: 'none',
    redirect_uris: [...DEMO_REDIRECT_URIS],
    response_types: ['code'],
    grant_types: ['authorization_code', 'refresh_token', TOKEN_EXCHANGE_GRANT],
  },
  {
    client_id: BACKEND_CLIENT_ID,
    client_name: 'embed-kit demo backend (confidential client)',
    client_secret: BACKEND_CLIENT_SECRET,
    token_endpoint_auth_method: 'client_secret_post',
    redirect_uris: [],
    response_types: [],
    grant_types: [IMPERSONATION_GRANT, 'client_credentials', TOKEN_EXCHANGE_GRANT],
  },
  {
    client_id: MACHINE_CLIENT_ID,
    client_name: 'embed-kit machine client',
    client_secret: MACHINE_CLIENT_SECRET,
    token_endpoint_auth_method: 'client_secret_post',
    redirect_uris: [],
    response_types: [],
    grant_types: ['client_credentials'],
  },
];
