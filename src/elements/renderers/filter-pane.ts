import { html } from 'lit';
import { emptyState } from './empty-state.ts';
import { fromLayout } from './types.ts';

/** Filter pane: each child listbox is its own nested object, sharing the same session. */
export const filterPaneRenderer = fromLayout((layout, host, { strings }) => {
  const items = layout.qChildList?.qItems ?? [];
  if (items.length === 0) return emptyState(strings.filterPaneNoFields);
  return html`<div class="filterpane" part="filterpane">${items.map((item) => host.nested(item.qInfo.qId))}</div>`;
});
