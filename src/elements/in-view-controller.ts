import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** How far outside the viewport an element counts as near it (CSS margin). */
const NEAR_VIEWPORT_MARGIN = '200px';

/**
 * `loading="lazy"`: the element opens its object only once it nears the viewport, watched with an
 * IntersectionObserver. Once near, it stays loaded. Any other `loading` is near from the start.
 */
export class InViewController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement & { loading?: string };
  readonly #onNear: (() => void) | undefined;
  #near = false;
  #observer: IntersectionObserver | undefined;

  /** `onNear` runs when a lazy element first nears the viewport (the session may open now). */
  constructor(host: ReactiveControllerHost & HTMLElement & { loading?: string }, onNear?: () => void) {
    this.#host = host;
    this.#onNear = onNear;
    host.addController(this);
  }

  /** True when the element may load: not lazy, or near the viewport (once and for all). */
  get near(): boolean {
    return this.#near || this.#host.loading !== 'lazy';
  }

  /** Loads now, as if it came into view: a method was called on it before it was scrolled to. */
  wake(): void {
    if (this.near) return;
    this.#near = true;
    this.#observer?.disconnect();
    this.#observer = undefined;
    this.#host.requestUpdate();
    this.#onNear?.();
  }

  hostConnected(): void {
    this.#watch();
  }

  hostUpdated(): void {
    this.#watch();
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observer = undefined;
  }

  #watch(): void {
    if (this.near || this.#observer) return;
    this.#observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) this.wake();
      },
      { rootMargin: NEAR_VIEWPORT_MARGIN },
    );
    this.#observer.observe(this.#host);
  }
}
