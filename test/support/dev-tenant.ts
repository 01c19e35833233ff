import { TOKEN_EXCHANGE_GRANT, type DevTenantClient } from '../../src/dev-tenant/index.ts';

/** A public SPA client for journey pages served on an OS-chosen port. */
export function journeyClient(redirectUris: string[], clientId = 'journey-spa'): DevTenantClient {
  return {
    client_id: clientId,
    application_type: 'web',
    token_endpoint_auth_method: 'none',
    redirect_uris: redirectUris,
    response_types: ['code'],
    grant_types: ['authorization_code', 'refresh_token', TOKEN_EXCHANGE_GRANT],
  };
}
