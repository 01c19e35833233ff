/**
 * How many events a page hears from one `<qlik-dashboard>`. The objects in its grid (and a
 * filter pane's listboxes) share its session, so only the outermost element reports the
 * session; their own failures reach the page once, fired again from the dashboard.
 */
import { expect, fixtureSync, html, waitUntil } from '@open-wc/testing';
import type { QlikDashboard } from '../../../src/elements/qlik-dashboard/qlik-dashboard.ts';
import type { QlikObject } from '../../../src/elements/qlik-object/qlik-object.ts';
import type { QlikErrorEvent, QlikSelectionChangedEvent, QlikSessionSuspendedEvent } from '../../../src/elements/qlik-events.ts';
import { APP, salesSetup, shadow, cells, cell } from './element-setup.ts';
import { at, sleep } from './fakes.ts';
import { sheetLayout } from './fixtures.ts';

const TYPES = ['qlik-session-open', 'qlik-session-suspended', 'qlik-session-resumed', 'qlik-selection-changed', 'qlik-error'] as const;
type KitEventType = (typeof TYPES)[number];

interface Heard {
  type: KitEventType;
  event: Event;
  /** The element that fired it (`composedPath()[0]`), as text: its tag and object id. */
  from: string;
}

const describeTarget = (target: EventTarget | undefined) =>
  target instanceof Element ? [target.localName, (target as Partial<QlikObject>).objectId].filter(Boolean).join(' ') : String(target);

/** The first test also loads enigma.js and the renderers. */
const SLOW = { timeout: 5000 };

/** Stops this test's listeners (the document outlives it). */
let listening = new AbortController();
afterEach(() => {
  listening.abort();
  listening = new AbortController();
});

/** Records every kit event heard on `target`, in order. */
function listen(target: EventTarget) {
  const heard: Heard[] = [];
  for (const type of TYPES) {
    target.addEventListener(type, (event) => heard.push({ type, event, from: describeTarget(event.composedPath()[0]) }), { signal: listening.signal });
  }
  return {
    heard,
    of: (type: KitEventType) => heard.filter((h) => h.type === type),
    count: (type: KitEventType) => heard.filter((h) => h.type === type).length,
    clear: () => heard.splice(0),
  };
}

const bars = (el: QlikDashboard) => [...(cell(el, 'bar-sales-by-region')?.shadowRoot?.querySelectorAll('rect.bar') ?? [])];
const kpiText = (el: QlikDashboard) => cell(el, 'kpi-total-sales')?.shadowRoot?.querySelector('.kpi-value')?.textContent?.trim();

/** Mounts a dashboard with listeners on it and on the document from before it connects. */
async function mount(setup: ReturnType<typeof salesSetup>, sheetId?: string) {
  // fixtureSync: awaiting a plain <div> waits for a frame, which a background tab may never get.
  const container = fixtureSync<HTMLDivElement>(html`<div></div>`);
  const el = document.createElement('qlik-dashboard') as QlikDashboard;
  el.appId = APP;
  if (sheetId) el.sheetId = sheetId;
  el.authSource = setup.auth;
  el.pool = setup.pool;
  const onDashboard = listen(el);
  const onPage = listen(document);
  container.append(el);
  return { el, onDashboard, onPage };
}

/** The overview sheet on screen: every cell open and drawn; then late events have had time to arrive. */
async function overviewShown(el: QlikDashboard): Promise<void> {
  await waitUntil(() => kpiText(el) === '$1,160,846' && bars(el).length === 4, 'overview rendered', SLOW);
  await waitUntil(() => el.status === 'open' && cells(el).every((c) => c.status === 'open'), 'all open', SLOW);
  await sleep(50);
}

