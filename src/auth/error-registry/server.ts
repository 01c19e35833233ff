/**
 * The error registry's codes from your backend (`access-token-url`, `get-access-token`) and from
 * embed-kit/server's token handler.
 */
import { errorArea } from './area.ts';

export const SERVER_ERRORS = errorArea({
  backend_signed_out: { cause: 'Your backend answered 401: the user is not signed in to the site.', hint: 'Sign in to the site (its own sign-in), then call signIn() to fetch a token again.' },
  get_access_token_failed: {
    cause: 'Your getAccessToken function rejected.',
    hint: 'See the cause. Reject with an error whose status is 401 (or resolve null) to mean "signed out".',
  },
  origin_not_allowed: {
    cause: "The backend refuses requests from this page's origin.",
    hint: "The backend refuses requests from this page's origin. Serve the page from the backend's origin, or add the origin to the handler's allowedOrigins. Behind a proxy that rewrites Host, set trustProxyHeaders.",
  },
  user_not_found: {
    cause: 'The signed-in user has no user in the Qlik tenant that the backend could impersonate.',
    hint: 'The signed-in user has no user in the Qlik tenant that the backend could impersonate. Check the user lookup (subject or userId) the backend sends.',
  },
  client_not_authorized: {
    cause: "The backend's OAuth client was refused by the tenant (invalid_client, OAUTH-14).",
    hint: "The backend's OAuth client was refused by the tenant: check its client id and secret, and that the client may use user impersonation.",
  },
  client_misconfigured: {
    cause: "The tenant refused the backend's token request as malformed for its OAuth client (OAUTH-1, invalid_scope, invalid_request, unsupported_grant_type).",
    hint: "Check the backend's OAuth client in the tenant: a server-side (confidential) client with user impersonation allowed, and the handler's scope (default user_default) among the client's scopes. The backend's onError gets the tenant's code and description.",
  },
  method_not_allowed: { cause: 'The token endpoint was called with a method other than POST.', hint: 'Call access-token-url with POST (the kit does); route only POST (and CORS preflight OPTIONS) to the handler.' },
  unauthenticated: { cause: 'The backend found no signed-in site user for the request.', hint: 'Sign in to the site first; the handler answers 401 until then.' },
  upstream_unreachable: {
    cause: 'The backend could not reach the Qlik tenant (DNS, connection or TLS failure).',
    hint: "Check the handler's host (your-tenant.eu.qlikcloud.com) and the backend's outbound network, proxy and DNS to it, then try again.",
  },
  upstream_timeout: {
    cause: 'The Qlik tenant did not answer the backend in time, or another instance held the token lock past the request deadline.',
    hint: "Try again in a moment. If it repeats, check the tenant's status and the backend's network to it; the handler's timeoutMs (one call, default 10 s) and requestTimeoutMs (whole request, default 30 s) set the deadlines.",
  },
  upstream_failed: {
    cause: 'The Qlik tenant failed or refused the token request with an error the handler has no more precise code for (a 5xx, or an unknown error code).',
    hint: "Try again in a moment. If it persists, the backend's onError report has the tenant's answer (error.upstreamStatus, upstreamCode, upstreamDescription): check the tenant's status and the OAuth client.",
  },
  upstream_invalid_response: {
    cause: 'The Qlik tenant answered the backend with something that is not a token.',
    hint: "Check that the handler's host names the Qlik tenant, not a proxy or a login page. With exposeUpstreamBody: true, onError's error.upstreamBody shows what came back.",
  },
  internal_error: {
    cause: "The backend's token handler failed outside the tenant call: resolveUser threw, or returned something other than a user lookup or null.",
    hint: "See the backend's onError report (error.cause). resolveUser must return { field: 'subject' | 'userId', value: '<non-empty string>' } for a signed-in user, and null otherwise.",
  },
  rate_limited: {
    cause: 'The Qlik tenant rate-limited the token endpoint (429), and the wait it asked for did not fit in this request.',
    hint: 'Wait for the Retry-After the backend sent (the kit does), then try again. If it happens often, raise the cache lifetime or lower how often tokens are asked for.',
  },
  cache_unavailable: {
    cause: 'The shared token cache (Redis) did not answer; the handler serves through it, calling the tenant directly.',
    hint: 'Check the Redis server and the network to it. Requests keep working meanwhile; the handler goes back to the cache once it answers. From evict or revoke: the shared copy was not removed; call it again once Redis is back.',
  },
  expires_in_clamped: {
    cause: 'The tenant answered an expires_in outside 1 second to 24 hours, so the handler clamped it.',
    hint: "Check the OAuth client's token lifetime in the tenant; the token is cached and handed out with the clamped lifetime.",
  },
  revoke_failed: {
    cause: "The tenant's /oauth/revoke did not accept the revocation.",
    hint: 'The token was removed from every cache, but the tenant may still accept it until it expires. Check the backend client and the tenant status, then revoke again.',
  },
});
