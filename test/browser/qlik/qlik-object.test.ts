import { expect, fixture, fixtureSync, html, oneEvent, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import { ContextProvider } from '@lit/context';
import { authContext } from '../../../src/elements/auth-context.ts';
import type { QlikObject } from '../../../src/elements/qlik-object/qlik-object.ts';
import type { QlikErrorEvent, QlikSelectionChangedEvent, QlikSessionOpenEvent, QlikSessionSuspendedEvent } from '../../../src/elements/qlik-events.ts';
import { APP, FakeAuthLogin, salesSetup, shadow } from './element-setup.ts';
import { at, sleep } from './fakes.ts';
import { ManualClock } from '../../support/manual-clock.ts';
import type { FakeAuth } from './fakes.ts';

if (!customElements.get('auth-login')) customElements.define('auth-login', FakeAuthLogin);

/** Provides an AuthSource to its subtree through @lit/context, as `<auth-login>` does. */
class TestAuthProvider extends LitElement {
  readonly provider = new ContextProvider(this, { context: authContext });
}
if (!customElements.get('test-auth-provider')) customElements.define('test-auth-provider', TestAuthProvider);

const text = (el: Element) => shadow(el).textContent?.replace(/\s+/g, ' ').trim() ?? '';
/** The accessor `name` resolves to on `object`'s prototype chain. */
const accessorOf = (object: object, name: string): PropertyDescriptor | undefined => {
  for (let proto = Object.getPrototypeOf(object); proto; proto = Object.getPrototypeOf(proto)) {
    const found = Object.getOwnPropertyDescriptor(proto, name);
    if (found) return found;
  }
  return undefined;
};
const kpiText = (el: Element) => shadow(el).querySelector('.kpi-value')?.textContent?.trim();

describe('<qlik-object>', () => {
  afterEach(async () => {
    document.querySelectorAll('auth-login').forEach((login) => login.remove());
  });

  it('is idle with a clear notice when there is no sign-in on the page', async () => {
    const { pool } = salesSetup();
    const el = await fixture<QlikObject>(html`<qlik-object app-id=${APP} object-id="kpi-total-sales" .pool=${pool}></qlik-object>`);
    expect(el.status).to.equal('idle');
    expect(el.getAttribute('status')).to.equal('idle');
    expect(text(el)).to.contain('No sign-in found');
  });

  it('opens with an authSource: connecting, then open; renders the KPI; exposes app and session', async () => {
    const { pool, auth, engine } = salesSetup();
    const el = document.createElement('qlik-object') as QlikObject;
    el.appId = APP;
    el.objectId = 'kpi-total-sales';
    el.authSource = auth;
    el.pool = pool;
    const opened = oneEvent<QlikSessionOpenEvent>(el, 'qlik-session-open');
    document.body.append(el);
    await el.updateComplete;
    expect(el.status).to.equal('connecting');
    expect(shadow(el).querySelector('[part="progress"] progress')).to.not.equal(null);
    const event = await opened;
    expect(event.appId).to.equal(APP);
    expect(event.bubbles && event.composed).to.equal(true);
    await waitUntil(() => kpiText(el) === '$1,160,846', 'KPI rendered');
    expect(el.getAttribute('status')).to.equal('open');
    expect(el.app?.id).to.equal(APP);
    expect(el.session).to.not.equal(undefined);
    expect(shadow(el).querySelector('h3')?.textContent).to.equal('Total sales');
    expect(engine.openDocs).to.equal(1);
    el.remove();
  });

  it('status, error, app, session and selections are read only; status is reflected from the state', async () => {
    const { pool, auth } = salesSetup();
    const el = await fixture<QlikObject>(html`<qlik-object app-id=${APP} object-id="kpi-total-sales" .authSource=${auth} .pool=${pool}></qlik-object>`);
    await waitUntil(() => el.status === 'open', 'open');
    for (const name of ['status', 'error', 'app', 'session', 'selections']) {
      const descriptor = accessorOf(el, name);
      expect(descriptor?.get, `${name} getter`).to.be.a('function');
      expect(descriptor?.set, `${name} setter`).to.equal(undefined);
    }
    expect(Reflect.set(el, 'status', 'closed')).to.equal(false);
    expect(el.status).to.equal('open');
    // A page writing the attribute changes nothing; the next render puts it right.
    el.setAttribute('status', 'closed');
    el.requestUpdate();
    await el.updateComplete;
    expect(el.status).to.equal('open');
    expect(el.getAttribute('status')).to.equal('open');
  });

  it('finds a sibling login by auth="<id>" and waits for its sign-in', async () => {
    const { pool } = salesSetup();
    const container = fixtureSync<HTMLDivElement>(html`<div>
      <auth-login id="other"></auth-login>
      <auth-login id="login"></auth-login>
      <qlik-object auth="login" app-id=${APP} object-id="kpi-total-sales" .pool=${pool}></qlik-object>
    </div>`);
    const login = container.querySelector('#login') as FakeAuthLogin;
    login.fake.setStatus('signed-out');
    const el = container.querySelector('qlik-object') as QlikObject;
    await el.updateComplete;
    await waitUntil(() => el.status === 'idle');
    expect(text(el)).to.contain('Sign in to see this content');
    login.fake.setStatus('signed-in');
    await waitUntil(() => kpiText(el) === '$1,160,846');
  });

  it('uses the single <auth-login> on the page, and none when there are two', async () => {
    const { pool } = salesSetup();
    const single = fixtureSync<HTMLDivElement>(html`<div>
      <auth-login></auth-login>
      <qlik-object app-id=${APP} object-id="kpi-total-sales" .pool=${pool}></qlik-object>
    </div>`);
    const el = single.querySelector('qlik-object') as QlikObject;
    await waitUntil(() => el.status === 'open');
    single.append(document.createElement('auth-login'));
    const other = await fixture<QlikObject>(html`<qlik-object app-id=${APP} object-id="kpi-total-sales" .pool=${pool}></qlik-object>`);
    await other.updateComplete;
    expect(other.status).to.equal('idle');
  });

  it('finds a login added to the page later', async () => {
    const { pool } = salesSetup();
    const el = await fixture<QlikObject>(html`<qlik-object auth="late" app-id=${APP} object-id="kpi-total-sales" .pool=${pool}></qlik-object>`);
    expect(el.status).to.equal('idle');
    const login = document.createElement('auth-login');
    login.id = 'late';
    document.body.append(login);
    await waitUntil(() => el.status === 'open');
  });

  it('gets the sign-in from an ancestor through @lit/context', async () => {
    const { pool, auth } = salesSetup();
    const wrapper = await fixture<TestAuthProvider>(html`<test-auth-provider>
      <qlik-object app-id=${APP} object-id="kpi-total-sales" .pool=${pool}></qlik-object>
    </test-auth-provider>`);
    wrapper.provider.setValue(auth);
    const el = wrapper.querySelector('qlik-object') as QlikObject;
    await waitUntil(() => kpiText(el) === '$1,160,846');
  });

  it('updates from the engine\'s changed notifications', async () => {
    const { pool, auth, engine, setTotal } = salesSetup();
    const el = await fixture<QlikObject>(html`<qlik-object app-id=${APP} object-id="kpi-total-sales" .authSource=${auth} .pool=${pool}></qlik-object>`);
    await waitUntil(() => kpiText(el) === '$1,160,846');
    setTotal(412_345.6);
    engine.notifyChanged(['kpi-total-sales']);
    await waitUntil(() => kpiText(el) === '$412,346', 'KPI updated');
  });

  it('clicking a bar selects in the engine and fires a composed qlik-selection-changed', async () => {
    const { pool, auth, engine } = salesSetup();
    const el = await fixture<QlikObject>(html`<qlik-object app-id=${APP} object-id="bar-sales-by-region" .authSource=${auth} .pool=${pool}></qlik-object>`);
    await waitUntil(() => shadow(el).querySelectorAll('rect.bar').length === 4);
    const changed = oneEvent<QlikSelectionChangedEvent>(document, 'qlik-selection-changed');
    at([...shadow(el).querySelectorAll('rect.bar')], 1).dispatchEvent(new MouseEvent('click', { bubbles: true }));
    const event = await changed;
    expect(event.detail).to.deep.equal({ action: 'select', objectId: 'bar-sales-by-region', field: 'Region', values: ['North America'] });
    expect(engine.calls.find((c) => c.method === 'SelectHyperCubeValues')?.params).to.deep.equal(['/qHyperCubeDef', 0, [1], true]);
  });

  it('shows suspended on a network drop and open again after the resume', async () => {
    const { pool, auth, engine, endpoint } = salesSetup();
    const el = await fixture<QlikObject>(html`<qlik-object app-id=${APP} object-id="kpi-total-sales" .authSource=${auth} .pool=${pool}></qlik-object>`);
    await waitUntil(() => kpiText(el) === '$1,160,846');
    const suspended = oneEvent<QlikSessionSuspendedEvent>(el, 'qlik-session-suspended');
    const resumed = oneEvent(el, 'qlik-session-resumed');
    at(engine.sockets, 0).serverClose(1006);
    const event = await suspended;
    expect([event.initiator, event.code]).to.deep.equal(['network', 1006]);
    await waitUntil(() => el.getAttribute('status') === 'suspended' || el.getAttribute('status') === 'open');
    await resumed;
    await waitUntil(() => el.getAttribute('status') === 'open');
    expect(endpoint.requests).to.have.length(2);
    expect(kpiText(el)).to.equal('$1,160,846');
  });

  it('shows an engine error as text with its hint and a working retry button', async () => {
    const { pool, auth, engine } = salesSetup();
    const el = await fixture<QlikObject>(html`<qlik-object app-id=${APP} object-id="kpi-total-sales" .authSource=${auth} .pool=${pool}></qlik-object>`);
    await waitUntil(() => kpiText(el) === '$1,160,846');
    const failed = oneEvent<QlikErrorEvent>(el, 'qlik-error');
    at(engine.sockets, 0).serverClose(4999, '<img src=x onerror="window.__pwned=1">');
    const { error } = await failed;
    expect(error.code).to.equal('engine_closed_4999');
    await waitUntil(() => el.getAttribute('status') === 'error');
    const alert = shadow(el).querySelector('[part="error"]');
    expect(alert?.getAttribute('role')).to.equal('alert');
    expect(alert?.querySelector('[part="error-message"]')?.textContent).to.contain('<img src=x');
    expect(alert?.querySelector('img')).to.equal(null);
    expect(alert?.querySelector('[part="error-hint"]')?.textContent).to.not.equal('');
    (alert?.querySelector('[part~="retry-button"]') as HTMLButtonElement).click();
    await waitUntil(() => el.getAttribute('status') === 'open' && kpiText(el) === '$1,160,846', 'reopened');
    expect(engine.sockets).to.have.length(2);
  });

  it('an unknown object is a visible error with a hint about object-id', async () => {
    const { pool, auth } = salesSetup();
    const el = await fixture<QlikObject>(html`<qlik-object app-id=${APP} object-id="nope" .authSource=${auth} .pool=${pool}></qlik-object>`);
    await waitUntil(() => el.getAttribute('status') === 'error');
    expect(el.error?.code).to.equal('object_not_found');
    expect(shadow(el).querySelector('[part="error-hint"]')?.textContent).to.contain('object-id');
  });

  it('an unknown app is a visible error', async () => {
    const { pool, auth } = salesSetup();
    const el = await fixture<QlikObject>(html`<qlik-object app-id="no-such-app" object-id="x" .authSource=${auth} .pool=${pool}></qlik-object>`);
    await waitUntil(() => el.getAttribute('status') === 'error');
    expect(shadow(el).querySelector('[part="error-message"]')?.textContent).to.contain('App not found');
  });

  it('20 objects for one app share one exchange, one socket and one OpenDoc', async () => {
    const { pool, auth, engine, endpoint } = salesSetup();
    const container = fixtureSync<HTMLDivElement>(html`<div>
      ${Array.from({ length: 20 }, () => html`<qlik-object app-id=${APP} object-id="kpi-total-sales" .authSource=${auth} .pool=${pool}></qlik-object>`)}
    </div>`);
    const all = [...container.querySelectorAll('qlik-object')];
    await waitUntil(() => all.every((el) => kpiText(el) === '$1,160,846'), 'all rendered', { timeout: 5000 });
    expect(endpoint.requests).to.have.length(1);
    expect(engine.sockets).to.have.length(1);
    expect(engine.openDocs).to.equal(1);
  });

  it('moving an element does not reconnect or reload; removing all closes after the grace period', async () => {
    const clock = new ManualClock();
    const { pool, auth, engine } = salesSetup({ graceMs: 100, clock });
    const container = fixtureSync<HTMLDivElement>(html`<div>
      <section id="a"><qlik-object app-id=${APP} object-id="kpi-total-sales" .authSource=${auth} .pool=${pool}></qlik-object></section>
      <section id="b"></section>
    </div>`);
    const el = container.querySelector('qlik-object') as QlikObject;
    await waitUntil(() => kpiText(el) === '$1,160,846');
    const callsBefore = engine.calls.length;
    container.querySelector('#b')?.append(el);
    // Well past the grace period: the move kept the session.
    await clock.advance(1000);
    expect(el.status).to.equal('open');
    expect(engine.sockets).to.have.length(1);
    expect(engine.calls.length).to.equal(callsBefore);
    expect(kpiText(el)).to.equal('$1,160,846');
    el.remove();
    await clock.advance(99);
    expect(engine.openSockets).to.equal(1);
    await clock.advance(1);
    await waitUntil(() => engine.openSockets === 0, 'closed after grace', { timeout: 2000 });
    expect(pool.size).to.equal(0);
  });

  it('200 connect/disconnect cycles leave no open socket and no listeners', async () => {
    const { pool, auth, engine } = salesSetup({ graceMs: 0 });
    const container = fixtureSync<HTMLDivElement>(html`<div></div>`);
    for (let i = 0; i < 200; i++) {
      const el = document.createElement('qlik-object') as QlikObject;
      el.appId = APP;
      el.objectId = 'kpi-total-sales';
      el.authSource = auth;
      el.pool = pool;
      container.append(el);
      if (i % 25 === 0) await waitUntil(() => kpiText(el) === '$1,160,846');
      el.remove();
      if (i % 25 === 0) await sleep(5);
    }
    await waitUntil(() => pool.size === 0 && engine.openSockets === 0, 'all closed', { timeout: 5000 });
    expect((auth as FakeAuth).listenerCount).to.equal(0);
    expect(pool.stats.socketsOpen).to.equal(0);
  });

  it('a sign-in without host is a visible configuration error, not an exception', async () => {
    const { pool, auth } = salesSetup();
    auth.host = '';
    const el = await fixture<QlikObject>(html`<qlik-object app-id=${APP} object-id="kpi-total-sales" .authSource=${auth} .pool=${pool}></qlik-object>`);
    await waitUntil(() => el.getAttribute('status') === 'error');
    expect(el.error?.code).to.equal('missing_host');
    expect(shadow(el).querySelector('[part="error-hint"]')?.textContent).to.contain('host');
    expect(pool.size).to.equal(0);
  });

  it('a sign-out closes the session and the element waits for the next sign-in', async () => {
    const { pool, auth, engine } = salesSetup({ graceMs: 10_000 });
    const el = await fixture<QlikObject>(html`<qlik-object app-id=${APP} object-id="kpi-total-sales" .authSource=${auth} .pool=${pool}></qlik-object>`);
    await waitUntil(() => kpiText(el) === '$1,160,846');
    auth.setStatus('signed-out');
    await waitUntil(() => el.status === 'idle');
    await waitUntil(() => engine.openSockets === 0);
    auth.setStatus('signed-in');
    await waitUntil(() => el.status === 'open' && kpiText(el) === '$1,160,846');
    expect(engine.sockets).to.have.length(2);
  });
});
