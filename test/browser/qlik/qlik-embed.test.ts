import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { QlikDashboard } from '../../../src/elements/qlik-dashboard/qlik-dashboard.ts';
import type { QlikObject } from '../../../src/elements/qlik-object/qlik-object.ts';
import { loadQlikEmbed } from '../../../src/elements/qlik-embed-view.ts';
import '../../../src/renderers/qlik-embed.ts';
import { APP, salesSetup } from './element-setup.ts';

const embedOf = (el: Element) => {
  const embed = el.shadowRoot?.querySelector('qlik-embed');
  if (!embed) throw new Error('no <qlik-embed>');
  return embed;
};
const attributes = (el: Element) => Object.fromEntries([...el.attributes].map((a) => [a.name, a.value]));
const hookOf = (embed: Element) => {
  const name = embed.getAttribute('get-access-token') ?? '';
  const hook = (globalThis as Record<string, unknown>)[name];
  if (typeof hook !== 'function') throw new Error(`no global ${name}`);
  return hook as () => Promise<string>;
};

describe('renderer="qlik-embed" (with embed-kit/renderers/qlik-embed)', () => {
  // The real package: it defines <qlik-embed> once. The tenant's runtime (main.js) it would
  // load needs a live tenant, so the tests check our wiring, not its rendering.
  before(async () => {
    await loadQlikEmbed();
    await loadQlikEmbed(); // a second load must not redefine the tag
  });

  it('loads @qlik/embed-web-components, which defines <qlik-embed>', () => {
    expect(customElements.get('qlik-embed')).to.be.a('function');
  });

  it('<qlik-object> configures ui="analytics/chart" with our host, client and token hook; opens no session of its own', async () => {
    const { pool, auth, engine } = salesSetup();
    auth.host = location.origin;
    const el = await fixture<QlikObject>(
      html`<qlik-object renderer="qlik-embed" app-id=${APP} object-id="kpi-total-sales" identity="me" .authSource=${auth} .pool=${pool}></qlik-object>`,
    );
    await waitUntil(() => el.shadowRoot?.querySelector('qlik-embed'));
    const embed = embedOf(el);
    expect(embed).to.be.instanceOf(customElements.get('qlik-embed') as CustomElementConstructor);
    // qlik-embed adds its own `style`; everything else is ours.
    const { 'get-access-token': hookName, ...rest } = attributes(embed);
    delete rest.style;
    expect(rest).to.deep.equal({
      ui: 'analytics/chart',
      'app-id': APP,
      'object-id': 'kpi-total-sales',
      identity: 'me',
      host: location.origin,
      'client-id': 'client-1',
      'auth-type': 'Oauth2',
    });
    expect(hookName).to.match(/^embedKitGetAccessToken_[0-9a-f]{32}$/);
    expect(el.status).to.equal('open');
    expect(engine.sockets).to.have.length(0);
    expect(pool.size).to.equal(0);
  });

  it('the hook returns a fresh token from the sign-in on every call', async () => {
    const { pool, auth } = salesSetup();
    auth.host = location.origin;
    const el = await fixture<QlikObject>(html`<qlik-object renderer="qlik-embed" app-id=${APP} object-id="x" .authSource=${auth} .pool=${pool}></qlik-object>`);
    await waitUntil(() => el.shadowRoot?.querySelector('qlik-embed'));
    const hook = hookOf(embedOf(el));
    expect(await hook()).to.equal('access-1');
    auth.expired = true; // the sign-in refreshes before answering
    expect(await hook()).to.equal('access-2');
    expect(auth.tokenCalls).to.have.length(2);
    const name = embedOf(el).getAttribute('get-access-token') ?? '';
    el.remove();
    expect(name in globalThis).to.equal(false);
  });

  it('<qlik-dashboard> uses ui="analytics/sheet" with the sheet as object-id, or classic/app without one', async () => {
    const { pool, auth } = salesSetup();
    auth.host = location.origin;
    const withSheet = await fixture<QlikDashboard>(
      html`<qlik-dashboard renderer="qlik-embed" app-id=${APP} sheet-id="sheet-overview" .authSource=${auth} .pool=${pool}></qlik-dashboard>`,
    );
    await waitUntil(() => withSheet.shadowRoot?.querySelector('qlik-embed'));
    expect(attributes(embedOf(withSheet))).to.include({ ui: 'analytics/sheet', 'app-id': APP, 'object-id': 'sheet-overview', 'auth-type': 'Oauth2' });
    const whole = await fixture<QlikDashboard>(html`<qlik-dashboard renderer="qlik-embed" app-id=${APP} .authSource=${auth} .pool=${pool}></qlik-dashboard>`);
    await waitUntil(() => whole.shadowRoot?.querySelector('qlik-embed'));
    expect(attributes(embedOf(whole))).to.include({ ui: 'classic/app', 'app-id': APP });
    expect(embedOf(whole).hasAttribute('object-id')).to.equal(false);
  });

  it('waits for sign-in before rendering <qlik-embed>', async () => {
    const { pool, auth } = salesSetup();
    auth.setStatus('signed-out');
    const el = await fixture<QlikObject>(html`<qlik-object renderer="qlik-embed" app-id=${APP} object-id="x" .authSource=${auth} .pool=${pool}></qlik-object>`);
    expect(el.shadowRoot?.querySelector('qlik-embed')).to.equal(null);
    expect(el.status).to.equal('idle');
    auth.setStatus('signed-in');
    await waitUntil(() => el.shadowRoot?.querySelector('qlik-embed'));
  });
});
