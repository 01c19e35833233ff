/**
 * The clock seam: time and timers in one object, so tests can move time instead of waiting.
 * Every delay in the auth core (refresh ahead of expiry, backoff, `Retry-After`) goes through it.
 */
export interface Clock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
