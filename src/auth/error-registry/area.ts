/**
 * The shape of the error registry's parts and the one lookup over them. The registry
 * (`../error-registry.ts`) is split by area so that a module loads only the codes it can raise:
 * the eager `<auth-login>` code carries the sign-in codes, the Qlik elements the Qlik codes, and
 * nothing carries the whole table but the docs and the public `ERROR_REGISTRY`.
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

/**
 * What to do about `code`, for the site it arrived at, from the areas that may hold it. A code
 * none of them knows (a server's own) gets a hint from the HTTP status.
 */
export function lookupHint(areas: readonly ErrorArea[], code: string, context: HintContext = {}): string {
  const entry = areas.find((area) => Object.hasOwn(area, code))?.[code];
  const text = entry ? ((context.at && entry.at?.[context.at]) ?? entry.hint) : hintForStatus(context.status, context.at);
  const fill: Record<string, string> = {
    redirect: context.redirectUri ? ` (${context.redirectUri})` : '',
    endpoint: context.endpoint ? ` to ${context.endpoint}` : '',
    timeoutMs: context.timeoutMs === undefined ? 'the allowed' : String(context.timeoutMs),
  };
  return text.replace(/\{(redirect|endpoint|timeoutMs)\}/g, (_match, name: string) => fill[name] ?? '');
}

/**
 * The hint for a code the kit raises itself, which must be in `area`: the type checker refuses a
 * code from another area, so a hint cannot silently fall back to the generic one.
 */
export function hintIn<Area extends ErrorArea>(area: Area, code: Extract<keyof Area, string>, context?: HintContext): string {
  return lookupHint([area], code, context);
}

function hintForStatus(status: number | undefined, at: ErrorSite | undefined): string {
  if (status === 404 || status === 405) return `Check ${at === 'backend' ? 'access-token-url' : 'the endpoint URL'}: the server has no such endpoint.`;
  if (status === 401 || status === 403) return 'The server refused the client or the credentials; check client-id and the tenant settings.';
  if (status === 429) return 'Too many requests: the kit waits as the server asks (Retry-After) before trying again.';
  if (status !== undefined && status >= 500) return 'The server failed. Try again in a moment.';
  return 'See the error cause for what the server sent.';
}
