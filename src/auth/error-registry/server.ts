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
    hint: "The backend refuses requests from this page's origin. Serve the page from the backend's origin, or add the origin to the handler's allowedOrigins.",
  },
  user_not_found: {
    cause: 'The signed-in user has no user in the Qlik tenant that the backend could impersonate.',
    hint: 'The signed-in user has no user in the Qlik tenant that the backend could impersonate. Check the user lookup (subject or userId) the backend sends.',
  },
  client_not_authorized: {
    cause: "The backend's OAuth client was refused by the tenant.",
    hint: "The backend's OAuth client was refused by the tenant: check its client id and secret, and that the client may use user impersonation.",
  },
  client_misconfigured: { cause: "The backend's OAuth client settings were refused by the tenant.", hint: 'Check the backend configuration: scope, grant and redirect.' },
  method_not_allowed: { cause: 'The endpoint wants another method.', hint: 'access-token-url endpoints are called with POST.' },
  unauthenticated: { cause: 'The backend found no signed-in site user for the request.', hint: 'Sign in to the site first; the handler answers 401 until then.' },
  upstream_unreachable: { cause: 'The backend could not reach the Qlik tenant.', hint: "Try again; check the backend's network and host setting." },
  upstream_timeout: { cause: 'The Qlik tenant did not answer the backend in time.', hint: 'Try again in a moment.' },
  upstream_invalid_response: { cause: 'The Qlik tenant answered the backend with something that is not a token.', hint: "Check the backend's host setting and the tenant's status." },
  internal_error: { cause: 'The backend failed while getting a token.', hint: 'See the backend logs.' },
  rate_limited: {
    cause: 'The Qlik tenant rate-limited the token endpoint (429), and the wait it asked for did not fit in this request.',
    hint: 'Wait for the Retry-After the backend sent (the kit does), then try again. If it happens often, raise the cache lifetime or lower how often tokens are asked for.',
  },
  cache_unavailable: {
    cause: 'The shared token cache (Redis) did not answer; the handler serves through it, calling the tenant directly.',
    hint: 'Check the Redis server and the network to it. Requests keep working meanwhile; the handler goes back to the cache once it answers.',
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
