/** The one error type of `embed-kit/server`, and the codes the browser may see. */

/**
 * Stable codes the browser receives in `{ error, message }`:
 * `method_not_allowed` 405, `origin_not_allowed` 403, `unauthenticated` 401,
 * `user_not_found` 403, `client_not_authorized` 502, `client_misconfigured` 502,
 * `upstream_failed` 502, `upstream_unreachable` 502, `upstream_timeout` 504,
 * `upstream_invalid_response` 502, `rate_limited` 503 (with `Retry-After`), `internal_error` 500.
 *
 * Reported to `onError` only, never answered: `expires_in_clamped` (the token was served with a
 * lifetime within 1 s – 24 h), `cache_unavailable` (the shared cache failed; served without it;
 * from `evict`/`revoke`: the shared copy could not be removed), `revoke_failed` (from `handler.revoke`).
 */
export type ImpersonationErrorCode =
  | 'method_not_allowed'
  | 'origin_not_allowed'
  | 'unauthenticated'
  | 'user_not_found'
  | 'client_not_authorized'
  | 'client_misconfigured'
  | 'upstream_failed'
  | 'upstream_unreachable'
  | 'upstream_timeout'
  | 'upstream_invalid_response'
  | 'rate_limited'
  | 'internal_error'
  | 'expires_in_clamped'
  | 'cache_unavailable'
  | 'revoke_failed';

export interface ImpersonationErrorOptions {
  cause?: unknown;
  detail?: string;
  upstreamStatus?: number;
  upstreamCode?: string;
  upstreamDescription?: string;
  upstreamBody?: string;
  retryAfterSeconds?: number;
}

/** A failure with a message that is safe to show to the browser, and the detail for your logs. */
export class ImpersonationError extends Error {
  /** HTTP status of the tenant's answer, when there was one. */
  readonly upstreamStatus: number | undefined;
  /** The tenant's error code (`OAUTH-14`, `invalid_grant`…), when it sent one. */
  readonly upstreamCode: string | undefined;
  /** The tenant's `error_description` (or Qlik's `detail`/`title`), with the secret redacted. */
  readonly upstreamDescription: string | undefined;
  /**
   * The tenant's whole answer, only with `exposeUpstreamBody: true`: it is the tenant's text, so
   * treat it as untrusted. The secret's plain spellings are replaced, but a hostile tenant can
   * encode it in ways no filter knows; that is why it is off by default.
   */
  readonly upstreamBody: string | undefined;
  /** Seconds the browser is told to wait (`Retry-After`) with `rate_limited`. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly code: ImpersonationErrorCode,
    /** What the browser is told. */
    readonly publicMessage: string,
    /** HTTP status for the browser. */
    readonly status: number,
    options: ImpersonationErrorOptions = {},
  ) {
    super(options.detail ? `${publicMessage}: ${options.detail}` : publicMessage, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ImpersonationError';
    this.upstreamStatus = options.upstreamStatus;
    this.upstreamCode = options.upstreamCode;
    this.upstreamDescription = options.upstreamDescription;
    this.upstreamBody = options.upstreamBody;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
