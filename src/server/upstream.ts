/**
 * The calls to the tenant: the `urn:qlik:oauth:user-impersonation` token request and
 * `/oauth/revoke`. Every call has a hard deadline that does not rely on `fetch` honouring its
 * abort signal; a 429 is retried once after `Retry-After` when that fits the request's deadline.
 */
import { withDeadline } from './deadline.ts';
import { ImpersonationError, type ImpersonationErrorOptions } from './errors.ts';
import type { SecretGuard } from './redact.ts';

export const IMPERSONATION_GRANT = 'urn:qlik:oauth:user-impersonation';

/** `user_lookup` of the impersonation grant: how the tenant finds the user. */
export interface UserLookup {
  field: 'subject' | 'userId';
  value: string;
}

/** Time seam: tests make waits instant; production uses the real clock. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface UpstreamConfig {
  tokenUrl: string;
  revokeUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  fetch: typeof fetch;
  /** Hard limit of one call. */
  timeoutMs: number;
  exposeUpstreamBody: boolean;
  guard: SecretGuard;
  clock: Clock;
}

/** What the tenant issued; `expiresIn` is already clamped. */
export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  /** When the request was sent (epoch ms): the lifetime counts from here. */
  issuedAt: number;
}

/** Lifetime assumed when the tenant leaves out `expires_in`. */
const DEFAULT_EXPIRES_IN = 300;
const MIN_EXPIRES_IN = 1;
const MAX_EXPIRES_IN = 24 * 60 * 60;
/** Retry-After when a 429 names none. */
const DEFAULT_RETRY_AFTER_S = 1;
/** Longest Retry-After passed on to the browser. */
const MAX_RETRY_AFTER_S = 3600;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** One POST with a hard deadline: a `fetch` that ignores its signal cannot hold the caller. */
async function post(config: UpstreamConfig, url: string, body: Record<string, unknown>, timeoutMs: number): Promise<Answer> {
  const controller = new AbortController();
  const call = (async (): Promise<Answer> => {
    const response = await config.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  })();
  try {
    return await withDeadline(
      call,
      timeoutMs,
      () => new ImpersonationError('upstream_timeout', 'the analytics tenant did not answer in time', 504, { detail: `${url}: no answer within ${timeoutMs} ms` }),
      () => controller.abort(),
    );
  } catch (error) {
    if (error instanceof ImpersonationError) throw error;
    const aborted = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new ImpersonationError(aborted ? 'upstream_timeout' : 'upstream_unreachable', 'the analytics tenant could not be reached', aborted ? 504 : 502, {
      detail: config.guard.scrub(`${url}: ${describe(error)}`),
    });
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Seconds from `Retry-After` (seconds or an HTTP date), within 0 – 1 h. */
export function retryAfterSeconds(value: string | null, now: number): number {
  if (value === null || value.trim() === '') return DEFAULT_RETRY_AFTER_S;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value.trim()) : (Date.parse(value) - now) / 1000;
  if (!Number.isFinite(seconds)) return DEFAULT_RETRY_AFTER_S;
  return Math.min(MAX_RETRY_AFTER_S, Math.max(0, Math.ceil(seconds)));
}

/**
 * Requests a token for `user`. Throws `ImpersonationError`; `notice` hears about a token that was
 * served anyway but with a corrected lifetime (`expires_in_clamped`); `rateLimited` hears each
 * 429's wait before the retry or the error, so that others can hold off as long.
 */
export async function requestImpersonationToken(
  config: UpstreamConfig,
  user: UserLookup,
  options: { deadline: number; onAttempt(): void; notice(error: ImpersonationError): void; rateLimited?(seconds: number): Promise<void> },
): Promise<IssuedToken> {
  const body = {
    client_id: config.clientId,
    client_secret: config.clientSecret,
    grant_type: IMPERSONATION_GRANT,
    user_lookup: { field: user.field, value: user.value },
    scope: config.scope,
  };
  for (let attempt = 1; ; attempt += 1) {
    const issuedAt = config.clock.now();
    const left = options.deadline - issuedAt;
    if (left <= 0) throw new ImpersonationError('upstream_timeout', 'the analytics tenant did not answer in time', 504, { detail: 'the request deadline passed' });
    options.onAttempt();
    const answer = await post(config, config.tokenUrl, body, Math.min(config.timeoutMs, left));
    if (answer.status === 429) {
      const wait = retryAfterSeconds(answer.headers.get('retry-after'), config.clock.now());
      await options.rateLimited?.(wait);
      // One retry, and only when waiting and asking again still fits this request's deadline.
      if (attempt === 1 && config.clock.now() + wait * 1000 < options.deadline) {
        await config.clock.sleep(wait * 1000);
        continue;
      }
      throw upstreamError(config, answer, { retryAfter: wait });
    }
    if (answer.status < 200 || answer.status > 299) throw upstreamError(config, answer);
    return issued(config, answer, issuedAt, options.notice);
  }
}

function issued(config: UpstreamConfig, answer: Answer, issuedAt: number, notice: (error: ImpersonationError) => void): IssuedToken {
  const json = parseJson(answer.text);
  if (typeof json.access_token !== 'string' || json.access_token === '') {
    throw new ImpersonationError('upstream_invalid_response', 'the analytics tenant sent an unusable response', 502, {
      detail: `${answer.status} without an access_token`,
      upstreamStatus: answer.status,
      ...rawBody(config, answer),
    });
  }
  const given = json.expires_in;
  if (given === undefined) return { accessToken: json.access_token, expiresIn: DEFAULT_EXPIRES_IN, issuedAt };
  const raw = typeof given === 'string' && given.trim() !== '' ? Number(given) : given;
  const expiresIn = typeof raw === 'number' && !Number.isNaN(raw) ? Math.min(MAX_EXPIRES_IN, Math.max(MIN_EXPIRES_IN, raw)) : DEFAULT_EXPIRES_IN;
  if (expiresIn !== raw) {
    const shown = config.guard.scrub(JSON.stringify(given) ?? String(given)).slice(0, 40);
    notice(
      new ImpersonationError('expires_in_clamped', 'the token lifetime was corrected', 200, {
        detail: `the tenant said expires_in ${shown}; served and cached as ${expiresIn} s (allowed ${MIN_EXPIRES_IN} s – ${MAX_EXPIRES_IN} s)`,
        upstreamStatus: answer.status,
      }),
    );
  }
  return { accessToken: json.access_token, expiresIn, issuedAt };
}

/** Revokes one access token at the tenant (RFC 7009: an unknown token is answered 200 too). */
export async function revokeAccessToken(config: UpstreamConfig, token: string): Promise<void> {
  const answer = await post(config, config.revokeUrl, { token, token_type_hint: 'access_token', client_id: config.clientId, client_secret: config.clientSecret }, config.timeoutMs);
  if (answer.status < 200 || answer.status > 299) {
    const failed = upstreamError(config, answer);
    throw new ImpersonationError('revoke_failed', 'the token could not be revoked', 502, {
      detail: failed.message,
      upstreamStatus: answer.status,
      ...(failed.upstreamCode ? { upstreamCode: failed.upstreamCode } : {}),
      ...(failed.upstreamDescription ? { upstreamDescription: failed.upstreamDescription } : {}),
    });
  }
}

function rawBody(config: UpstreamConfig, answer: Answer): { upstreamBody?: string } {
  return config.exposeUpstreamBody ? { upstreamBody: config.guard.replaceSpellings(answer.text) } : {};
}

/** A code is a short token; anything else is not a code and is dropped. */
function asCode(value: unknown): string | undefined {
  return typeof value === 'string' && /^[\w.:-]{1,64}$/.test(value) ? value : undefined;
}

/**
 * Upstream failures in words a browser may see. Codes as the dev tenant and Qlik Cloud send them
 * (QLIK-PROTOCOL.md): wrong secret is `invalid_client`, an unknown client id or a client without
 * the grant is `OAUTH-14`, an unknown user is `invalid_grant`. The message carries the parsed
 * code and description, scrubbed of the secret; never the body itself.
 */
function upstreamError(config: UpstreamConfig, answer: Answer, rateLimit?: { retryAfter: number }): ImpersonationError {
  const body = parseJson(answer.text);
  const first: unknown = Array.isArray(body.errors) ? (body.errors as unknown[])[0] : undefined;
  const entry = typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : {};
  const oauthCode = asCode(body.error);
  const qlikCode = asCode(entry.code);
  const upstreamCode = qlikCode ?? oauthCode;
  const rawDescription = [body.error_description, entry.detail, entry.title].find((d): d is string => typeof d === 'string' && d !== '');
  const description = rawDescription === undefined ? undefined : config.guard.scrub(rawDescription);
  const codes = new Set([upstreamCode, oauthCode].filter((c): c is string => c !== undefined));
  const has = (...names: string[]): boolean => names.some((name) => codes.has(name));

  const said = [upstreamCode, description].filter((part) => part !== undefined).join(': ');
  const retry = rateLimit ? `; Retry-After ${rateLimit.retryAfter} s` : '';
  const options: ImpersonationErrorOptions = {
    detail: `tenant answered ${answer.status}${said ? ` ${said}` : ' without an error code'}${retry}`,
    upstreamStatus: answer.status,
    ...(upstreamCode ? { upstreamCode } : {}),
    ...(description !== undefined ? { upstreamDescription: description } : {}),
    ...(rateLimit ? { retryAfterSeconds: rateLimit.retryAfter } : {}),
    ...rawBody(config, answer),
  };
  // Each code written out where it is raised, so that the docs' scan of raise sites finds it.
  if (rateLimit) return new ImpersonationError('rate_limited', 'the analytics tenant is busy; try again shortly', 503, options);
  if (has('OAUTH-14', 'invalid_client', 'unauthorized_client')) return new ImpersonationError('client_not_authorized', 'impersonation client not authorised', 502, options);
  // On this grant the only grant to be invalid is the user lookup.
  if (has('invalid_grant', 'user_not_found', 'invalid_user')) return new ImpersonationError('user_not_found', 'user not found in the analytics tenant', 403, options);
  if (has('OAUTH-1', 'invalid_scope', 'invalid_request', 'unsupported_grant_type')) return new ImpersonationError('client_misconfigured', 'impersonation client misconfigured', 502, options);
  return new ImpersonationError('upstream_failed', 'the analytics tenant could not issue a token', 502, options);
}
