/**
 * The page the qlik journeys drive. The journey sets `window.__QLIK_JOURNEY__` with an init
 * script; the page configures `<auth-login>`, mounts the elements it asks for, records their
 * events, and exposes the session pool for counting.
 */
import '../../../src/define.ts';
import { QlikDashboard } from '../../../src/elements/qlik-dashboard/qlik-dashboard.ts';
import { QlikObject } from '../../../src/elements/qlik-object/qlik-object.ts';
import { sharedSessionPool, SessionPool } from '../../../src/qlik/session-pool.ts';
import type { AuthSource } from '../../../src/auth/source.ts';
import { ManualClock } from '../../support/manual-clock.ts';

if (!customElements.get('qlik-object')) customElements.define('qlik-object', QlikObject);
if (!customElements.get('qlik-dashboard')) customElements.define('qlik-dashboard', QlikDashboard);

export interface QlikJourneyConfig {
  auth: Record<string, string>;
  appId: string;
  /** What to mount in #stage: a dashboard, or `count` objects. */
  mount: 'dashboard' | 'objects' | 'nothing';
  objectId?: string;
  count?: number;
  /** Exchange websocket tokens through the journey (Node) instead of the page's fetch. */
  exchangeViaNode?: boolean;
  /**
   * Instead of `<auth-login>`: a minimal AuthSource whose access token comes from the journey
   * (user impersonation in Node), for pages whose origin the tenant does not trust.
   */
  tinyAuth?: { host: string; clientId: string };
  /** A page pool with this grace period instead of the shared pool's 2 s. */
  graceMs?: number;
  /** A page pool on a manual clock (`__qlik.clock`): its deadlines pass only when the journey advances it. */
  manualClock?: boolean;
}

interface JourneyWindow {
  nodeAccessToken?: () => Promise<string>;
  __QLIK_JOURNEY__?: QlikJourneyConfig;
  __qlik: {
    pool: SessionPool;
    events: { type: string; code?: string | number; initiator?: string; target: string }[];
    statuses: string[];
    clock?: ManualClock;
    /** Milliseconds from `auth-signed-in` to the first object's content on screen. */
    firstRenderMs?: number;
  };
  exchangeViaNode?: (body: string) => Promise<{ status: number; body: string }>;
}

const win = window as unknown as JourneyWindow;
const config: QlikJourneyConfig = win.__QLIK_JOURNEY__ ?? { auth: {}, appId: '', mount: 'nothing' };

const login = document.getElementById('login') as HTMLElement;
for (const [name, value] of Object.entries(config.auth)) login.setAttribute(name, value);

const tinyAuth: AuthSource | undefined = config.tinyAuth && {
  status: 'signed-in',
  host: config.tinyAuth.host,
  clientId: config.tinyAuth.clientId,
  getAccessToken: () => {
    if (!win.nodeAccessToken) return Promise.reject(new Error('nodeAccessToken is not exposed'));
    return win.nodeAccessToken();
  },
  subscribe: () => () => undefined,
};
if (tinyAuth) login.remove();

const viaNode: typeof fetch = async (_input, init) => {
  const relay = win.exchangeViaNode;
  if (!relay) throw new TypeError('exchangeViaNode is not exposed');
  const answer = await relay(String(init?.body));
  return new Response(answer.body, { status: answer.status, headers: { 'content-type': 'application/json' } });
};
const clock = config.manualClock ? new ManualClock(Date.now()) : undefined;
const pool =
  config.exchangeViaNode || config.graceMs !== undefined || clock
    ? new SessionPool({ ...(config.exchangeViaNode ? { fetch: viaNode } : {}), ...(config.graceMs !== undefined ? { graceMs: config.graceMs } : {}), ...(clock ? { clock } : {}) })
    : sharedSessionPool();
win.__qlik = { pool, events: [], statuses: [], ...(clock ? { clock } : {}) };

// Every status the dashboard or the first object reflects, in order, so a journey can see a
// short-lived `suspended` without racing it.
new MutationObserver((records) => {
  for (const record of records) {
    const target = record.target as Element;
    if (target === document.querySelector('#stage > *')) win.__qlik.statuses.push(target.getAttribute('status') ?? '');
  }
}).observe(document.getElementById('stage') as HTMLElement, { subtree: true, attributes: true, attributeFilter: ['status'] });

for (const type of ['qlik-session-open', 'qlik-session-suspended', 'qlik-session-resumed', 'qlik-selection-changed', 'qlik-error'] as const) {
  document.addEventListener(type, (event) => {
    const detail = event as Event & { error?: { code: string }; code?: number; initiator?: string };
    win.__qlik.events.push({
      type,
      code: detail.error?.code ?? detail.code,
      initiator: detail.initiator,
      target: (event.composedPath()[0] as Element).localName,
    });
  });
}

const stage = document.getElementById('stage') as HTMLElement;

/** The first object with rendered content, looking through the dashboard's shadow root. */
function renderedObject(): boolean {
  const roots: ParentNode[] = [stage];
  for (const dashboard of stage.querySelectorAll('qlik-dashboard')) if (dashboard.shadowRoot) roots.push(dashboard.shadowRoot);
  return roots.some((root) => [...root.querySelectorAll('qlik-object')].some((object) => object.shadowRoot?.querySelector('[part="content"] > *')));
}
document.addEventListener('auth-signed-in', () => {
  const start = performance.now();
  const poll = () => {
    if (renderedObject()) win.__qlik.firstRenderMs = performance.now() - start;
    else requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
});
if (config.mount === 'dashboard') {
  const dashboard = document.createElement('qlik-dashboard') as QlikDashboard;
  dashboard.appId = config.appId;
  dashboard.pool = pool;
  dashboard.authSource = tinyAuth;
  stage.append(dashboard);
} else if (config.mount === 'objects') {
  for (let i = 0; i < (config.count ?? 1); i++) {
    const object = document.createElement('qlik-object') as QlikObject;
    object.appId = config.appId;
    object.objectId = config.objectId ?? '';
    object.pool = pool;
    object.authSource = tinyAuth;
    stage.append(object);
  }
}
