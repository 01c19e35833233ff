import { EmbedKitError } from '../auth/errors.ts';
import { hintIn } from '../auth/error-registry/area.ts';
import { OBJECT_ERRORS } from '../auth/error-registry/objects.ts';

/**
 * The RFC 8693 websocket-token exchange failed. `code` is Qlik's (`OAUTH-5`, `OAUTH-14`…),
 * the standard OAuth error (`invalid_grant`…), `http_<status>`, or `network_error`.
 * `cause` keeps the parsed response body (or the network error).
 */
export class WebSocketTokenError extends EmbedKitError {
  /** HTTP status of the token endpoint's answer; 0 when it never answered. */
  readonly status: number;

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown; status?: number } = {}) {
    super(code, message, options);
    this.status = options.status ?? 0;
  }
}

/**
 * The engine closed the websocket with a code we must not resume from, e.g. 4203 (no
 * permission) or 4204 (app not found). `code` is `engine_closed_<closeCode>`.
 */
export class EngineClosedError extends EmbedKitError {
  readonly closeCode: number;
  readonly reason: string;

  constructor(closeCode: number, message: string, options: { hint?: string; reason?: string; cause?: unknown } = {}) {
    super(`engine_closed_${closeCode}`, message, options);
    this.closeCode = closeCode;
    this.reason = options.reason ?? '';
  }
}

/**
 * The websocket never opened. Browsers hide why (status, body) from scripts, so the hint lists
 * the usual causes; the commonest on a new page is an origin missing from the tenant's allowlist.
 * `code` is `engine_unreachable`.
 */
export class EngineConnectError extends EmbedKitError {}

/**
 * A JSON-RPC call failed. Keeps enigma.js's numeric code (`-1` NOT_CONNECTED, `-2`
 * OBJECT_NOT_FOUND, `-11` SESSION_SUSPENDED…) or the engine's error code in `engineCode`.
 * `code` is `engine_request_failed`, `object_not_found`, or `resume_failed`.
 */
export class EngineRequestError extends EmbedKitError {
  readonly engineCode: number | undefined;

  constructor(code: string, message: string, options: { hint?: string; cause?: unknown; engineCode?: number } = {}) {
    super(code, message, options);
    this.engineCode = options.engineCode;
  }
}

/** Shape of errors thrown by enigma.js (`createEnigmaError`) and of JSON-RPC errors it rejects with. */
interface EnigmaErrorLike {
  code?: unknown;
  message?: unknown;
  parameter?: unknown;
}

/**
 * Wraps whatever an enigma.js call rejected with into an `EngineRequestError`, keeping the
 * numeric code. Our own typed errors pass through unchanged.
 */
export function toEngineRequestError(error: unknown, what: string): EmbedKitError {
  if (error instanceof EmbedKitError) return error;
  const like: EnigmaErrorLike = typeof error === 'object' && error !== null ? (error as EnigmaErrorLike) : {};
  const engineCode = typeof like.code === 'number' ? like.code : undefined;
  const detail = typeof like.message === 'string' && like.message ? like.message : String(error);
  if (engineCode === -2) {
    return new EngineRequestError('object_not_found', `${what}: object not found.`, {
      engineCode,
      cause: error,
      hint: hintIn(OBJECT_ERRORS, 'object_not_found'),
    });
  }
  // Its hint is the registry's (OBJECT_ERRORS, loaded with this module).
  return new EngineRequestError('engine_request_failed', `${what}: ${detail}`, { engineCode, cause: error });
}

/**
 * A call of the kit's app API (`select`, `applyBookmark`, `setVariable`, `exportData`…) failed
 * for a reason the page can fix. `code` names it: `not_open` (no open session yet),
 * `field_not_found`, `bookmark_not_found`, `variable_not_found`, `export_unsupported`,
 * `export_failed`, `export_url_refused`. `cause` keeps the engine's error when there was one.
 */
export class QlikApiError extends EmbedKitError {}
