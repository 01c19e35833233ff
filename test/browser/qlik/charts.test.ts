import { expect, fixtureSync, html, waitUntil } from '@open-wc/testing';
import type { QlikObject } from '../../../src/elements/qlik-object/qlik-object.ts';
import { APP, salesSetup } from './element-setup.ts';
import { barLayout, comboLayout, kpiLayout, lineLayout, scatterLayout, twoDimensionBarLayout } from './fixtures.ts';
import { mount } from './renderer-harness.ts';

const num = (el: Element | undefined, attribute: string) => Number(el?.getAttribute(attribute));

describe('native charts: the added types', () => {
  it('stacked bars: each category\'s segments sit on top of each other; a legend names the series', async () => {
    const h = await mount(twoDimensionBarLayout('stacked'));
    const bars = h.$$<SVGRectElement>('rect.bar');
    expect(bars).to.have.length(6);
    expect(bars.map((b) => b.getAttribute('aria-label'))).to.include('Helmets, Asia: $2,500');
    const [bikesEurope, bikesAsia] = bars;
    expect(num(bikesEurope, 'x')).to.equal(num(bikesAsia, 'x'), 'same column');
    expect(num(bikesAsia, 'y') + num(bikesAsia, 'height')).to.be.closeTo(num(bikesEurope, 'y'), 0.01, 'Asia starts where Europe ends');
    expect(h.$$('.legend .legend-label').map((t) => t.textContent)).to.deep.equal(['Europe', 'Asia']);
    expect(h.$('#chart-description').textContent).to.contain('Stacked bar chart of Sales by Category and Region');
  });

  it('grouped bars: side by side in their category; a click selects the category', async () => {
    const h = await mount(twoDimensionBarLayout('grouped'));
    const [bikesEurope, bikesAsia] = h.$$<SVGRectElement>('rect.bar');
    expect(num(bikesAsia, 'x')).to.be.greaterThan(num(bikesEurope, 'x') + num(bikesEurope, 'width') - 0.01);
    expect(num(bikesAsia, 'height')).to.be.greaterThan(num(bikesEurope, 'height'));
    bikesAsia?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await waitUntil(() => h.selections.length === 1);
    expect(h.calls).to.deep.equal([{ method: 'selectHyperCubeValues', args: ['/qHyperCubeDef', 0, [0], true] }]);
    expect(h.selections[0]?.field).to.equal('Category');
  });

  it('combo chart: bars for the first measure, a line for the second on its own right-hand axis', async () => {
    const h = await mount(comboLayout());
    expect(h.$$('rect.bar')).to.have.length(4);
    expect(h.$$('path.line')).to.have.length(1);
    const axes = h.$$('.value-axis');
    expect(axes).to.have.length(2);
    expect(axes[0]?.querySelector('.tick:last-of-type')?.textContent).to.match(/^\$\d+k$/);
    expect([...(axes[1]?.querySelectorAll('.tick') ?? [])].map((t) => t.getAttribute('text-anchor'))).to.satisfy((anchors: string[]) => anchors.every((a) => a === 'start'));
    expect(h.$$('.legend .legend-line')).to.have.length(1);
  });

  it('scatter plot: one point per value, placed by its two measures', async () => {
    const h = await mount(scatterLayout());
    const points = h.$$<SVGCircleElement>('circle.point');
    expect(points).to.have.length(5);
    const xs = points.map((p) => num(p, 'cx'));
    const ys = points.map((p) => num(p, 'cy'));
    expect([...xs].sort((a, b) => a - b)).to.deep.equal(xs, 'Sales grows left to right');
    expect([...ys].sort((a, b) => a - b)).to.deep.equal(ys, 'Quantity falls, so points go down the screen');
    expect(points[0]?.getAttribute('aria-label')).to.equal('Customer 1: Sales $10,000, Quantity 5');
  });

  it('value axes use the measure\'s format and write zero without a unit', async () => {
    const h = await mount(twoDimensionBarLayout('stacked'));
    const ticks = h.$$('.value-axis .tick').map((t) => t.textContent);
    expect(ticks[0]).to.equal('$0');
    expect(ticks.every((t) => t?.startsWith('$'))).to.equal(true, ticks.join(' '));
    expect(ticks.join(' ')).to.not.match(/\b0[kMG]\b/);
  });
});

