/**
 * Reading an authorization response from a URL, and taking the page's own out of the address bar:
 * the part of the callback handling a page needs before anything is decided (is this page a
 * callback at all?), kept apart from the validation so that it can load up front while the rest
 * loads on demand.
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

/** Parameters that belong to the authorization response and must not linger in the URL. */
export const CALLBACK_PARAMETERS = ['code', 'state', 'iss', 'session_state', 'error', 'error_description', 'error_uri'] as const;

function currentHref(): string {
  return globalThis.location.href;
}

/** Where a hash router puts its query: after `#/route?`, else the whole fragment. */
function hashQueryStart(hash: string): number {
  return hash.includes('?') ? hash.indexOf('?') + 1 : 0;
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
  const hash = parsed.hash.slice(1);
  const params = hasResponse(parsed.searchParams) ? parsed.searchParams : new URLSearchParams(hash.slice(hashQueryStart(hash)));
  const result: CallbackParameters = {};
  for (const name of CALLBACK_PARAMETERS) {
    const value = params.get(name);
    if (value !== null) result[name] = value;
  }
  return result;
}

/** `url` without the authorization response parameters, in the query and in the fragment. */
export function stripCallbackParameters(url: string | URL): URL {
  const result = new URL(url);
  for (const name of CALLBACK_PARAMETERS) result.searchParams.delete(name);
  if (result.hash) {
    const hash = result.hash.slice(1);
    const queryStart = hashQueryStart(hash);
    const params = new URLSearchParams(hash.slice(queryStart));
    if (CALLBACK_PARAMETERS.some((name) => params.has(name))) {
      for (const name of CALLBACK_PARAMETERS) params.delete(name);
      const rest = params.toString();
      const prefix = hash.slice(0, queryStart).replace(/\?$/, '');
      result.hash = rest ? `${prefix}${queryStart ? '?' : ''}${rest}` : prefix;
    }
  }
  return result;
}

function replaceAddress(href: string): void {
  if (href !== currentHref()) globalThis.history.replaceState(globalThis.history.state, '', href);
}

/**
 * Removes the authorization response from the address bar with `history.replaceState`, so the
 * code does not stay in history, bookmarks or Referer, and a reload does not replay it.
 * Returns the cleaned URL.
 */
export function cleanCallbackUrl(): URL {
  const cleaned = stripCallbackParameters(currentHref());
  replaceAddress(cleaned.href);
  return cleaned;
}

/** The page's own authorization response, once taken out of the address bar. */
export interface PageCallback {
  /** The address the page was loaded with, response included. */
  href: string;
  /** The address left in its place. */
  cleaned: string;
  params: CallbackParameters;
}

let pageCallback: PageCallback | undefined;

/**
 * Takes this tab's authorization response out of the address bar at once, before any router
 * reads it, and keeps it in memory until a client's exchange settles
 * (`settlePageCallback`). A router that reads the address when it starts (Angular's) would
 * otherwise navigate to it and put `?code=&state=` back after the sign-in had removed it, and a
 * reload would replay a used code. Only a response whose `state` names a sign-in this tab started
 * (a stored transaction) is taken; the transaction keeps the rest of what the exchange needs.
 * Returns the page's response, taken now or before; `undefined` when there is none of ours, or
 * when `url` is not the page.
 */
export function takePageCallback(storage?: Storage, url?: string | URL): PageCallback | undefined {
  const href = globalThis.location?.href;
  if (href === undefined || !globalThis.history) return undefined;
  // Only for the page itself: as it is now, or as it was loaded.
  const asked = url === undefined ? href : new URL(url, href).href;
  if (pageCallback) return asked === href || asked === pageCallback.href ? pageCallback : undefined;
  if (asked !== href) return undefined;
  const params = parseCallback(href);
  if (params.state === undefined || !peekTransaction(params.state, { storage })) return undefined;
  const cleaned = stripCallbackParameters(href).href;
  try {
    replaceAddress(cleaned);
  } catch {
    // An address the page may not rewrite (an opaque origin): the response stays where it is.
    return undefined;
  }
  pageCallback = { href, cleaned, params };
  return pageCallback;
}

/**
 * The page's response was answered: exchanged or refused (`put back: false`), and memory lets it
 * go. Or its code could not be exchanged for want of the kit's own code (`load_failed`): then it
 * goes back into the address bar, where the page left it, for a reload to finish.
 */
export function settlePageCallback(callback: PageCallback, options: { putBack: boolean }): void {
  if (pageCallback !== callback) return;
  pageCallback = undefined;
  if (options.putBack && currentHref() === callback.cleaned) replaceAddress(callback.href);
}

/**
 * Whether `url` is an authorization response: a `state` with a `code` or an `error`, or a
 * `state` this tab is waiting for (a return without either, which then fails as `missing_code`).
 * The page's own address counts as one while its response, taken out of it, waits for a client.
 */
export function isCallbackUrl(url: string | URL = currentHref(), storage?: Storage): boolean {
  if (pageCallback && globalThis.location && new URL(url).href === currentHref()) return true;
  const params = parseCallback(url);
  if (params.state === undefined) return false;
  return params.code !== undefined || params.error !== undefined || peekTransaction(params.state, { storage }) !== undefined;
}
