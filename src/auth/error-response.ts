/**
 * Turning what a server said into a code and a hint. Both error shapes are understood:
 * RFC 6749 §5.2 `{ error, error_description }` and Qlik's `{ errors: [{ code, title, detail, status }] }`.
 * Server text is only ever data: it ends up in `message` and `cause`, never in markup.
 */
import { TokenEndpointError } from './errors.ts';
import type { HintContext } from './error-registry/area.ts';
import { lookupHint } from './error-registry/lookup.ts';
import { OAUTH_ERRORS } from './error-registry/oauth.ts';

/** The parts of an error body we act on. */
export interface ParsedErrorBody {
  /** Qlik `errors[0].code` when present, else RFC 6749 `error`. */
  code?: string;
  /** Human text from the server (`title: detail` or `error_description`). */
  description?: string;
  /** Qlik's `traceId`, worth quoting to Qlik support. */
  traceId?: string;
}

/** Long server text would swamp an error message; the full body stays in `cause`. */
const MAX_TEXT = 1000;

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  return trimmed.length > MAX_TEXT ? `${trimmed.slice(0, MAX_TEXT)}…` : trimmed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a Qlik or RFC 6749 error body; anything else yields `{}`. */
export function parseErrorBody(body: unknown): ParsedErrorBody {
  if (!isRecord(body)) return {};
  const result: ParsedErrorBody = {};
  const traceId = text(body.traceId);
  if (traceId) result.traceId = traceId;

  // Qlik puts its specific code (OAUTH-1, OAUTH-14…) next to a generic one, and the specific
  // one is what names the fix, so it wins.
  const first = Array.isArray(body.errors) ? body.errors.find(isRecord) : undefined;
  const qlikCode = first ? text(first.code) : undefined;
  if (first && qlikCode) {
    result.code = qlikCode;
    const title = text(first.title);
    const detail = text(first.detail);
    const description = title && detail ? `${title}: ${detail}` : (detail ?? title);
    if (description) result.description = description;
    return result;
  }
  const error = text(body.error);
  if (error) {
    result.code = error;
    const description = text(body.error_description);
    if (description) result.description = description;
  }
  return result;
}

/** Names of token members that never stay in an error's `cause`. */
const TOKEN_MEMBERS = ['access_token', 'refresh_token', 'id_token'];
/**
 * A token's value in text: form-encoded (`access_token=…`), JSON sent as text
 * (`"access_token": "…"`) or written out (`access_token: …`). The name and separator stay.
 */
const TOKEN_IN_TEXT = /\b((?:access|refresh|id)_token)(["']?\s*[:=]\s*["']?)[^"'&\s,;}<]+/gi;
/** Deeper than any error body; what lies beyond is dropped rather than walked. */
const MAX_DEPTH = 16;
const REDACTED = '[redacted]';

/**
 * `body` as kept in an error's `cause`: without the values of `access_token`, `refresh_token`
 * and `id_token`, at any depth of a JSON body and anywhere in a text one (form-encoded, JSON
 * served as text, an error page), which `auth-error` listeners and logs must never see, even
 * from a response the kit refused. A body with none is returned as it is.
 */
export function withoutTokens(body: unknown, depth = 0): unknown {
  if (typeof body === 'string') return body.replace(TOKEN_IN_TEXT, `$1$2${REDACTED}`);
  if (typeof body !== 'object' || body === null) return body;
  const array = Array.isArray(body);
  const proto: unknown = Object.getPrototypeOf(body);
  // Only parsed bodies (plain objects and arrays) are walked.
  if (!array && proto !== Object.prototype && proto !== null) return body;
  if (depth >= MAX_DEPTH) return REDACTED;
  let changed = false;
  const entries = Object.entries(body).map(([name, value]): [string, unknown] => {
    const kept = !array && TOKEN_MEMBERS.includes(name) ? REDACTED : withoutTokens(value, depth + 1);
    changed ||= kept !== value;
    return [name, kept];
  });
  if (!changed) return body;
  return array ? entries.map(([, value]) => value) : Object.fromEntries(entries);
}

/**
 * Many servers report a redirect URI problem under a generic code (`invalid_request`,
 * `invalid_grant`) and say so only in the description; the fix is the same whatever the code.
 */
export function redirectUriProblem(code: string, description: string | undefined): boolean {
  if (code === 'redirect_uri_mismatch') return true;
  // Specific codes (Qlik's OAUTH-1…) already have their own hint.
  const generic = code === 'invalid_request' || code === 'invalid_grant' || code.startsWith('http_');
  return generic && description !== undefined && /redirect[\s_-]?ur[il]/i.test(description);
}

/**
 * Builds the typed error for a non-2xx (or malformed) token or revocation endpoint response.
 * `body` is the parsed JSON when the body was JSON, else its text.
 */
export function tokenEndpointError(status: number, body: unknown, context: HintContext & { retryAfterMs?: number } = {}): TokenEndpointError {
  const parsed = parseErrorBody(body);
  const code = parsed.code ?? `http_${status}`;
  const message = parsed.description
    ? `Token endpoint error ${code}: ${parsed.description}`
    : `Token endpoint answered HTTP ${status} (${code}).`;
  return new TokenEndpointError(code, message, {
    hint: lookupHint([OAUTH_ERRORS], redirectUriProblem(code, parsed.description) ? 'redirect_uri_mismatch' : code, { ...context, status }),
    cause: withoutTokens(body),
    status,
    retryAfterMs: context.retryAfterMs,
  });
}
