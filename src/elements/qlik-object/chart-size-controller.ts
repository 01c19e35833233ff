import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The measured box a chart lays itself out in; `observe` is a `ref` callback for that box. */
export interface ChartBox {
  readonly width: number;
  readonly height: number;
  observe(element: Element | undefined): void;
}

/**
 * Measures the element a renderer hands to `observe` (a chart's box) with a ResizeObserver and
 * re-renders the host when its size changes, so charts lay out at their real pixel size instead
 * of scaling a fixed drawing: text keeps its CSS size, and more room shows more labels.
 */
export class ChartSizeController implements ReactiveController, ChartBox {
  width = 0;
  height = 0;
  readonly #host: ReactiveControllerHost;
  #observer: ResizeObserver | undefined;
  #target: Element | undefined;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  readonly observe = (element: Element | undefined): void => {
    if (element === this.#target) return;
    if (this.#target) this.#observer?.unobserve(this.#target);
    this.#target = element;
    if (!element) return;
    this.#resizeObserver().observe(element);
    // Measured now as well: a page that is not being painted (a background tab) delivers no
    // ResizeObserver notifications, and the chart would wait for one to draw at all.
    queueMicrotask(() => {
      if (this.#target === element) this.#resize(element.getBoundingClientRect());
    });
  };

  hostConnected(): void {
    if (this.#target) this.#resizeObserver().observe(this.#target);
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observer = undefined;
  }

  #resizeObserver(): ResizeObserver {
    this.#observer ??= new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]?.contentRect;
      if (box) this.#resize(box);
    });
    return this.#observer;
  }

  #resize(box: { width: number; height: number }): void {
    const width = Math.round(box.width);
    const height = Math.round(box.height);
    if (width === this.width && height === this.height) return;
    this.width = width;
    this.height = height;
    this.#host.requestUpdate();
  }
}