describe('<qlik-dashboard> events', () => {
  it('one qlik-session-open for the one websocket, from the dashboard, also when the sheet changes', async () => {
    const setup = salesSetup();
    const { el, onDashboard, onPage } = await mount(setup);
    await overviewShown(el);
    expect(setup.engine.sockets).to.have.length(1);
    expect(onDashboard.of('qlik-session-open').map((h) => h.from)).to.deep.equal(['qlik-dashboard']);
    expect(onPage.of('qlik-session-open').map((h) => h.from)).to.deep.equal(['qlik-dashboard']);

    // The details sheet mounts new objects (and a filter pane with a listbox) on the open session.
    const picker = shadow(el).querySelector<HTMLSelectElement>('[part="sheet-picker"]');
    if (!picker) throw new Error('no picker');
    picker.value = 'sheet-details';
    picker.dispatchEvent(new Event('change'));
    await waitUntil(() => cell(el, 'filterpane-main')?.shadowRoot?.querySelector('qlik-object[data-nested]')?.shadowRoot?.querySelector('[part~="value"]'), 'listbox rendered', SLOW);
    await sleep(50);
    expect(onPage.heard.map((h) => `${h.type} from ${h.from}`)).to.deep.equal(['qlik-session-open from qlik-dashboard']);
  });

  it('one qlik-session-suspended and one qlik-session-resumed for a drop and its resume', async () => {
    const setup = salesSetup();
    const { el, onDashboard, onPage } = await mount(setup);
    await overviewShown(el);
    onDashboard.clear();
    onPage.clear();

    at(setup.engine.sockets, 0).serverClose(1006);
    await waitUntil(() => onDashboard.count('qlik-session-resumed') > 0, 'resumed', SLOW);
    await waitUntil(() => el.status === 'open' && cells(el).every((c) => c.status === 'open'), 'all open again', SLOW);
    await sleep(50);

    for (const heard of [onDashboard, onPage]) {
      expect(heard.heard.map((h) => `${h.type} from ${h.from}`)).to.deep.equal(['qlik-session-suspended from qlik-dashboard', 'qlik-session-resumed from qlik-dashboard']);
    }
    const suspended = onDashboard.of('qlik-session-suspended')[0]?.event as QlikSessionSuspendedEvent;
    expect([suspended.initiator, suspended.code]).to.deep.equal(['network', 1006]);
  });

  it('one qlik-selection-changed per selection, in a cell or in the selections bar', async () => {
    const setup = salesSetup();
    const app = setup.engine.apps.get(APP);
    if (!app) throw new Error('no app');
    app.layout.qSelectionObject = { qSelections: [{ qField: 'Year', qSelected: '2024', qSelectedCount: 1, qTotal: 3 }] };
    const { el, onDashboard, onPage } = await mount(setup);
    await overviewShown(el);
    onDashboard.clear();
    onPage.clear();

    at(bars(el), 1).dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await waitUntil(() => onPage.count('qlik-selection-changed') > 0, 'selection heard', SLOW);
    await sleep(50);
    expect(onDashboard.heard.map((h) => h.type)).to.deep.equal(['qlik-selection-changed']);
    expect(onPage.heard.map((h) => `${h.type} from ${h.from}`)).to.deep.equal(['qlik-selection-changed from qlik-object bar-sales-by-region']);
    expect((onPage.heard[0]?.event as QlikSelectionChangedEvent).detail).to.deep.equal({
      action: 'select',
      objectId: 'bar-sales-by-region',
      field: 'Region',
      values: ['North America'],
    });

    onPage.clear();
    shadow(el).querySelector<HTMLButtonElement>('[part~="clear-all-button"]')?.click();
    await waitUntil(() => onPage.count('qlik-selection-changed') > 0, 'clear-all heard', SLOW);
    await sleep(50);
    expect(onPage.heard.map((h) => h.type)).to.deep.equal(['qlik-selection-changed']);
    expect((onPage.heard[0]?.event as QlikSelectionChangedEvent).detail.action).to.equal('clear-all');
  });

  it("an object's own failure: one qlik-error, fired by the dashboard with the typed error", async () => {
    const setup = salesSetup();
    const app = setup.engine.apps.get(APP);
    if (!app) throw new Error('no app');
    app.objects['sheet-broken'] = sheetLayout('sheet-broken', 'Broken', 2, [
      { name: 'kpi-total-sales', col: 0, row: 0, colspan: 6, rowspan: 3 },
      { name: 'no-such-object', col: 6, row: 0, colspan: 18, rowspan: 6 },
    ]);
    const { el, onDashboard, onPage } = await mount(setup, 'sheet-broken');
    await waitUntil(() => cell(el, 'no-such-object')?.status === 'error', 'the cell shows its error', SLOW);
    await sleep(50);

    expect(onPage.of('qlik-error').map((h) => h.from)).to.deep.equal(['qlik-dashboard']);
    expect(onDashboard.count('qlik-error')).to.equal(1);
    const [heard] = onPage.of('qlik-error');
    expect((heard?.event as QlikErrorEvent).error.code).to.equal('object_not_found');
    expect((heard?.event as QlikErrorEvent).error).to.equal(cell(el, 'no-such-object')?.error);
    // The session is fine: the dashboard stays open, and reports it once.
    expect(el.status).to.equal('open');
    expect(onPage.count('qlik-session-open')).to.equal(1);
  });

  it('a session failure: one qlik-error, from the dashboard', async () => {
    const setup = salesSetup();
    const { el, onDashboard, onPage } = await mount(setup);
    await overviewShown(el);
    onDashboard.clear();
    onPage.clear();

    at(setup.engine.sockets, 0).serverClose(4999, 'gone');
    await waitUntil(() => el.status === 'error', 'dashboard shows the error', SLOW);
    await sleep(50);
    expect(onPage.of('qlik-error').map((h) => h.from)).to.deep.equal(['qlik-dashboard']);
    expect((onPage.of('qlik-error')[0]?.event as QlikErrorEvent).error.code).to.equal('engine_closed_4999');
  });

  it("a filter pane on its own reports its session once, not once more per listbox", async () => {
    const setup = salesSetup();
    const container = fixtureSync<HTMLDivElement>(html`<div></div>`);
    const pane = document.createElement('qlik-object') as QlikObject;
    Object.assign(pane, { appId: APP, objectId: 'filterpane-main', authSource: setup.auth, pool: setup.pool });
    const onPane = listen(pane);
    container.append(pane);
    await waitUntil(() => pane.shadowRoot?.querySelector('qlik-object[data-nested]')?.shadowRoot?.querySelector('[part~="value"]'), 'listbox rendered', SLOW);
    await sleep(50);
    expect(onPane.heard.map((h) => `${h.type} from ${h.from}`)).to.deep.equal(['qlik-session-open from qlik-object filterpane-main']);
  });

  it('a cell moved out of the dashboard onto the page reports its session itself', async () => {
    const setup = salesSetup();
    const { el } = await mount(setup);
    await overviewShown(el);
    const kpi = cell(el, 'kpi-total-sales');
    if (!kpi) throw new Error('no KPI cell');
    const onKpi = listen(kpi);
    Object.assign(kpi, { authSource: setup.auth, pool: setup.pool });
    el.after(kpi);
    await waitUntil(() => onKpi.count('qlik-session-open') === 1, 'the moved cell announces its session', SLOW);
    expect(onKpi.of('qlik-session-open').map((h) => h.from)).to.deep.equal(['qlik-object kpi-total-sales']);
    expect(setup.pool.sessions).to.have.length(1);
  });
});
