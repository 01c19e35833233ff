/**
 * A clock seam whose time moves only when a test says so: `advance(ms)` runs the timers that
 * fall due, in order, letting the promises they start settle in between. No test waits for
 * real time to pass.
 */
import type { Clock } from '../../src/auth/clock.ts';

/** Lets pending promise chains (and a fake fetch's response body) settle: a few real ticks. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}

export class ManualClock implements Clock {
  time: number;
  readonly #timers = new Map<number, { at: number; run: () => void }>();
  #next = 1;

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now = (): number => this.time;

  setTimeout = (run: () => void, ms: number): unknown => {
    const id = this.#next++;
    this.#timers.set(id, { at: this.time + Math.max(0, ms), run });
    return id;
  };

  clearTimeout = (handle: unknown): void => {
    this.#timers.delete(handle as number);
  };

  /** Timers waiting to run. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await settle();
      const due = [...this.#timers].filter(([, timer]) => timer.at <= end).sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) break;
      this.#timers.delete(due[0]);
      this.time = Math.max(this.time, due[1].at);
      due[1].run();
    }
    this.time = end;
    await settle();
  }
}
