import { expect, waitUntil } from '@open-wc/testing';
import { barLayout, filterPaneLayout, kpiLayout, lineLayout, listboxLayout, pieLayout, tableLayout, tablePage, textLayout, TABLE_ROWS } from './fixtures.ts';
import { sleep } from './fakes.ts';
import { mount } from './renderer-harness.ts';

const key = (target: Element, keyName: string) =>
  target.dispatchEvent(new KeyboardEvent('keydown', { key: keyName, bubbles: true, composed: true, cancelable: true }));

describe('native renderers', () => {
  it('KPI shows the engine\'s qText and the measure label', async () => {
    const h = await mount(kpiLayout(1_160_845.85));
    expect(h.$('.kpi-value').textContent?.trim()).to.equal('$1,160,846');
    expect(h.$('.kpi-value').getAttribute('value')).to.equal('1160845.85');
    expect(h.$('.kpi-label').textContent).to.equal('Total sales');
  });

  it('bar chart: one focusable bar per value, named with qText, with title and description', async () => {
    const h = await mount(barLayout());
    const bars = h.$$<SVGRectElement>('rect.bar');
    expect(bars).to.have.length(4);
    expect(bars.map((b) => b.getAttribute('aria-label'))).to.deep.equal([
      'Europe: $412,346',
      'North America: $398,001',
      'Asia: $250,500',
      'South America: $99,999',
    ]);
    const svgEl = h.$('svg');
    expect(svgEl.getAttribute('aria-labelledby')).to.equal('title');
    expect(h.$(`#${svgEl.getAttribute('aria-describedby') ?? ''}`).textContent).to.contain('Bar chart of Sales by Region, 4 values').and.contain('Europe: $412,346');
    // Taller bar for the larger value (d3 linear scale).
    expect(Number(bars[0]?.getAttribute('height'))).to.be.greaterThan(Number(bars[3]?.getAttribute('height')));
    expect(bars.every((b) => b.getAttribute('tabindex') === '0')).to.equal(true);
    // Ticks from d3: the axis labels are formatted numbers.
    expect(h.$$('.value-axis .tick').length).to.be.greaterThan(2);
  });

  it('bar chart: clicking a bar selects it in the engine (SelectHyperCubeValues, toggle)', async () => {
    const h = await mount(barLayout());
    h.$$<SVGRectElement>('rect.bar')[2]?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await waitUntil(() => h.selections.length === 1);
    expect(h.calls).to.deep.equal([{ method: 'selectHyperCubeValues', args: ['/qHyperCubeDef', 0, [2], true] }]);
    expect(h.selections[0]).to.deep.equal({ action: 'select', objectId: 'bar-sales-by-region', field: 'Region', values: ['Asia'] });
  });

  it('bar chart: Enter on a focused bar selects too; selected bars are pressed', async () => {
    const h = await mount(barLayout(['Europe']));
    const first = h.$$<SVGRectElement>('rect.bar')[0] as SVGRectElement;
    expect(first.getAttribute('aria-pressed')).to.equal('true');
    key(first, 'Enter');
    await waitUntil(() => h.calls.length === 1);
    expect(h.calls[0]?.args).to.deep.equal(['/qHyperCubeDef', 0, [0], true]);
  });

  it('bar chart fetches more rows with GetHyperCubeData when the initial page is short', async () => {
    const layout = barLayout();
    const cube = layout.qHyperCube;
    if (!cube) throw new Error('fixture');
    cube.qSize.qcy = 6;
    const h = await mount(layout, (page) => ({
      qArea: page,
      qMatrix: Array.from({ length: page.qHeight }, (_, i) => [
        { qText: `R${i}`, qNum: 'NaN' as const, qElemNumber: i, qState: 'O' as const },
        { qText: String(i), qNum: i + 1, qElemNumber: 0, qState: 'L' as const },
      ]),
    }));
    expect(h.calls[0]).to.deep.equal({ method: 'getHyperCubeData', args: ['/qHyperCubeDef', [{ qTop: 0, qLeft: 0, qWidth: 2, qHeight: 6 }]] });
    expect(h.$$('rect.bar')).to.have.length(6);
  });

  it('line chart: a d3 path and selectable points with the engine\'s text', async () => {
    const h = await mount(lineLayout());
    expect(h.$('path.line').getAttribute('d')).to.match(/^M[\d.]+,[\d.]+L/);
    const points = h.$$<SVGCircleElement>('circle.point');
    expect(points).to.have.length(12);
    expect(points[0]?.getAttribute('aria-label')).to.equal('2024-01: $1,000');
    points[1]?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await waitUntil(() => h.calls.length === 1);
    expect(h.calls[0]?.args).to.deep.equal(['/qHyperCubeDef', 0, [1], true]);
  });

  it('pie chart: d3 arcs, one selectable slice per value, and a legend', async () => {
    const h = await mount(pieLayout());
    const slices = h.$$<SVGPathElement>('path.slice');
    expect(slices).to.have.length(4);
    expect(slices.every((s) => /^M/.test(s.getAttribute('d') ?? ''))).to.equal(true);
    expect(h.$$('.legend-value').map((t) => t.textContent)).to.deep.equal(['$412,346', '$398,001', '$250,500', '$99,999']);
    key(slices[1] as SVGPathElement, ' ');
    await waitUntil(() => h.calls.length === 1);
    expect(h.calls[0]?.args).to.deep.equal(['/qHyperCubeDef', 0, [1], true]);
    expect(h.$('#chart-description').textContent).to.contain('Pie chart of Sales by Region');
  });

  it('table: a real table with headers, totals and the first page from GetHyperCubeData', async () => {
    const h = await mount(tableLayout(), tablePage);
    expect(h.$('table caption').textContent).to.equal('Sales by country and product');
    expect(h.$$('thead th[scope="col"]').map((th) => th.textContent)).to.deep.equal(['Country', 'Product', 'Sales', 'Quantity']);
    expect(h.$$('.totals td.num').map((td) => td.textContent)).to.deep.equal(['$99,999', '1,234']);
    expect(h.$$('tbody tr')).to.have.length(20);
    expect(h.$$('tbody tr:first-child td').map((td) => td.textContent)).to.deep.equal(['Country 0', 'Product 0', '$1,000', '0']);
    expect(h.calls[0]).to.deep.equal({ method: 'getHyperCubeData', args: ['/qHyperCubeDef', [{ qTop: 0, qLeft: 0, qWidth: 4, qHeight: 20 }]] });
    expect(h.$('.range').textContent).to.equal(`Rows 1–20 of ${TABLE_ROWS} (page 1 of 3)`);
  });

  it('table: Next and Previous page through GetHyperCubeData', async () => {
    const h = await mount(tableLayout(), tablePage);
    const [previous, next] = h.$$<HTMLButtonElement>('.pager button');
    expect(previous?.disabled).to.equal(true);
    next?.click();
    await waitUntil(() => h.$('.range').textContent?.startsWith('Rows 21–40'));
    expect(h.calls[1]?.args).to.deep.equal(['/qHyperCubeDef', [{ qTop: 20, qLeft: 0, qWidth: 4, qHeight: 20 }]]);
    expect(h.$$('tbody tr td:first-child')[0]?.textContent).to.equal('Country 20');
    h.$$<HTMLButtonElement>('.pager button')[1]?.click();
    await waitUntil(() => h.$('.range').textContent?.startsWith('Rows 41–45'));
    expect(h.$$('tbody tr')).to.have.length(5);
    expect(h.$$<HTMLButtonElement>('.pager button')[1]?.disabled).to.equal(true);
    h.$$<HTMLButtonElement>('.pager button')[0]?.click();
    await waitUntil(() => h.$('.range').textContent?.startsWith('Rows 21–40'));
  });

  it('listbox: options with states; click selects (SelectListObjectValues)', async () => {
    const h = await mount(
      listboxLayout('listbox-region', 'Region', [
        ['Europe', 'S'],
        ['Asia', 'O'],
        ['Mars', 'X'],
      ]),
    );
    const list = h.$('[role="listbox"]');
    expect(list.getAttribute('aria-multiselectable')).to.equal('true');
    expect(list.getAttribute('aria-labelledby')).to.equal('title');
    const options = h.$$<HTMLLIElement>('[role="option"]');
    expect(options.map((o) => o.getAttribute('aria-selected'))).to.deep.equal(['true', 'false', 'false']);
    expect(options[2]?.textContent).to.contain('excluded');
    options[1]?.click();
    await waitUntil(() => h.selections.length === 1);
    expect(h.calls[0]).to.deep.equal({ method: 'selectListObjectValues', args: ['/qListObjectDef', [1], true] });
    expect(h.selections[0]).to.deep.equal({ action: 'select', objectId: 'listbox-region', field: 'Region', values: ['Asia'] });
  });

  it('listbox: keyboard moves with a roving tabindex and Space toggles', async () => {
    const h = await mount(listboxLayout());
    const list = h.$('[role="listbox"]');
    expect(h.$$('[role="option"]').map((o) => o.getAttribute('tabindex'))).to.deep.equal(['0', '-1', '-1', '-1']);
    key(list, 'ArrowDown');
    key(list, 'ArrowDown');
    await sleep(0);
    expect(h.$$('[role="option"]').map((o) => o.getAttribute('tabindex'))).to.deep.equal(['-1', '-1', '0', '-1']);
    await waitUntil(() => h.root.shadowRoot?.activeElement === h.$$('[role="option"]')[2]);
    key(list, 'End');
    key(list, ' ');
    await waitUntil(() => h.calls.length === 1);
    expect(h.calls[0]?.args).to.deep.equal(['/qListObjectDef', [3], true]);
    key(list, 'Home');
    key(list, 'Enter');
    await waitUntil(() => h.calls.length === 2);
    expect(h.calls[1]?.args).to.deep.equal(['/qListObjectDef', [0], true]);
  });

  it('listbox: search as you type, Enter accepts, Escape aborts; Clear clears', async () => {
    const h = await mount(listboxLayout('listbox-region', 'Region', [['Europe', 'S']]));
    const input = h.$<HTMLInputElement>('input[type="search"]');
    expect(input.getAttribute('aria-label')).to.equal('Search Region');
    input.value = 'eu';
    input.dispatchEvent(new InputEvent('input', { bubbles: true }));
    await waitUntil(() => h.calls.some((c) => c.method === 'searchListObjectFor'));
    expect(h.calls.at(-1)).to.deep.equal({ method: 'searchListObjectFor', args: ['/qListObjectDef', 'eu'] });
    input.value = 'eur';
    key(input, 'Enter');
    await waitUntil(() => h.calls.some((c) => c.method === 'acceptListObjectSearch'));
    expect(h.calls.slice(-2)).to.deep.equal([
      { method: 'searchListObjectFor', args: ['/qListObjectDef', 'eur'] },
      { method: 'acceptListObjectSearch', args: ['/qListObjectDef', true] },
    ]);
    expect(h.selections.at(-1)).to.deep.equal({ action: 'search', objectId: 'listbox-region', field: 'Region', values: ['eur'] });
    input.value = 'x';
    input.dispatchEvent(new InputEvent('input', { bubbles: true }));
    key(input, 'Escape');
    await waitUntil(() => h.calls.some((c) => c.method === 'abortListObjectSearch'));
    const clear = h.$<HTMLButtonElement>('button');
    expect(clear.disabled).to.equal(false);
    clear.click();
    await waitUntil(() => h.calls.some((c) => c.method === 'clearSelections'));
    expect(h.selections.at(-1)?.action).to.equal('clear');
  });

  it('listbox: Clear is disabled with nothing selected', async () => {
    const h = await mount(listboxLayout());
    expect(h.$<HTMLButtonElement>('button').disabled).to.equal(true);
  });

  it('filter pane nests one object per child listbox', async () => {
    const h = await mount(filterPaneLayout(['listbox-region', 'listbox-year']));
    expect(h.$$('nested-object').map((n) => n.getAttribute('data-id'))).to.deep.equal(['listbox-region', 'listbox-year']);
  });

  it('text renders markdown as text, never as HTML', async () => {
    const h = await mount(textLayout('**Sales** is <img src=x onerror="window.__pwned=1"> *generated*.\n\nSecond <b>para</b>.'));
    expect(h.$$('p')).to.have.length(2);
    expect(h.$('strong').textContent).to.equal('Sales');
    expect(h.$('em').textContent).to.equal('generated');
    expect(h.$$('img, b')).to.have.length(0);
    expect(h.$('.text').textContent).to.contain('<img src=x');
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('unknown types render a labelled placeholder, not an error', async () => {
    const h = await mount({ qInfo: { qId: 'x', qType: 'masterobject' }, visualization: 'sankey-chart', title: 'Flows' });
    const note = h.$('[role="note"]');
    expect(note.textContent).to.contain('sankey-chart').and.contain('Flows');
    expect(h.errors).to.deep.equal([]);
  });

  it('charts without a measure say so', async () => {
    const layout = barLayout();
    if (layout.qHyperCube) layout.qHyperCube.qMeasureInfo = [];
    const h = await mount(layout);
    expect(h.$('.empty').textContent).to.contain('needs a dimension and a measure');
  });
});
