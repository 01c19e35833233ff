import type { EmbedKitError } from '../auth/errors.ts';
import { toEngineRequestError } from './errors.ts';
import type { QlikMeasureValue } from './hypercube.ts';
import type { GenericObjectLayout, QixDoc, QixGenericObject } from './qix-types.ts';
import type { QlikSelectionDetail } from './selections.ts';

/** The data point a selection came from (a bar, a slice): `qlik-data-point-click` carries it. */
export interface DataPoint {
  measureValues: QlikMeasureValue[];
}

/** What the view needs of a renderer: it takes each layout, and may let go of what it holds. */
export interface LayoutRenderer {
  /** Takes a new layout (the first, and after each `changed`); may fetch more data. */
  update(layout: GenericObjectLayout, signal: AbortSignal): void | Promise<void>;
  dispose?(): void;
}

/** Makes the renderer for an object type; it gets the view as its host. */
export type LayoutRendererFactory<R extends LayoutRenderer, N> = (view: ObjectView<R, N>) => R;

/** enigma's codes for calls made while the socket is down; the resume's `changed` follows. */
const WHILE_DISCONNECTED = new Set([-1, -11]);

/** The element showing the view; `N` is what it draws a nested object as. */
export interface ObjectViewHost<N> {
  requestUpdate(): void;
  /** A failed call to show (as text) and fire as `qlik-error`. */
  reportError(error: EmbedKitError): void;
  selectionChanged(detail: QlikSelectionDetail): void;
  /** Whether to go ahead with a selection (interactions, a cancelled `qlik-data-point-click`). */
  beforeSelect(detail: QlikSelectionDetail, point: DataPoint | undefined): boolean;
  /** A layout is on screen (`since`: when reading it started). */
  rendered(type: string, since: number): void;
  nested(objectId: string): N;
}

/**
 * One generic object on screen: its enigma model, its layout, and the renderer for its type.
 * Re-reads the layout on every `changed` (coalesced, so a burst of changes costs one
 * `GetLayout` at a time) and swaps the renderer when the type changes. Free of the DOM: the
 * element passes how to draw (`R`, `N`) and hears back through its `ObjectViewHost`.
 */
export class ObjectView<R extends LayoutRenderer, N> {
  readonly objectId: string;
  readonly model: QixGenericObject;
  readonly app: QixDoc;
  layout: GenericObjectLayout | undefined;
  renderer: R | undefined;
  type = '';

  readonly #host: ObjectViewHost<N>;
  readonly #rendererFor: (type: string) => LayoutRendererFactory<R, N> | Promise<LayoutRendererFactory<R, N>>;
  #running: Promise<void> | undefined;
  #dirty = false;
  #abort: AbortController | undefined;
  #disposed = false;
  readonly #onChanged = () => {
    this.refresh().catch((error: unknown) => this.report(error, 'Updating'));
  };

  constructor(model: QixGenericObject, app: QixDoc, host: ObjectViewHost<N>, rendererFor: (type: string) => LayoutRendererFactory<R, N> | Promise<LayoutRendererFactory<R, N>>) {
    this.objectId = model.id;
    this.model = model;
    this.app = app;
    this.#host = host;
    this.#rendererFor = rendererFor;
    model.on('changed', this.#onChanged);
  }

  /** Reads the layout and lets the renderer update. Resolves when the newest layout is shown. */
  refresh(since = performance.now()): Promise<void> {
    if (this.#running) {
      this.#dirty = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        let start = since;
        do {
          this.#dirty = false;
          this.#abort?.abort();
          const abort = (this.#abort = new AbortController());
          const layout = await this.model.getLayout();
          if (this.#disposed) return;
          const type = layout.visualization || layout.qInfo.qType;
          if (type !== this.type || !this.renderer) {
            const factory = await this.#rendererFor(type);
            if (this.#disposed) return;
            this.renderer?.dispose?.();
            this.type = type;
            this.renderer = factory(this);
          }
          await this.renderer.update(layout, abort.signal);
          if (this.#disposed) return;
          this.layout = layout;
          this.#host.requestUpdate();
          this.#host.rendered(type, start);
          start = performance.now();
        } while (this.#dirty);
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  requestUpdate(): void {
    if (!this.#disposed) this.#host.requestUpdate();
  }

  async select(detail: QlikSelectionDetail, call: () => Promise<unknown>, point?: DataPoint): Promise<void> {
    if (this.#disposed || !this.#host.beforeSelect(detail, point)) return;
    try {
      await call();
      this.#host.selectionChanged(detail);
    } catch (error) {
      this.report(error, 'Selecting');
    }
  }

  report(error: unknown, what: string): void {
    if (this.#disposed) return;
    if (error instanceof DOMException && error.name === 'AbortError') return;
    const code = (error as { code?: unknown } | undefined)?.code;
    if (typeof code === 'number' && WHILE_DISCONNECTED.has(code)) return;
    this.#host.reportError(toEngineRequestError(error, what));
  }

  nested(objectId: string): N {
    return this.#host.nested(objectId);
  }

  dispose(): void {
    this.#disposed = true;
    this.#abort?.abort();
    this.model.removeListener('changed', this.#onChanged);
    this.renderer?.dispose?.();
  }
}
