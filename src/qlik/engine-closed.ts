/**
 * The engine's close codes, as typed errors with the registry's text. Apart from errors.ts, which
 * the elements load up front: only the session code, which hears the closes, needs these.
 */
import type { ErrorArea, ErrorEntry } from '../auth/error-registry/area.ts';
import { QLIK_ERRORS } from '../auth/error-registry/qlik.ts';
import { EngineClosedError } from './errors.ts';

/** The engine's close codes with a meaning of their own (QLIK-PROTOCOL.md, "Close codes"); text in the error registry. */
const KNOWN_CLOSE_CODES: readonly number[] = [4003, 4004, 4007, 4203, 4204];

function closeCodeEntry(closeCode: number): ErrorEntry | undefined {
  const code = `engine_closed_${closeCode}`;
  return Object.hasOwn(QLIK_ERRORS, code) ? (QLIK_ERRORS as ErrorArea)[code] : undefined;
}

/** Message and hint per known close code, as the registry has them. */
export const CLOSE_CODE_TEXT: Readonly<Record<number, { message: string; hint: string }>> = Object.fromEntries(
  KNOWN_CLOSE_CODES.map((closeCode) => {
    const entry = closeCodeEntry(closeCode);
    return [closeCode, { message: entry?.cause ?? '', hint: entry?.hint ?? '' }];
  }),
);

/** Turns a close code the pool will not resume from into a typed error. */
export function engineClosedError(closeCode: number, reason = ''): EngineClosedError {
  const known = closeCodeEntry(closeCode);
  const message = known?.cause ?? `The engine closed the connection (code ${closeCode}${reason ? `: ${reason}` : ''}).`;
  const hint = known?.hint ?? 'Retry; if it keeps happening, check the tenant and the app.';
  return new EngineClosedError(closeCode, message, { hint, reason });
}
