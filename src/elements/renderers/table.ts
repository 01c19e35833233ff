import { html } from 'lit';
import type { GenericObjectLayout, NxCell } from '../../qlik/qix-types.ts';
import { emptyState } from './empty-state.ts';
import { cubeRowsAt, textOf } from '../../qlik/hypercube.ts';
import { formatString } from '../../qlik/i18n.ts';
import type { ObjectRenderer, RendererHost } from './types.ts';

const TABLE_PAGE_SIZE = 20;

/**
 * Table: a real `<table>` with a caption, column headers, the grand-total row when the engine
 * sends one, and paging through `GetHyperCubeData`. Numbers are the engine's `qText`.
 */
export function tableRenderer(host: RendererHost, pageSize = TABLE_PAGE_SIZE): ObjectRenderer {
  let layout: GenericObjectLayout | undefined;
  let page = 0;
  let rows: NxCell[][] = [];
  let loading: AbortController | undefined;

  async function load(signal: AbortSignal): Promise<void> {
    const cube = layout?.qHyperCube;
    if (!cube) {
      rows = [];
      return;
    }
    const total = cube.qSize.qcy;
    page = Math.max(0, Math.min(page, Math.ceil(total / pageSize) - 1));
    const read = await cubeRowsAt(host.model, cube.qSize.qcx, page * pageSize, Math.min(pageSize, total - page * pageSize));
    signal.throwIfAborted();
    rows = read;
  }

  async function goTo(next: number): Promise<void> {
    loading?.abort();
    const controller = (loading = new AbortController());
    page = next;
    try {
      await load(controller.signal);
      host.requestUpdate();
    } catch (error) {
      if (!controller.signal.aborted) host.report(error, 'Loading table rows');
    }
  }

  return {
    async update(next, signal) {
      layout = next;
      loading?.abort();
      await load(signal);
    },
    render({ strings }) {
      const cube = layout?.qHyperCube;
      if (!cube) return emptyState(strings.tableNoData);
      const headers = [...cube.qDimensionInfo, ...cube.qMeasureInfo].map((info) => info.qFallbackTitle);
      const numeric = headers.map((_, i) => i >= cube.qDimensionInfo.length);
      const total = cube.qSize.qcy;
      const first = total === 0 ? 0 : page * pageSize + 1;
      const last = Math.min(total, (page + 1) * pageSize);
      const pages = Math.max(1, Math.ceil(total / pageSize));
      const totals = cube.qGrandTotalRow;
      return html`<div class="table-wrap" part="table-wrap">
          <table part="table">
            <caption class="visually-hidden">${layout?.title || layout?.qMeta?.title || strings.table}</caption>
            <thead>
              <tr>${headers.map((h, i) => html`<th scope="col" class=${numeric[i] ? 'num' : ''}>${h}</th>`)}</tr>
              ${totals && totals.length > 0
                ? html`<tr class="totals">
                    ${headers.map((_, i) =>
                      i < cube.qDimensionInfo.length
                        ? i === 0
                          ? html`<th scope="row">${strings.totals}</th>`
                          : html`<td></td>`
                        : html`<td class="num">${textOf(totals[i - cube.qDimensionInfo.length])}</td>`,
                    )}
                  </tr>`
                : null}
            </thead>
            <tbody>
              ${rows.map(
                (row) => html`<tr>${row.map((cell, i) => html`<td class=${numeric[i] ? 'num' : ''} data-state=${cell.qState}>${textOf(cell)}</td>`)}</tr>`,
              )}
            </tbody>
          </table>
        </div>
        <nav class="pager" part="pager" aria-label=${strings.tablePages}>
          <button part="button" type="button" ?disabled=${page === 0} @click=${() => void goTo(page - 1)}>${strings.previous}</button>
          <span class="range" aria-live="polite"
            >${formatString(strings.tableRange, { first: String(first), last: String(last), total: String(total), page: String(page + 1), pages: String(pages) })}</span
          >
          <button part="button" type="button" ?disabled=${page + 1 >= pages} @click=${() => void goTo(page + 1)}>${strings.next}</button>
        </nav>`;
    },
    dispose() {
      loading?.abort();
    },
  };
}
