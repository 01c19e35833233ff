import { html, nothing, type TemplateResult } from 'lit';
import { emptyState } from './empty-state.ts';
import { fromLayout } from './types.ts';

/**
 * Text objects (`text-image`). The markdown is shown as text: `**bold**` and `*italic*` become
 * `<strong>`/`<em>` built from text nodes, and nothing in it is ever parsed as HTML.
 */
export const textRenderer = fromLayout((layout) => {
  const markdown = typeof layout.markdown === 'string' ? layout.markdown : '';
  if (!markdown.trim()) return emptyState('');
  const paragraphs = markdown.split(/\n{2,}/);
  return html`<div class="text" part="text">${paragraphs.map((p) => html`<p>${inline(p)}</p>`)}</div>`;
});

function inline(text: string): (TemplateResult | string | typeof nothing)[] {
  const parts: (TemplateResult | string)[] = [];
  const pattern = /\*\*([^*]+)\*\*|\*([^*]+)\*|\n/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    parts.push(text.slice(last, match.index));
    if (match[1] !== undefined) parts.push(html`<strong>${match[1]}</strong>`);
    else if (match[2] !== undefined) parts.push(html`<em>${match[2]}</em>`);
    else parts.push(html`<br />`);
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}
