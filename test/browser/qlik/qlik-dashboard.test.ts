import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { QlikDashboard } from '../../../src/elements/qlik-dashboard/qlik-dashboard.ts';
import type { QlikObject } from '../../../src/elements/qlik-object/qlik-object.ts';
import type { QlikSelectionChangedEvent } from '../../../src/elements/qlik-events.ts';
import { APP, salesSetup, shadow, cells } from './element-setup.ts';

const chips = (el: QlikDashboard) => [...shadow(el).querySelectorAll('[part="selection"]')].map((li) => li.textContent?.replace(/\s+/g, ' ').trim());

describe('<qlik-dashboard>', () => {
  it('without sheet-id: a sheet picker, the first sheet by rank, its cells in the sheet grid', async () => {
    const { pool, auth, engine } = salesSetup();
    const el = await fixture<QlikDashboard>(html`<qlik-dashboard app-id=${APP} .authSource=${auth} .pool=${pool}></qlik-dashboard>`);
    await waitUntil(() => cells(el).length === 2, 'cells rendered');
    expect(el.getAttribute('status')).to.equal('open');
    expect(shadow(el).querySelector('[part="title"]')?.textContent).to.equal('Overview');
    const picker = shadow(el).querySelector<HTMLSelectElement>('[part="sheet-picker"]');
    expect([...(picker?.options ?? [])].map((o) => o.textContent)).to.deep.equal(['Overview', 'Details']);
    const [kpi, bar] = cells(el);
    expect(kpi?.objectId).to.equal('kpi-total-sales');
    expect(kpi?.style.gridColumn).to.equal('1 / span 6');
    expect(kpi?.style.gridRow).to.equal('1 / span 3');
    expect(bar?.style.gridColumn).to.equal('7 / span 18');
    const grid = shadow(el).querySelector<HTMLElement>('[part="grid"]');
    expect(grid?.style.gridTemplateColumns).to.equal('repeat(24, minmax(0px, 1fr))');
    await waitUntil(() => kpi?.shadowRoot?.querySelector('.kpi-value')?.textContent?.trim() === '$1,160,846', 'KPI in the cell');
    // Dashboard and its cells share the one session.
    expect(engine.sockets).to.have.length(1);
    expect(engine.openDocs).to.equal(1);
  });

  it('its cells, and the listboxes nested in them, lease its session through context, with no sign-in or pool of their own', async () => {
    const { pool, auth, engine } = salesSetup();
    const el = await fixture<QlikDashboard>(html`<qlik-dashboard app-id=${APP} sheet-id="sheet-details" .authSource=${auth} .pool=${pool}></qlik-dashboard>`);
    await waitUntil(() => cells(el).length === 2, 'cells rendered');
    const [pane] = cells(el);
    await waitUntil(() => pane?.shadowRoot?.querySelector('qlik-object[data-nested]'), 'filter pane listbox');
    const listbox = pane?.shadowRoot?.querySelector<QlikObject>('qlik-object[data-nested]');
    for (const nested of [...cells(el), listbox]) {
      await waitUntil(() => nested?.status === 'open', `${nested?.objectId} open`);
      expect(nested?.authSource, 'no sign-in property').to.equal(undefined);
      expect(nested?.pool, 'no pool property').to.equal(undefined);
      expect(nested?.session, `${nested?.objectId} on the dashboard's session`).to.equal(el.session);
    }
    expect(pool.sessions).to.have.length(1);
    expect(engine.openDocs).to.equal(1);
  });

  it('the picker switches sheets', async () => {
    const { pool, auth } = salesSetup();
    const el = await fixture<QlikDashboard>(html`<qlik-dashboard app-id=${APP} .authSource=${auth} .pool=${pool}></qlik-dashboard>`);
    await waitUntil(() => cells(el).length === 2);
    const picker = shadow(el).querySelector<HTMLSelectElement>('[part="sheet-picker"]');
    if (!picker) throw new Error('no picker');
    picker.value = 'sheet-details';
    picker.dispatchEvent(new Event('change'));
    await waitUntil(() => cells(el)[1]?.objectId === 'table-sales-details');
    expect(shadow(el).querySelector('[part="title"]')?.textContent).to.equal('Details');
    const table = cells(el)[1];
    await waitUntil(() => table?.shadowRoot?.querySelectorAll('tbody tr').length === 20, 'table rows');
    const pane = cells(el)[0];
    await waitUntil(() => pane?.shadowRoot?.querySelector('qlik-object[data-nested]') !== null, 'filter pane listbox');
  });

  it('with sheet-id: that sheet, no picker', async () => {
    const { pool, auth } = salesSetup();
    const el = await fixture<QlikDashboard>(html`<qlik-dashboard app-id=${APP} sheet-id="sheet-details" .authSource=${auth} .pool=${pool}></qlik-dashboard>`);
    await waitUntil(() => cells(el).length === 2);
    expect(shadow(el).querySelector('[part="sheet-picker"]')).to.equal(null);
    expect(cells(el).map((c) => c.objectId)).to.deep.equal(['filterpane-main', 'table-sales-details']);
  });

  it('the selections bar follows the app layout and clears a field or everything', async () => {
    const { pool, auth, engine } = salesSetup();
    const app = engine.apps.get(APP);
    if (!app) throw new Error('no app');
    app.layout.qSelectionObject = {
      qSelections: [
        { qField: 'Region', qSelected: 'Europe', qSelectedCount: 1, qTotal: 4 },
        { qField: 'Year', qSelected: '2023, 2024', qSelectedCount: 2, qTotal: 3 },
      ],
    };
    const el = await fixture<QlikDashboard>(html`<qlik-dashboard app-id=${APP} .authSource=${auth} .pool=${pool}></qlik-dashboard>`);
    await waitUntil(() => chips(el).length === 2, 'chips');
    expect(chips(el)[0]).to.equal('Region Europe ×');
    const clearRegion = shadow(el).querySelector<HTMLButtonElement>('[aria-label="Clear Region"]');
    const fieldCleared = oneEvent<QlikSelectionChangedEvent>(el, 'qlik-selection-changed');
    clearRegion?.click();
    expect((await fieldCleared).detail).to.deep.equal({ action: 'clear-field', field: 'Region' });
    await waitUntil(() => chips(el).length === 1, 'one chip left');
    const allCleared = oneEvent<QlikSelectionChangedEvent>(el, 'qlik-selection-changed');
    shadow(el).querySelector<HTMLButtonElement>('[part~="clear-all-button"]')?.click();
    expect((await allCleared).detail.action).to.equal('clear-all');
    await waitUntil(() => chips(el).length === 0);
    expect(shadow(el).querySelector('[part="selections"]')?.textContent).to.contain('No selections');
    expect(engine.calls.some((c) => c.method === 'ClearAll')).to.equal(true);
  });

  it('uses a CurrentSelections session object when the engine offers one', async () => {
    const { pool, auth, engine } = salesSetup();
    engine.supportsCurrentSelections = true;
    const app = engine.apps.get(APP);
    if (!app) throw new Error('no app');
    app.layout.qSelectionObject = { qSelections: [{ qField: 'Region', qSelected: 'Asia', qSelectedCount: 1, qTotal: 4 }] };
    const el = await fixture<QlikDashboard>(html`<qlik-dashboard app-id=${APP} .authSource=${auth} .pool=${pool}></qlik-dashboard>`);
    await waitUntil(() => chips(el).length === 1);
    expect(engine.calls.some((c) => c.method === 'CreateSessionObject')).to.equal(true);
    expect(engine.calls.some((c) => c.method === 'GetAppLayout')).to.equal(false);
  });

  it('an unknown app is a visible error with a retry button', async () => {
    const { pool, auth } = salesSetup();
    const el = await fixture<QlikDashboard>(html`<qlik-dashboard app-id="missing" .authSource=${auth} .pool=${pool}></qlik-dashboard>`);
    await waitUntil(() => el.getAttribute('status') === 'error');
    expect(shadow(el).querySelector('[part="error-message"]')?.textContent).to.contain('App not found');
    expect(shadow(el).querySelector('[part~="retry-button"]')).to.not.equal(null);
  });
});
