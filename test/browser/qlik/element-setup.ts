/** A fake engine with a small Sales-like app, a pool on it, and the kit's tags defined. */
import { QlikDashboard } from '../../../src/elements/qlik-dashboard/qlik-dashboard.ts';
import { QlikObject } from '../../../src/elements/qlik-object/qlik-object.ts';
import { SessionPool, type EnigmaFactory } from '../../../src/qlik/session-pool.ts';
import type { AuthSnapshot, AuthSource, AuthStatus } from '../../../src/auth/source.ts';
import type { Clock } from '../../../src/auth/clock.ts';
import { FakeAuth, FakeEngine, FakeTokenEndpoint, loadRealEnigma } from './fakes.ts';
import { barLayout, filterPaneLayout, kpiLayout, listboxLayout, sheetLayout, tableLayout, tablePage } from './fixtures.ts';

if (!customElements.get('qlik-object')) customElements.define('qlik-object', QlikObject);
if (!customElements.get('qlik-dashboard')) customElements.define('qlik-dashboard', QlikDashboard);

export const APP = 'sales-app';

/** A stand-in `<auth-login>`: an element implementing AuthSource, as the real one does. */
export class FakeAuthLogin extends HTMLElement implements AuthSource {
  readonly fake = new FakeAuth();
  get status(): AuthStatus {
    return this.fake.status;
  }
  get host(): string {
    return this.fake.host;
  }
  get clientId(): string {
    return this.fake.clientId;
  }
  get redirectUri(): string {
    return this.fake.redirectUri;
  }
  getAccessToken(options?: { forceRefresh?: boolean }): Promise<string> {
    return this.fake.getAccessToken(options);
  }
  subscribe(listener: (snapshot: AuthSnapshot) => void): () => void {
    return this.fake.subscribe(listener);
  }
}

export function salesSetup(options: { graceMs?: number; clock?: Clock } = {}) {
  const engine = new FakeEngine();
  const endpoint = new FakeTokenEndpoint();
  const auth = new FakeAuth();
  let total = 1_160_845.85;
  engine.apps.set(APP, {
    layout: { qTitle: 'Sales', qSelectionObject: { qSelections: [] } },
    objects: {
      'sheet-overview': sheetLayout('sheet-overview', 'Overview', 0, [
        { name: 'kpi-total-sales', col: 0, row: 0, colspan: 6, rowspan: 3 },
        { name: 'bar-sales-by-region', col: 6, row: 0, colspan: 18, rowspan: 6 },
      ]),
      'sheet-details': sheetLayout('sheet-details', 'Details', 1, [
        { name: 'filterpane-main', col: 0, row: 0, colspan: 6, rowspan: 12 },
        { name: 'table-sales-details', col: 6, row: 0, colspan: 18, rowspan: 12 },
      ]),
      'kpi-total-sales': () => kpiLayout(total),
      'bar-sales-by-region': barLayout(),
      'table-sales-details': tableLayout(),
      'filterpane-main': filterPaneLayout(['listbox-region']),
      'listbox-region': listboxLayout(),
    },
    pages: { 'table-sales-details': tablePage },
  });
  const pool = new SessionPool({
    createSocket: engine.createSocket,
    loadEnigma: loadRealEnigma as () => Promise<EnigmaFactory>,
    fetch: endpoint.fetch,
    graceMs: options.graceMs ?? 100,
    resumeDelay: () => 5,
    maxResumeAttempts: 3,
    clock: options.clock,
  });
  return {
    engine,
    endpoint,
    auth,
    pool,
    setTotal(value: number) {
      total = value;
    },
  };
}

/** An element's shadow root; a test fails here when the element has none. */
export function shadow(el: Element): ShadowRoot {
  if (!el.shadowRoot) throw new Error('no shadow root');
  return el.shadowRoot;
}

/** A dashboard's cells: one `<qlik-object>` per object in the sheet grid. */
export const cells = (el: QlikDashboard): QlikObject[] => [...shadow(el).querySelectorAll<QlikObject>('[part="grid"] > qlik-object')];
export const cell = (el: QlikDashboard, objectId: string): QlikObject | undefined => cells(el).find((c) => c.objectId === objectId);
