/**
 * Hints for codes a server sent, which may be any: looked up in the registry's areas that may hold
 * them, else made from the HTTP status. Apart from `hintIn` (area.ts), which the eager sign-in code
 * uses, so that this loads only with the code that reads servers' answers.
 */
import { fillHint, type ErrorArea, type ErrorSite, type HintContext } from './area.ts';

/**
 * What to do about a `code` a server sent, from the areas that may hold it. A code none of them
 * knows (a server's own) gets a hint from the HTTP status.
 */
export function lookupHint(areas: readonly ErrorArea[], code: string, context: HintContext = {}): string {
  const entry = areas.find((area) => Object.hasOwn(area, code))?.[code];
  return entry ? fillHint(entry, context) : hintForStatus(context.status, context.at);
}

function hintForStatus(status: number | undefined, at: ErrorSite | undefined): string {
  if (status === 404 || status === 405) return `Check ${at === 'backend' ? 'access-token-url' : 'the endpoint URL'}: the server has no such endpoint.`;
  if (status === 401 || status === 403) return 'The server refused the client or the credentials; check client-id and the tenant settings.';
  if (status === 429) return 'Too many requests: the kit waits as the server asks (Retry-After) before trying again.';
  if (status !== undefined && status >= 500) return 'The server failed. Try again in a moment.';
  return 'See the error cause for what the server sent.';
}
