/**
 * `embed-kit/dev-tenant`. The dev tenant's server packages (oidc-provider, which brings koa,
 * and ws) are optional peer dependencies, so that a browser-only install of embed-kit carries
 * no server code. This entry checks them before loading the dev tenant, and names what to
 * install when one is missing.
 */
import { loadDevTenant } from './peers.ts';

export type { DevTenant, DevTenantOptions, DevTenantStats, DevTenantClient, DevTenantUser, UserLookupField } from './index.ts';
export type { QlikErrorBody, QlikErrorEntry, QlikUser, Engine, EngineStats, EngineUser } from './index.ts';
export { MissingPeerDependencyError } from './peers.ts';

const devTenant = await loadDevTenant();

export const {
  startDevTenant,
  DEFAULT_PORT,
  DEFAULT_USERS,
  DEFAULT_CLIENTS,
  DEFAULT_TRUSTED_ORIGINS,
  SAMPLE_APP_ID,
  DEMO_CLIENT_ID,
  BACKEND_CLIENT_ID,
  BACKEND_CLIENT_SECRET,
  MACHINE_CLIENT_ID,
  MACHINE_CLIENT_SECRET,
  DEMO_REDIRECT_URIS,
  TOKEN_EXCHANGE_GRANT,
  IMPERSONATION_GRANT,
  ACCESS_TOKEN_TYPE,
} = devTenant;
