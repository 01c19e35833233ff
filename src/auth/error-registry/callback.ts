/**
 * The error registry's codes of the callback: the authorization response this tab's sign-in came
 * back with, refused before any token request (state, RFC 9207 `iss`, no code).
 */
import { errorArea } from './area.ts';

export const CALLBACK_ERRORS = errorArea({
  state_mismatch: {
    cause: "The callback's state does not match the sign-in this tab started.",
    hint: 'The callback belongs to no sign-in this tab started, so it was refused (a stale or forged link). Nothing was exchanged; sign in again.',
  },
  issuer_mismatch: {
    cause: 'The callback names a different issuer (RFC 9207 `iss`) than the server the sign-in was sent to.',
    hint:
      'Possible mix-up attack (RFC 9207), so nothing was exchanged. If this server really names itself differently (its iss is not the origin of its ' +
      'authorization endpoint), set the issuer option (issuer attribute) to exactly the iss it sends, then sign in again.',
  },
  missing_issuer: {
    cause: 'The server promised an `iss` parameter but the callback has none.',
    hint: 'The server promises an iss parameter (authorization_response_iss_parameter_supported) but sent none. Check that no proxy strips query parameters, then sign in again.',
  },
  missing_code: {
    cause: 'The callback carries a state but neither a code nor an error.',
    hint: 'The server sent the user back without an answer. Check the authorization server (and any proxy) for a failed sign-in, then sign in again.',
  },

});
