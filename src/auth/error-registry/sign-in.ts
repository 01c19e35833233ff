/**
 * The error registry's codes of the sign-in this tab started: the login transaction kept in
 * session storage and the callback that answers it. Small, because the eager `<auth-login>` code
 * reads the transaction to tell whether a page is a callback.
 */
import type { ErrorArea } from './area.ts';

export const SIGN_IN_ERRORS = {
  state_mismatch: {
    cause: "The callback's state does not match the sign-in this tab started.",
    hint: 'The callback belongs to no sign-in this tab started, so it was refused (a stale or forged link). Nothing was exchanged; sign in again.',
  },
  missing_transaction: {
    cause: 'No sign-in is waiting for this callback in this tab.',
    hint: 'The callback URL was revisited, opened in another tab, or its code was already exchanged by another tab. Sign in again.',
  },
  transaction_expired: { cause: 'The sign-in expired before the callback arrived.', hint: 'The sign-in took longer than 10 minutes to come back; sign in again.' },
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

  storage_unavailable: {
    cause: 'Session storage (Web Storage) is not available in this context.',
    hint: "Sign-in keeps its PKCE transaction in the tab's session storage for the redirect. Allow storage for this page (not a sandboxed frame without allow-same-origin), or pass a Storage via the storage option.",
  },
} satisfies ErrorArea;
