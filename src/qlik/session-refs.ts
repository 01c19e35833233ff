import type { Clock } from '../auth/clock.ts';

/**
 * A reference count that lets go late: after the last release it waits `graceMs` before
 * calling `onIdle`, so an element moved in the DOM or a framework remount takes the same
 * session back instead of opening a new one.
 */
export class GraceRefCount {
  #refs = 0;
  #timer: unknown;
  readonly #clock: Clock;
  readonly #graceMs: number;
  readonly #onIdle: () => void;

  constructor(options: { clock: Clock; graceMs: number; onIdle: () => void }) {
    this.#clock = options.clock;
    this.#graceMs = options.graceMs;
    this.#onIdle = options.onIdle;
  }

  get count(): number {
    return this.#refs;
  }

  retain(): void {
    this.#refs += 1;
    this.cancel();
  }

  release(): void {
    this.#refs = Math.max(0, this.#refs - 1);
    if (this.#refs > 0) return;
    this.cancel();
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      if (this.#refs === 0) this.#onIdle();
    }, this.#graceMs);
  }

  /** Stops a pending grace timer (on close, or when taken again). */
  cancel(): void {
    if (this.#timer === undefined) return;
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
