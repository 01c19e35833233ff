import type { TemplateResult } from 'lit';
import type { DataPoint, LayoutRenderer } from '../../qlik/object-view.ts';
import type { QlikSelectionDetail } from '../../qlik/selections.ts';
import type { GenericObjectLayout, QixDoc, QixGenericObject } from '../../qlik/qix-types.ts';
import type { KitStrings } from '../../qlik/i18n.ts';
import type { QlikInteractions } from '../qlik-element.ts';
import type { ChartBox } from '../qlik-object/chart-size-controller.ts';

export type { DataPoint } from '../../qlik/object-view.ts';

/** What a native renderer gets from the `<qlik-object>` that hosts it. */
export interface RendererHost {
  readonly objectId: string;
  /** The object's enigma API. */
  readonly model: QixGenericObject;
  readonly app: QixDoc;
  /** Asks the element to render again (after the renderer's own state changed). */
  requestUpdate(): void;
  /**
   * Runs an engine call that changes selections. Failures are reported as `qlik-error`;
   * success fires `qlik-selection-changed` with `detail`. The engine's `changed` then updates
   * every object, so renderers do not patch their own state. With a `point`, the element first
   * fires the cancelable `qlik-data-point-click`; the element's `interactions` may also skip it.
   */
  select(detail: QlikSelectionDetail, call: () => Promise<unknown>, point?: DataPoint): Promise<void>;
  /** Reports a failed engine call (shown as text, fired as `qlik-error`). */
  report(error: unknown, what: string): void;
  /** A nested object, e.g. a filter pane's listbox. */
  nested(objectId: string): TemplateResult;
}

/** What the host gives a renderer on every render. */
export interface RenderContext {
  /** The id of the visible title inside the host's shadow root (for ARIA attributes). */
  title: string;
  /** The measured box charts lay out in; without it they draw at a default size. */
  box?: ChartBox;
  /** The kit's UI strings in the element's language (`lang`); fill placeholders with `formatString`. */
  strings: KitStrings;
  /** The element's language tag (its own `lang` or the nearest ancestor's; `''` if none). */
  lang: string;
  /** The element's `interactions`: renderers that select on their own (nebula.js) follow it. */
  interactions: QlikInteractions;
}

/** One native renderer instance per object: it takes layouts (`update`) and draws them. */
export interface ObjectRenderer extends LayoutRenderer {
  render(context: RenderContext): TemplateResult;
  /** The renderer draws the title itself (nebula.js charts); the element keeps its own for screen readers only. */
  readonly ownsTitle?: boolean;
}

export type RendererFactory = (host: RendererHost) => ObjectRenderer;

/** A renderer whose output depends on the layout alone. */
export function fromLayout(render: (layout: GenericObjectLayout, host: RendererHost, context: RenderContext) => TemplateResult): RendererFactory {
  return (host) => {
    let current: GenericObjectLayout | undefined;
    return {
      update: (layout) => {
        current = layout;
      },
      render: (context) => render(current ?? { qInfo: { qId: host.objectId, qType: '' } }, host, context),
    };
  };
}
