import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** How far outside the viewport an element counts as near it (CSS margin). */
const NEAR_VIEWPORT_MARGIN = '200px';

/**
 * `loading="lazy"`: the element opens its object only once it nears the viewport, watched with an
 * IntersectionObserver. Once near, it stays loaded. Any other `loading` is near from the start.
 */
export class InViewController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement & { loading?: string };
  #near = false;
  #observer: IntersectionObserver | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement & { loading?: string }) {
    this.#host = host;
    host.addController(this);
  }

  /** True when the element may load: not lazy, or near the viewport (once and for all). */
  get near(): boolean {
    return this.#near || this.#host.loading !== 'lazy';
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
        if (!entries.some((entry) => entry.isIntersecting)) return;
        this.#near = true;
        this.#observer?.disconnect();
        this.#observer = undefined;
        this.#host.requestUpdate();
      },
      { rootMargin: NEAR_VIEWPORT_MARGIN },
    );
    this.#observer.observe(this.#host);
  }
}
