/**
 * The error registry's codes of the tokens a signed-in page holds (expiry, refresh, ID token,
 * user), of the provider options, and of the kit's own code.
 */
import { errorArea } from './area.ts';

const AGAIN = 'Sign in again.';

export const TOKEN_ERRORS = errorArea({
  not_signed_in: { cause: 'There is no token: not signed in yet, or signed out.', hint: 'Sign in first; tokens are kept in memory only, so a reload or a new tab needs a new sign-in.' },
  token_expired: { cause: 'The access token expired and cannot be refreshed.', hint: 'The access token expired and there is no refresh token; sign in again.' },
  refresh_failed: { cause: 'Refreshing the token failed.', hint: AGAIN },
  nonce_mismatch: {
    cause: 'The ID token was not issued for the sign-in this tab started.',
    hint: 'Its nonce differs: a replayed or injected token. Nothing was kept; sign in again.',
  },
  id_token_invalid: { cause: 'An ID token was refused (signature, iss, aud, azp, exp or iat), or its keys could not be had.', hint: 'Check the issuer and client-id; nothing from the refused token was kept. Sign in again.' },
  user_unavailable: { cause: "The signed-in user could not be loaded from the provider's user endpoint.", hint: 'Sign-in stands; only user stays unset. See the error cause.' },

  // Options.
  missing_option: { cause: 'A required option is missing.', hint: 'Set the option the message names.' },
  invalid_option: { cause: 'An option has a value that cannot work.', hint: 'Correct the option the message names.' },
  insecure_endpoint: {
    cause: 'An endpoint uses plain http off loopback, where tokens could be read on the way.',
    hint: 'Use https. Plain http is allowed only for loopback (localhost, 127.0.0.1, [::1]) during development.',
  },
  client_secret_refused: {
    cause: 'A client secret was given to browser code, which cannot keep it secret.',
    hint: 'Remove the secret and register a public client that uses PKCE (no secret), or keep the secret on a backend that runs the token exchange.',
  },
  discovery_failed: {
    cause: "The OIDC issuer's metadata could not be read.",
    hint: 'Check the issuer option: it must be the exact issuer URL whose /.well-known/openid-configuration serves the metadata, reachable with CORS from this origin.',
  },
  discovery_issuer_mismatch: {
    cause: 'The discovered metadata names another issuer than the one configured.',
    hint: 'Set the issuer option to exactly the value in the metadata, if that server is the one you trust.',
  },
  pkce_unsupported: {
    cause: 'The server does not list S256 in code_challenge_methods_supported.',
    hint: 'Enable PKCE with the S256 method for this server or client; a browser client cannot sign in safely without it.',
  },
  load_failed: {
    cause: "A part of the kit's own code could not be loaded.",
    hint: 'The page could not load its own code (offline, or a deploy replaced the files). Reload the page.',
  },
  unexpected: { cause: 'Not one of the failures above; `cause` holds the original error.', hint: 'See the error cause.' },
});
