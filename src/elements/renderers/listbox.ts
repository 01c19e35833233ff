import { html, nothing } from 'lit';
import type { GenericObjectLayout, NxCell } from '../../qlik/qix-types.ts';
import { emptyState } from './empty-state.ts';
import { LISTOBJECT_PATH, rowsOf, textOf } from '../../qlik/hypercube.ts';
import { formatString } from '../../qlik/i18n.ts';
import type { ObjectRenderer, RendererHost, RenderContext } from './types.ts';

const MAX_VALUES = 1000;
const SEARCH_DEBOUNCE_MS = 150;

/** States read out as "excluded"; selected ones are `aria-selected`. */
const EXCLUDED = new Set(['X', 'XS', 'XL']);

/**
 * Listbox (one field's values, as in a filter pane). A `role="listbox"` with one focus stop:
 * arrows, Home and End move, Enter or Space toggles the value in the engine. A search box
 * searches the field (Enter selects the matches, Escape cancels), and Clear clears the field.
 */
export function listboxRenderer(host: RendererHost): ObjectRenderer {
  let layout: GenericObjectLayout | undefined;
  let values: NxCell[] = [];
  let active = 0;
  let query = '';
  let searchTimer: ReturnType<typeof setTimeout> | undefined;

  const field = () => layout?.qListObject?.qDimensionInfo.qFallbackTitle ?? layout?.title ?? '';

  const toggle = (cell: NxCell) =>
    host.select({ action: 'select', objectId: host.objectId, field: field(), values: [textOf(cell)] }, () =>
      host.model.selectListObjectValues(LISTOBJECT_PATH, [cell.qElemNumber], true),
    );

  const clear = () => host.select({ action: 'clear', objectId: host.objectId, field: field() }, () => host.model.clearSelections(LISTOBJECT_PATH));

  const search = (text: string) => {
    query = text;
    if (searchTimer !== undefined) clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      searchTimer = undefined;
      const call = text ? host.model.searchListObjectFor(LISTOBJECT_PATH, text) : host.model.abortListObjectSearch(LISTOBJECT_PATH);
      call.catch((error: unknown) => host.report(error, 'Searching'));
    }, SEARCH_DEBOUNCE_MS);
  };

  const onSearchKey = (event: KeyboardEvent) => {
    const input = event.currentTarget as HTMLInputElement;
    if (event.key === 'Enter' && input.value) {
      event.preventDefault();
      if (searchTimer !== undefined) clearTimeout(searchTimer);
      const text = input.value;
      input.value = query = '';
      void host.select({ action: 'search', objectId: host.objectId, field: field(), values: [text] }, async () => {
        await host.model.searchListObjectFor(LISTOBJECT_PATH, text);
        await host.model.acceptListObjectSearch(LISTOBJECT_PATH, true);
      });
    } else if (event.key === 'Escape' && input.value) {
      event.preventDefault();
      input.value = '';
      search('');
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      focusOption(input, active);
    }
  };

  const focusOption = (from: Element, index: number) => {
    active = Math.max(0, Math.min(values.length - 1, index));
    host.requestUpdate();
    const list = from.closest('.listbox')?.querySelector('[role="listbox"]');
    // After the update moved tabindex, focus the new active option.
    queueMicrotask(() => list?.querySelectorAll<HTMLElement>('[role="option"]')[active]?.focus());
  };

  const onListKey = (event: KeyboardEvent) => {
    const list = event.currentTarget as HTMLElement;
    const moves: Record<string, number> = { ArrowDown: active + 1, ArrowUp: active - 1, Home: 0, End: values.length - 1, PageDown: active + 10, PageUp: active - 10 };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      focusOption(list, target);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      const cell = values[active];
      if (cell) void toggle(cell);
    }
  };

  const onListClick = (event: MouseEvent) => {
    const option = (event.target as Element).closest<HTMLElement>('[role="option"]');
    const index = Number(option?.dataset.index);
    const cell = values[index];
    if (!cell) return;
    active = index;
    void toggle(cell);
  };

  return {
    async update(next, signal) {
      layout = next;
      const list = next.qListObject;
      if (!list) {
        values = [];
        return;
      }
      const wanted = Math.min(list.qSize.qcy, MAX_VALUES);
      let rows = rowsOf(list.qDataPages);
      if (rows.length < wanted) {
        const pages = await host.model.getListObjectData(LISTOBJECT_PATH, [{ qTop: 0, qLeft: 0, qWidth: 1, qHeight: wanted }]);
        signal.throwIfAborted();
        rows = rowsOf(pages);
      }
      values = rows.map((row) => row[0]).filter((cell): cell is NxCell => cell !== undefined);
      active = Math.min(active, Math.max(0, values.length - 1));
    },
    render({ title, strings }: RenderContext) {
      if (!layout?.qListObject) return emptyState(strings.listboxNoField);
      const name = field();
      const selected = values.some((cell) => cell.qState === 'S' || cell.qState === 'L');
      return html`<div class="listbox" part="listbox">
        <div class="listbox-tools">
          <input
            part="search"
            type="search"
            placeholder=${strings.search}
            aria-label=${formatString(strings.searchField, { field: name })}
            .value=${query}
            @input=${(event: InputEvent) => search((event.currentTarget as HTMLInputElement).value)}
            @keydown=${onSearchKey}
          />
          <button part="button clear-button" type="button" ?disabled=${!selected} @click=${() => void clear()}>${strings.clear}</button>
        </div>
        ${values.length === 0
          ? emptyState(query ? strings.noMatches : strings.noValues)
          : html`<ul
              role="listbox"
              aria-labelledby=${title}
              aria-multiselectable="true"
              class="values"
              @keydown=${onListKey}
              @click=${onListClick}
            >
              ${values.map(
                (cell, i) => html`<li
                  role="option"
                  class="value"
                  part="value"
                  data-index=${i}
                  data-state=${cell.qState}
                  aria-selected=${cell.qState === 'S' || cell.qState === 'L' ? 'true' : 'false'}
                  tabindex=${i === active ? 0 : -1}
                >
                  ${textOf(cell)}${EXCLUDED.has(cell.qState) ? html`<span class="visually-hidden">, ${strings.excluded}</span>` : nothing}
                </li>`,
              )}
            </ul>`}
      </div>`;
    },
    dispose() {
      if (searchTimer !== undefined) clearTimeout(searchTimer);
    },
  };
}
