import { loadedHint } from './error-registry/area.ts';

/**
 * The one base class for every typed error in the kit. A `code` names the failure
 * (`state_mismatch`, `invalid_grant`, `OAUTH-5`, `engine_closed_4204`…), `hint` says what
 * to fix, and `cause` keeps whatever the server sent.
 */
export class EmbedKitError extends Error {
  /** Stable, machine-readable failure code. */
  readonly code: string;
  /** What the page author or user should do about it. */
  readonly hint: string;

  /** @param options.hint - default: the registry's hint for `code` (from the areas loaded). */
  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint ?? loadedHint(code) ?? '';
  }
}

/**
 * The authorization server's redirect back to us was refused: wrong or missing `state`,
 * no stored login transaction, an RFC 9207 `iss` problem, or an `error=` the server sent
 * (`access_denied`, `login_required`…, whose `error_description` is kept as plain text).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export class AuthorizationResponseError extends EmbedKitError {}

/**
 * The token or revocation endpoint answered with an error, or with a body that is not a
 * token response. `code` is the Qlik code (`OAUTH-1`) when present, else the RFC 6749
 * `error` (`invalid_grant`), else `http_<status>`; `cause` is the parsed body.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class TokenEndpointError extends EmbedKitError {
  /** HTTP status of the response. */
  readonly status: number;
  /** How long the server asked us to wait (`Retry-After`), in ms, when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(code: string, message: string, options: HttpErrorOptions = {}) {
    super(code, message, options);
    this.status = options.status ?? 0;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Options of the errors that carry an HTTP answer. */
export interface HttpErrorOptions {
  hint?: string;
  cause?: unknown;
  status?: number;
  retryAfterMs?: number | undefined;
}

/** The request never got an HTTP answer (offline, DNS, TLS, or blocked by CORS). Code `network_error`. */
export class NetworkError extends EmbedKitError {}

/** The server did not answer within the time limit. Code `timeout`. */
export class TimeoutError extends EmbedKitError {}

/**
 * The options cannot work, or would be unsafe: `missing_option`, `invalid_option`,
 * `insecure_endpoint`, `client_secret_refused`, `discovery_failed`, `pkce_unsupported`…
 * Thrown synchronously where possible so the page author sees it at once.
 */
export class ConfigurationError extends EmbedKitError {}

/** There is no usable token: never signed in, signed out, or expired with no way to refresh. */
export class SignInRequiredError extends EmbedKitError {}

/**
 * Your backend's token endpoint (`access-token-url`) or token function (`get-access-token`)
 * failed (`status` and `retryAfterMs` as for `TokenEndpointError`): `code` is the backend's `error` (`origin_not_allowed`, `user_not_found`,
 * `client_not_authorized`…), else `http_<status>`, `invalid_response` or
 * `get_access_token_failed`; `cause` is what it sent. A 401 is not this error: it means
 * signed out.
 */
export class BackendTokenError extends TokenEndpointError {}

/**
 * An ID token was refused: `id_token_invalid` (signature, `iss`, `aud`, `azp`, `exp`, `iat`, or
 * the keys could not be had) or `nonce_mismatch` (not issued for the sign-in this tab started).
 * Nothing from a refused token is kept.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export class IdTokenError extends EmbedKitError {}

/**
 * The signed-in user could not be loaded from the provider's user endpoint. Code `user_unavailable`;
 * `cause` is the underlying typed error. Sign-in stands: only `user` stays unset.
 */
export class UserInfoError extends EmbedKitError {}

/**
 * The one way to make anything thrown into a typed error: typed errors pass through, anything
 * else becomes `unexpected` with the original in `cause`.
 */
export function toEmbedKitError(error: unknown): EmbedKitError {
  if (error instanceof EmbedKitError) return error;
  return new EmbedKitError('unexpected', error instanceof Error ? error.message : String(error), { hint: 'See the error cause.', cause: error });
}

/** The error for a chunk of the kit's own code (by default the sign-in's, or `part`'s) that did not load. */
export function loadFailed(cause: unknown, part = 'sign-in'): EmbedKitError {
  return new EmbedKitError('load_failed', `The ${part} code could not be loaded.`, {
    hint: `The page could not load its own ${part} code (offline, or a deploy replaced the files). Reload the page.`,
    cause,
  });
}