/** A `<qlik-object>` on the fake engine in a box of the given size (fixtureSync: a background tab may get no frame to wait for). */
async function objectInBox(objectId: string, width: number, height: number) {
  const { pool, auth, engine } = salesSetup();
  const objects = engine.apps.get(APP)?.objects;
  if (objects) {
    objects['line-sales-by-month'] = lineLayout();
    objects['bar-stacked'] = twoDimensionBarLayout('stacked');
  }
  const box = fixtureSync<HTMLDivElement>(html`<div style="width: ${width}px; height: ${height}px; display: grid">
    <qlik-object app-id=${APP} object-id=${objectId} .authSource=${auth} .pool=${pool}></qlik-object>
  </div>`);
  const el = box.querySelector('qlik-object') as QlikObject;
  return { box, el, root: el.shadowRoot as ShadowRoot };
}

/** The drawn height of the first value-axis label, in screen pixels. */
const tickHeight = (root: ShadowRoot) => root.querySelector('.value-axis .tick')?.getBoundingClientRect().height ?? 0;

describe('native charts lay out to their box', () => {
  it('a resized chart redraws at the new size and its text keeps its CSS size', async () => {
    const { box, root } = await objectInBox('bar-sales-by-region', 720, 360);
    await waitUntil(() => root.querySelectorAll('rect.bar').length === 4, 'bars drawn', { timeout: 5000 });
    const svgEl = () => root.querySelector('svg');
    const wide = { width: num(svgEl() ?? undefined, 'width'), tick: tickHeight(root) };
    expect(wide.tick).to.be.greaterThan(8);
    expect(svgEl()?.getAttribute('viewBox')).to.equal(`0 0 ${wide.width} ${num(svgEl() ?? undefined, 'height')}`, 'one unit per pixel');

    box.style.width = '300px';
    box.style.height = '220px';
    await waitUntil(() => num(svgEl() ?? undefined, 'width') < wide.width / 2, 'redrawn narrower');
    const narrow = { width: num(svgEl() ?? undefined, 'width'), tick: tickHeight(root) };
    expect(narrow.tick).to.be.closeTo(wide.tick, 0.5, 'labels are the same size in a box less than half as wide');
    const svgBox = svgEl()?.getBoundingClientRect();
    expect(svgBox?.width).to.be.closeTo(narrow.width, 1, 'drawn at its own size, not scaled');
    expect(root.querySelectorAll('rect.bar')).to.have.length(4);
  });

  it('a line chart\'s labels are the same size as a bar chart\'s of a different width', async () => {
    const bar = await objectInBox('bar-sales-by-region', 360, 260);
    const line = await objectInBox('line-sales-by-month', 900, 260);
    await waitUntil(() => bar.root.querySelector('rect.bar') && line.root.querySelector('path.line'), 'both drawn', { timeout: 5000 });
    expect(tickHeight(line.root)).to.be.closeTo(tickHeight(bar.root), 0.5);
  });

  it('the KPI value fits a narrow cell', async () => {
    const { pool, auth, engine } = salesSetup();
    const objects = engine.apps.get(APP)?.objects;
    if (objects) objects['kpi-total-sales'] = kpiLayout(987_654_321.5);
    const box = fixtureSync<HTMLDivElement>(html`<div style="width: 110px; height: 120px; display: grid">
      <qlik-object app-id=${APP} object-id="kpi-total-sales" .authSource=${auth} .pool=${pool}></qlik-object>
    </div>`);
    const root = (box.querySelector('qlik-object') as QlikObject).shadowRoot as ShadowRoot;
    await waitUntil(() => root.querySelector('.kpi-value')?.textContent?.trim() === '$987,654,322', 'KPI drawn', { timeout: 5000 });
    const value = root.querySelector('.kpi-value') as HTMLElement;
    const content = root.querySelector('[part="content"]') as HTMLElement;
    expect(value.getBoundingClientRect().width).to.be.at.most(content.getBoundingClientRect().width + 0.5);
    expect(value.getBoundingClientRect().right).to.be.at.most(content.getBoundingClientRect().right + 0.5);
  });
});

it('unmeasured renderers (no box) draw at a default size', async () => {
  const h = await mount(barLayout());
  expect(h.$('svg').getAttribute('viewBox')).to.equal('0 0 640 320');
});
