/**
 * The error registry's codes of the login transaction: the one record the kit keeps in session
 * storage while a sign-in is away. Few and small, because the eager `<auth-login>` code reads the
 * transaction to tell whether a page is a callback.
 */
import { errorArea } from './area.ts';

export const TRANSACTION_ERRORS = errorArea({
  missing_transaction: {
    cause: 'No sign-in is waiting for this callback in this tab.',
    hint: 'The callback URL was revisited, opened in another tab, or its code was already exchanged by another tab. Sign in again.',
  },
  transaction_expired: { cause: 'The sign-in expired before the callback arrived.', hint: 'The sign-in took longer than 10 minutes to come back; sign in again.' },
  storage_unavailable: {
    cause: 'Session storage (Web Storage) is not available in this context.',
    hint: "Sign-in keeps its PKCE transaction in the tab's session storage for the redirect. Allow storage for this page (not a sandboxed frame without allow-same-origin), or pass a Storage via the storage option.",
  },
});
