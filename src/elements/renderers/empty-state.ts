import { html, type TemplateResult } from 'lit';

/** A short text where a renderer has nothing to draw. */
export function emptyState(message: string): TemplateResult {
  return html`<p class="empty" part="empty">${message}</p>`;
}
