import { delay, type Clock } from '../auth/clock.ts';
import type { EmbedKitError } from '../auth/errors.ts';
import { EngineRequestError } from './errors.ts';

export interface ResumeOptions {
  clock: Clock;
  maxAttempts: number;
  /** Wait before try `attempt` (1-based). */
  delay: (attempt: number) => number;
  /** One resume try (enigma's `session.resume()`). */
  resume: () => Promise<unknown>;
  /** False once the session moved on (closed, reconnected, resumed by itself): stop quietly. */
  stillWanted: () => boolean;
  /** The typed error for a failed try, and whether more tries may help. */
  classify: (error: unknown) => { error: EmbedKitError; retryable: boolean };
}

export type ResumeOutcome = { resumed: true; attempts: number } | { resumed: false; error: EmbedKitError } | { resumed: false; abandoned: true };

/** Default backoff: 250 ms doubling to at most 4 s. */
export const defaultResumeDelay = (attempt: number): number => Math.min(250 * 2 ** (attempt - 1), 4000);

/**
 * Resumes a suspended session with backoff and a bounded number of tries. Each try makes a new
 * socket, so a new websocket token (and a refreshed access token when it had expired). Stops at
 * the first refusal that more tries cannot fix.
 */
export async function resumeWithBackoff(options: ResumeOptions): Promise<ResumeOutcome> {
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    await delay(options.clock, options.delay(attempt));
    if (!options.stillWanted()) return { resumed: false, abandoned: true };
    try {
      await options.resume();
      return options.stillWanted() ? { resumed: true, attempts: attempt } : { resumed: false, abandoned: true };
    } catch (error) {
      if (!options.stillWanted()) return { resumed: false, abandoned: true };
      const failure = options.classify(error);
      if (!failure.retryable) return { resumed: false, error: failure.error };
    }
  }
  return {
    resumed: false,
    error: new EngineRequestError('resume_failed', `Could not reconnect to the app after ${options.maxAttempts} tries.`, {
      hint: 'Check the network connection, then press Retry.',
    }),
  };
}
