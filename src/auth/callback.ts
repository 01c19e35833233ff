/**
 * The redirect back from the authorization endpoint: deciding whether to trust it. Reading it and
 * removing it from the address bar is in `callback-url.ts`, which a page loads up front (to tell
 * whether it is a callback at all, and to take it out of the address bar at once), and is
 * re-exported here.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
import { AuthorizationResponseError, EmbedKitError } from './errors.ts';
import { redirectUriProblem } from './error-response.ts';
import { hintIn } from './error-registry/area.ts';
import { lookupHint } from './error-registry/lookup.ts';
import { OAUTH_ERRORS } from './error-registry/oauth.ts';
import { CALLBACK_ERRORS } from './error-registry/callback.ts';
import type { CallbackParameters } from './callback-url.ts';
import {
  hasPendingTransaction,
  takeTransaction,
  type LoginTransaction,
  type TransactionStorageOptions,
} from './transaction.ts';

export {
  CALLBACK_PARAMETERS,
  cleanCallbackUrl,
  isCallbackUrl,
  parseCallback,
  stripCallbackParameters,
  type CallbackParameters,
} from './callback-url.ts';

function stateMismatch(message: string, cause?: unknown): AuthorizationResponseError {
  return new AuthorizationResponseError('state_mismatch', message, { hint: hintIn(CALLBACK_ERRORS, 'state_mismatch'), cause });
}

/**
 * Takes (and so consumes) the stored transaction that `params.state` names. Synchronous, so a
 * second caller for the same callback finds it gone.
 *
 * When this tab has a different sign-in under way the callback is not its answer (tampered or
 * forged `state`): `state_mismatch`, and the pending sign-in is left alone. When nothing is under
 * way the URL was most likely revisited: `missing_transaction`.
 * @throws {AuthorizationResponseError} `state_mismatch`, `missing_transaction`, `transaction_expired`.
 */
export function takeCallbackTransaction(
  params: CallbackParameters,
  options: TransactionStorageOptions = {},
): LoginTransaction {
  if (!params.state) throw stateMismatch('The callback has no state parameter, so it cannot be tied to a sign-in.');
  try {
    return takeTransaction(params.state, options);
  } catch (error) {
    if (error instanceof EmbedKitError && error.code === 'missing_transaction' && hasPendingTransaction(options)) {
      throw stateMismatch('The callback\'s state does not match the sign-in this tab started.');
    }
    throw error;
  }
}

export interface ValidateCallbackOptions extends TransactionStorageOptions {
  /**
   * The transaction this callback answers, already taken. Without it, it is taken from storage
   * by `params.state`.
   */
  transaction?: LoginTransaction;
  /** Issuer the request went to; defaults to `transaction.issuer`. */
  expectedIssuer?: string;
  /** Server metadata `authorization_response_iss_parameter_supported`. */
  requireIssuer?: boolean;
  /**
   * The expected issuer is the server's origin, not one it named itself: then one trailing
   * slash on `iss` is tolerated, as servers write their origin both ways.
   */
  issuerIsOrigin?: boolean;
}

export interface ValidatedCallback {
  code: string;
  state: string;
  transaction: LoginTransaction;
}

/**
 * Decides whether to trust an authorization response, before any token request:
 * - `state` must match the stored transaction (`state_mismatch`, `missing_transaction`, `transaction_expired`);
 * - `iss`, when present or required, must equal the expected issuer exactly
 *   ([RFC 9207 §2.4](https://www.rfc-editor.org/rfc/rfc9207#section-2.4): `issuer_mismatch`, `missing_issuer`);
 * - `error=` becomes an error with that code and `error_description` as plain text;
 * - otherwise there must be a `code` (`missing_code`).
 * @throws {AuthorizationResponseError}
 */
export function validateCallback(params: CallbackParameters, options: ValidateCallbackOptions = {}): ValidatedCallback {
  const transaction = options.transaction ?? takeCallbackTransaction(params, options);
  if (!params.state || params.state !== transaction.state) {
    throw stateMismatch('The callback\'s state does not match the sign-in this tab started.');
  }

  const expectedIssuer = options.expectedIssuer ?? transaction.issuer;
  if (params.iss !== undefined) {
    // Exact compare (RFC 9207 §2.4); only an origin we assumed may come back with a slash.
    const iss = options.issuerIsOrigin ? params.iss.replace(/\/$/, '') : params.iss;
    if (expectedIssuer !== undefined && iss !== expectedIssuer) {
      throw new AuthorizationResponseError(
        'issuer_mismatch',
        `The response comes from issuer ${JSON.stringify(params.iss)}, but the sign-in was sent to ${expectedIssuer}.`,
        { hint: hintIn(CALLBACK_ERRORS, 'issuer_mismatch'), cause: params },
      );
    }
  } else if (options.requireIssuer) {
    throw new AuthorizationResponseError('missing_issuer', 'The response has no iss parameter, which the server promised.', {
      hint: hintIn(CALLBACK_ERRORS, 'missing_issuer'),
      cause: params,
    });
  }

  if (params.error !== undefined) {
    const description = params.error_description;
    throw new AuthorizationResponseError(
      params.error,
      description ? `Sign-in failed (${params.error}): ${description}` : `Sign-in failed (${params.error}).`,
      {
        hint: redirectUriProblem(params.error, description)
          ? hintIn(OAUTH_ERRORS, 'redirect_uri_mismatch', { redirectUri: transaction.redirectUri })
          : lookupHint([OAUTH_ERRORS], params.error),
        cause: params,
      },
    );
  }
  if (!params.code) {
    throw new AuthorizationResponseError('missing_code', 'The callback has no authorization code.', {
      hint: hintIn(CALLBACK_ERRORS, 'missing_code'),
      cause: params,
    });
  }
  return { code: params.code, state: params.state, transaction };
}

/**
 * `path` when it stays on `origin`, as a path (`/a?b#c`); otherwise `/`. Refuses other origins,
 * protocol-relative `//host`, backslash tricks and `javascript:`, so a return path cannot become
 * an open redirect.
 */
export function safeReturnPath(path: string | undefined | null, origin: string): string {
  if (typeof path !== 'string' || path === '') return '/';
  let base: URL;
  let resolved: URL;
  try {
    base = new URL(origin);
    resolved = new URL(path, base.origin);
  } catch {
    return '/';
  }
  // The URL parser already turned `\` into `/` and dropped tabs and newlines, so checking the
  // outcome catches what checking the input string would miss.
  if (resolved.origin !== base.origin) return '/';
  if (resolved.protocol !== 'https:' && resolved.protocol !== 'http:') return '/';
  // Only a path or an absolute URL on this origin counts; `foo` or `?x` relative forms are ambiguous.
  const trimmed = path.trim();
  if (!trimmed.startsWith('/') && !trimmed.toLowerCase().startsWith(base.origin.toLowerCase())) return '/';
  // `/.//evil.com` normalises to the path `//evil.com`, which a later navigation would read
  // as another host.
  if (resolved.pathname.startsWith('//')) return '/';
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}
