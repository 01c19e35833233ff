import { html } from 'lit';
import { titleOf } from '../../qlik/hypercube.ts';
import { formatString } from '../../qlik/i18n.ts';
import { fromLayout, type RendererFactory } from './types.ts';

/**
 * Object types no renderer draws: a labelled box, not an error. `hint` says what would draw it;
 * by default, the nebula plugin.
 */
export function placeholderRenderer(type: string, hint = "renderer=\"nebula\" or \"auto\" with import 'embed-kit/renderers/nebula' can draw it."): RendererFactory {
  return fromLayout((layout, _host, { strings }) => {
    const title = titleOf(layout);
    return html`<div class="placeholder" part="placeholder" role="note">
      <span>${title ? `“${title}”: ` : ''}${formatString(strings.unsupportedType, { type: type || '?' })}</span>
      <span class="placeholder-hint">${hint}</span>
    </div>`;
  });
}
