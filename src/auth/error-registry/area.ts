/**
 * The shape of the error registry's parts, and the hint for a code the kit raises itself
 * (`hintIn`; codes a server sent are looked up in lookup.ts). The registry (`../error-registry.ts`)
 * is split by area so that a module loads only the codes it can raise: the eager `<auth-login>`
 * code carries the transaction codes, the Qlik elements the Qlik codes, and nothing carries the
 * whole table but the docs and the public `ERROR_REGISTRY`.
 *
 * `{name}` in a hint is filled from the hint context (`redirect`, `endpoint`, `timeoutMs`).
 */

/** Where a code arrived: the step that failed. */
export type ErrorSite = 'authorize' | 'code-exchange' | 'refresh' | 'revoke' | 'websocket-token' | 'backend' | 'engine';

export interface ErrorEntry {
  /** What happened, in one sentence. */
  cause: string;
  /** What to do about it, wherever it arrived. */
  hint: string;
  /** A more precise hint for some sites. */
  at?: Partial<Record<ErrorSite, string>>;
}

/** One area of the registry: its codes and their entries. */
export type ErrorArea = Readonly<Record<string, ErrorEntry>>;

/** Context that makes a hint concrete. */
export interface HintContext {
  /** Where the code arrived. */
  at?: ErrorSite;
  redirectUri?: string;
  endpoint?: string;
  status?: number;
  timeoutMs?: number;
}

/** `entry`'s hint for the site it arrived at, with `{name}` filled from the context. */
export function fillHint(entry: ErrorEntry, context: HintContext): string {
  const text = (context.at && entry.at?.[context.at]) ?? entry.hint;
  const values: Record<string, string> = {
    redirect: context.redirectUri ? ` (${context.redirectUri})` : '',
    endpoint: context.endpoint ? ` to ${context.endpoint}` : '',
    timeoutMs: context.timeoutMs === undefined ? 'the allowed' : String(context.timeoutMs),
  };
  return text.replace(/\{(redirect|endpoint|timeoutMs)\}/g, (_match, name: string) => values[name] ?? '');
}

/** The areas loaded on this page so far, in load order. */
const loaded: ErrorArea[] = [];

/**
 * Declares an area of the registry (each area file's one export). Once its module has loaded,
 * its hints are also the fallback for an error raised with none (see `loadedHint`).
 */
export function errorArea<Area extends ErrorArea>(area: Area): Area {
  loaded.push(area);
  return area;
}

/**
 * The hint for `code` from the areas loaded so far, for an `EmbedKitError` raised without one.
 * Only loaded areas are read, so that no page carries the whole registry for it; a test checks
 * that every module raising a code without a hint loads the area that holds it.
 */
export function loadedHint(code: string): string | undefined {
  const entry = loaded.find((area) => Object.hasOwn(area, code))?.[code];
  return entry && fillHint(entry, {});
}

/**
 * The hint for a code the kit raises itself, which must be in `area`: the type checker refuses a
 * code from another area, so a hint cannot silently fall back to the generic one.
 */
export function hintIn<Area extends ErrorArea>(area: Area, code: Extract<keyof Area, string>, context: HintContext = {}): string {
  return fillHint(area[code] as ErrorEntry, context);
}
