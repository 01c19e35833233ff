/**
 * Reading an authorization response from a URL: the part of the callback handling a page needs
 * before anything is decided (is this page a callback at all?), kept apart from the validation
 * so that it can load up front while the rest loads on demand.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
import { peekTransaction } from './transaction.ts';

/** Authorization response parameters, by wire name. */
export interface CallbackParameters {
  code?: string;
  state?: string;
  error?: string;
  error_description?: string;
  error_uri?: string;
  /** RFC 9207 issuer identifier. */
  iss?: string;
  session_state?: string;
}

const NAMES = ['code', 'state', 'error', 'error_description', 'error_uri', 'iss', 'session_state'] as const;

function currentHref(): string {
  return globalThis.location.href;
}

/** Fragment parameters, also when a hash router put them after `#/route?`. */
function hashParameters(hash: string): URLSearchParams {
  const body = hash.replace(/^#/, '');
  const query = body.includes('?') ? body.slice(body.indexOf('?') + 1) : body;
  return new URLSearchParams(query);
}

function hasResponse(params: URLSearchParams): boolean {
  return params.has('code') || params.has('error') || params.has('state');
}

/**
 * Reads the authorization response from the query, or from the fragment when the query has none
 * (`response_mode=fragment`, hash routers).
 */
export function parseCallback(url: string | URL = currentHref()): CallbackParameters {
  const parsed = new URL(url);
  const params = hasResponse(parsed.searchParams) ? parsed.searchParams : hashParameters(parsed.hash);
  const result: CallbackParameters = {};
  for (const name of NAMES) {
    const value = params.get(name);
    if (value !== null) result[name] = value;
  }
  return result;
}

/**
 * Whether `url` is an authorization response: a `state` with a `code` or an `error`, or a
 * `state` this tab is waiting for (a return without either, which then fails as `missing_code`).
 */
export function isCallbackUrl(url: string | URL = currentHref(), storage?: Storage): boolean {
  const params = parseCallback(url);
  if (params.state === undefined) return false;
  return params.code !== undefined || params.error !== undefined || peekTransaction(params.state, { storage }) !== undefined;
}
