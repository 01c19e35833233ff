/**
 * `GET /api/v1/users/me` in Qlik's user shape, and the CORS rule of the tenant's own REST
 * routes: trusted origins only, credentials allowed. The routing lives in rest-api.ts.
 */
import type { DevTenantUser } from './users.ts';

export const USERS_ME_PATH = '/api/v1/users/me';

/** What Qlik's `/api/v1/users/me` returns, reduced to what the kit reads. */
export interface QlikUser {
  id: string;
  tenantId: string;
  status: 'active';
  subject: string;
  name: string;
  email?: string;
}

/** CORS response headers for `origin`: none unless it is trusted. */
export function corsHeaders(origin: string | undefined, trustedOrigins: ReadonlySet<string>): Record<string, string> {
  if (!origin || !trustedOrigins.has(origin)) return { vary: 'Origin' };
  return { vary: 'Origin', 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' };
}

export function qlikUser(user: DevTenantUser, tenantId: string): QlikUser {
  return {
    id: user.id,
    tenantId,
    status: 'active',
    subject: user.subject,
    name: user.name,
    ...(user.email ? { email: user.email } : {}),
  };
}
