import { html } from 'lit';
import { titleOf } from './hypercube.ts';
import { fromLayout, type RendererFactory } from './types.ts';

/** Object types without a native renderer: a labelled box, not an error. */
export function placeholderRenderer(type: string): RendererFactory {
  return fromLayout((layout) => {
    const title = titleOf(layout);
    return html`<div class="placeholder" part="placeholder" role="note">
      <span>${title ? `“${title}”: ` : ''}this object type (${type || 'unknown'}) is not supported by the native renderer.</span>
    </div>`;
  });
}
