/**
 * The one registry of error codes the kit raises or explains: what each means and what to do
 * about it. Hints may depend on where a code arrived (`at`): Qlik's `OAUTH-5` means one thing at
 * the code exchange and another at the websocket-token exchange. The README's error table is
 * generated from it (scripts/generate-docs.ts), and a test checks that every code the kit
 * throws has an entry here.
 *
 * Its entries live in one file per area (`error-registry/`), each code in exactly one, so that a
 * module loads only the area it raises from (`hintIn(CALLBACK_ERRORS, 'state_mismatch')`). This
 * file joins them, for the docs and for pages that want the whole table.
 */
import type { ErrorArea, HintContext } from './error-registry/area.ts';
import { lookupHint } from './error-registry/lookup.ts';
import { CALLBACK_ERRORS } from './error-registry/callback.ts';
import { OAUTH_ERRORS } from './error-registry/oauth.ts';
import { QLIK_ERRORS } from './error-registry/qlik.ts';
import { SERVER_ERRORS } from './error-registry/server.ts';
import { TOKEN_ERRORS } from './error-registry/tokens.ts';
import { TRANSACTION_ERRORS } from './error-registry/transaction.ts';

export type { ErrorArea, ErrorEntry, ErrorSite, HintContext } from './error-registry/area.ts';

/** The registry's areas, by name. */
export const ERROR_AREAS: Readonly<Record<string, ErrorArea>> = {
  transaction: TRANSACTION_ERRORS,
  callback: CALLBACK_ERRORS,
  oauth: OAUTH_ERRORS,
  tokens: TOKEN_ERRORS,
  server: SERVER_ERRORS,
  qlik: QLIK_ERRORS,
};

/** Every code, from every area. */
export const ERROR_REGISTRY: ErrorArea = Object.assign({}, ...Object.values(ERROR_AREAS)) as ErrorArea;

/** What to do about `code`, for the site it arrived at. Unknown codes get a hint from the HTTP status. */
export function hintFor(code: string, context: HintContext = {}): string {
  return lookupHint([ERROR_REGISTRY], code, context);
}
