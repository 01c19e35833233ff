/**
 * Qlik Cloud's error format, added next to the standard OAuth one:
 *
 *   {"error":"invalid_grant","error_description":"…",
 *    "errors":[{"code":"OAUTH-1","title":"Bad Request","detail":"…","status":"400"}],"traceId":"…"}
 *
 * `status` is a string, as Qlik sends it. Codes seen on Qlik tenants (QLIK-PROTOCOL.md):
 * OAUTH-1 (redirect_uri not registered), OAUTH-5 (exchange not allowed), OAUTH-14 (client not
 * authorized / invalid client_id). Anything else carries the standard code.
 */
import { randomBytes } from 'node:crypto';
import { STATUS_CODES, type ServerResponse } from 'node:http';
import { errors } from 'oidc-provider';

export interface QlikErrorEntry {
  code: string;
  title: string;
  detail: string;
  status: string;
}

export interface QlikErrorBody {
  error?: string;
  error_description?: string;
  errors: QlikErrorEntry[];
  traceId: string;
}

export const OAUTH_REDIRECT_URI_NOT_REGISTERED = 'OAUTH-1';
export const OAUTH_EXCHANGE_NOT_ALLOWED = 'OAUTH-5';
export const OAUTH_CLIENT_NOT_AUTHORIZED = 'OAUTH-14';

/** Qlik's words for OAUTH-5. */
export const EXCHANGE_NOT_ALLOWED_DETAIL = 'Cannot perform exchange with given Oauth configuration';

/**
 * An OAuth error thrown by our own grants. oidc-provider renders `error`/`error_description`
 * with `statusCode`; `qlikCode` says what goes into `errors[].code`.
 */
export class QlikOAuthError extends errors.OIDCProviderError {
  readonly qlikCode: string;

  constructor(status: number, error: string, description: string, qlikCode: string = error) {
    super(status, error);
    this.error_description = description;
    this.qlikCode = qlikCode;
    this.expose = true;
  }
}

export function traceId(): string {
  return randomBytes(16).toString('hex');
}

export function qlikErrorEntry(code: string, status: number, detail: string): QlikErrorEntry {
  return { code, title: STATUS_CODES[status] ?? 'Error', detail, status: String(status) };
}

/** oidc-provider's text for a grant type the client is not registered for (RFC 6749 calls this `unauthorized_client`). */
const GRANT_TYPE_NOT_ALLOWED = 'requested grant type is not allowed for this client';
const CLIENT_NOT_FOUND = 'client not found';
const CODE_REDIRECT_URI_MISMATCH = 'authorization code redirect_uri mismatch';

interface ErrorLike {
  error_detail?: unknown;
  qlikCode?: unknown;
}

/**
 * Turns an oidc-provider error body (and the error behind it, when known) into the body we send.
 * oidc-provider hides `error_detail`; a dev tenant shows it, because "grant request is invalid"
 * alone does not tell a developer that the code was replayed or the verifier was wrong.
 */
export function withQlikErrors(
  body: { error: string; error_description?: string; [key: string]: unknown },
  status: number,
  cause: unknown,
): { body: QlikErrorBody & Record<string, unknown>; status: number } {
  const { error_detail: rawDetail, qlikCode } = (typeof cause === 'object' && cause !== null ? cause : {}) as ErrorLike;
  const detail = typeof rawDetail === 'string' ? rawDetail : undefined;
  let error = body.error;
  let description = body.error_description ?? error;
  if (detail && detail !== description) description = `${description} (${detail})`;

  let code = typeof qlikCode === 'string' ? qlikCode : error;
  if (error === 'invalid_redirect_uri' || (error === 'invalid_grant' && detail === CODE_REDIRECT_URI_MISMATCH)) {
    code = OAUTH_REDIRECT_URI_NOT_REGISTERED;
  } else if (error === 'invalid_client' && detail === CLIENT_NOT_FOUND) {
    code = OAUTH_CLIENT_NOT_AUTHORIZED;
  } else if (error === 'invalid_request' && body.error_description === GRANT_TYPE_NOT_ALLOWED) {
    error = 'unauthorized_client';
    code = OAUTH_CLIENT_NOT_AUTHORIZED;
  } else if (error === 'unauthorized_client') {
    code = OAUTH_CLIENT_NOT_AUTHORIZED;
  }

  return {
    status,
    body: { ...body, error, error_description: description, errors: [qlikErrorEntry(code, status, description)], traceId: traceId() },
  };
}

/** Writes a Qlik-format JSON error from our own (non-oidc-provider) routes. */
export function sendQlikError(
  res: ServerResponse,
  status: number,
  code: string,
  detail: string,
  extra: { error?: string; headers?: Record<string, string> } = {},
): void {
  const body: QlikErrorBody = {
    ...(extra.error ? { error: extra.error, error_description: detail } : {}),
    errors: [qlikErrorEntry(code, status, detail)],
    traceId: traceId(),
  };
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...extra.headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}
