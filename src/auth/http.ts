/**
 * One way to make an HTTP call from the core: with a deadline, a caller signal, and typed
 * errors. Everything that talks to a server goes through here so that no promise can hang.
 */
import { NetworkError, TimeoutError } from './errors.ts';
import { hintIn } from './error-registry/area.ts';
import { OAUTH_ERRORS } from './error-registry/oauth.ts';

/** The seam every outside call takes. */
export interface RequestSeam {
  /** Replaces the global `fetch` (tests, instrumentation, proxies). */
  fetch?: typeof fetch;
  /** Aborting rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Deadline for the whole call, body included. Default 15 000 ms. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

/** What came back: the response plus its body, already read (JSON when it parses, else text). */
export interface HttpResult {
  response: Response;
  body: unknown;
}

/**
 * Sends one request and reads its body under a deadline. Rejects with `TimeoutError`
 * (`timeout`) or `NetworkError` (`network_error`), or with the caller's abort reason; the
 * race below also covers a `fetch` that ignores its signal.
 */
export async function send(url: string, init: RequestInit, seam: RequestSeam = {}): Promise<HttpResult> {
  const timeoutMs = seam.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
    throw new TypeError(`timeoutMs must be a positive finite number, got ${String(timeoutMs)}`);
  }
  const doFetch = seam.fetch ?? globalThis.fetch.bind(globalThis);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = seam.signal ? AbortSignal.any([seam.signal, timeout]) : timeout;

  const aborted = (): unknown =>
    seam.signal?.aborted
      ? seam.signal.reason
      : new TimeoutError('timeout', `${url} did not answer within ${timeoutMs} ms.`, {
          hint: hintIn(OAUTH_ERRORS, 'timeout', { timeoutMs }),
        });

  if (signal.aborted) throw aborted();

  const work = async (): Promise<HttpResult> => {
    let response: Response;
    try {
      response = await doFetch(url, { ...init, signal });
    } catch (error) {
      if (signal.aborted) throw aborted();
      throw new NetworkError('network_error', `Request to ${url} failed: ${describe(error)}`, {
        hint: hintIn(OAUTH_ERRORS, 'network_error', { endpoint: new URL(url).origin }),
        cause: error,
      });
    }
    let raw: string;
    try {
      raw = await response.text();
    } catch (error) {
      if (signal.aborted) throw aborted();
      throw new NetworkError('network_error', `Reading the response from ${url} failed: ${describe(error)}`, {
        hint: hintIn(OAUTH_ERRORS, 'network_error', { endpoint: new URL(url).origin }),
        cause: error,
      });
    }
    return { response, body: parseBody(raw) };
  };

  return new Promise<HttpResult>((resolve, reject) => {
    const onAbort = (): void => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    work().then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function parseBody(raw: string): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * `Retry-After` (RFC 9110 §10.2.3) in ms: delay-seconds or an HTTP date. Capped at ten minutes,
 * so that a hostile or broken header cannot park the sign-in for days.
 */
export function retryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = /^\s*\d+\s*$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  return Number.isFinite(seconds) ? Math.min(Math.max(0, seconds), 600_000) : undefined;
}
