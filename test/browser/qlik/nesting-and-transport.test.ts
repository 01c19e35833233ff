/**
 * Red-team findings on the Qlik side (issue 10): F14, an object that lists itself as a child,
 * and F13, an access token sent over plain http to a host that is not loopback.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { QlikObject } from '../../../src/elements/qlik-object/qlik-object.ts';
import type { QlikErrorEvent } from '../../../src/elements/qlik-events.ts';
import { exchangeForWebSocketToken } from '../../../src/qlik/websocket-token.ts';
import { buildEngineUrl } from '../../../src/qlik/engine-url.ts';
import type { EmbedKitError } from '../../../src/auth/errors.ts';
import { APP, salesSetup } from './element-setup.ts';
import { filterPaneLayout } from './fixtures.ts';
import { FakeAuth } from './fakes.ts';

/** Every `<qlik-object>` in `root`, through shadow roots. */
function allObjects(root: Element | ShadowRoot): QlikObject[] {
  const found: QlikObject[] = [];
  for (const el of root.querySelectorAll('*')) {
    if (el.localName === 'qlik-object') found.push(el as QlikObject);
    if (el.shadowRoot) found.push(...allObjects(el.shadowRoot));
  }
  return found;
}

const nestingCells = (el: QlikObject): Element[] => [el, ...allObjects(el.shadowRoot as ShadowRoot)].flatMap((o) => [...(o.shadowRoot?.querySelectorAll('[part~="nesting-error"]') ?? [])]);

describe('F14: an object that nests itself', () => {
  it('a filter pane listing itself renders its other child once and a typed error cell for itself, with one GetObject', async () => {
    const setup = salesSetup();
    const app = setup.engine.apps.get(APP);
    if (!app) throw new Error('no app');
    app.objects['filterpane-main'] = filterPaneLayout(['listbox-region', 'filterpane-main']);
    const errors: EmbedKitError[] = [];
    const el = await fixture<QlikObject>(
      html`<qlik-object app-id=${APP} object-id="filterpane-main" .authSource=${setup.auth} .pool=${setup.pool} @qlik-error=${(e: QlikErrorEvent) => errors.push(e.error)}></qlik-object>`,
    );
    await waitUntil(() => nestingCells(el).length > 0, 'the nesting error cell is shown', { timeout: 5000 });
    // Give a runaway nesting every chance to show itself before counting.
    await waitUntil(() => allObjects(el.shadowRoot as ShadowRoot).some((o) => o.objectId === 'listbox-region' && o.status === 'open'), 'the listbox opened');
    const cell = nestingCells(el)[0];
    expect(cell?.getAttribute('role')).to.equal('alert');
    expect(cell?.textContent).to.contain('object_nesting');
    expect(cell?.textContent).to.contain('must not contain itself');
    expect(allObjects(el.shadowRoot as ShadowRoot).map((o) => o.objectId)).to.deep.equal(['listbox-region']);
    const paneRequests = setup.engine.calls.filter((call) => call.method === 'GetObject' && call.params[0] === 'filterpane-main');
    expect(paneRequests).to.have.length(1);
    expect(errors.map((error) => error.code)).to.deep.equal(['object_nesting']);
  });

  it('two panes that list each other stop at the first repeat', async () => {
    const setup = salesSetup();
    const app = setup.engine.apps.get(APP);
    if (!app) throw new Error('no app');
    app.objects['filterpane-main'] = filterPaneLayout(['pane-b']);
    app.objects['pane-b'] = { ...filterPaneLayout(['filterpane-main']), qInfo: { qId: 'pane-b', qType: 'masterobject' } };
    const el = await fixture<QlikObject>(html`<qlik-object app-id=${APP} object-id="filterpane-main" .authSource=${setup.auth} .pool=${setup.pool}></qlik-object>`);
    await waitUntil(() => nestingCells(el).length > 0, 'the nesting error cell is shown', { timeout: 5000 });
    expect(allObjects(el.shadowRoot as ShadowRoot).map((o) => o.objectId)).to.deep.equal(['pane-b']);
    expect(nestingCells(el)[0]?.textContent).to.contain('filterpane-main → pane-b → filterpane-main');
  });

  it('a chain of 12 distinct panes, each listing the next, stops at the depth cap with a typed error cell', async () => {
    const setup = salesSetup();
    const app = setup.engine.apps.get(APP);
    if (!app) throw new Error('no app');
    const ids = Array.from({ length: 12 }, (_, i) => `pane-${i}`);
    ids.forEach((id, i) => {
      app.objects[id] = { ...filterPaneLayout(i + 1 < ids.length ? [ids[i + 1] as string] : []), qInfo: { qId: id, qType: 'masterobject' } };
    });
    const errors: EmbedKitError[] = [];
    const el = await fixture<QlikObject>(
      html`<qlik-object app-id=${APP} object-id="pane-0" .authSource=${setup.auth} .pool=${setup.pool} @qlik-error=${(e: QlikErrorEvent) => errors.push(e.error)}></qlik-object>`,
    );
    await waitUntil(() => nestingCells(el).length > 0, 'the depth error cell is shown', { timeout: 5000 });
    // No id repeats, so only the cap can have stopped it: eight levels, the outer one included.
    const nested = allObjects(el.shadowRoot as ShadowRoot).map((o) => o.objectId);
    expect(nested).to.deep.equal(ids.slice(1, 8));
    expect(nestingCells(el)).to.have.length(1);
    expect(nestingCells(el)[0]?.textContent).to.contain('deeper than 8 levels').and.contain('pane-8').and.contain('object_nesting');
    const requested = new Set(setup.engine.calls.filter((call) => call.method === 'GetObject').map((call) => call.params[0]));
    expect(ids.filter((id) => requested.has(id))).to.deep.equal(ids.slice(0, 8));
    expect(errors.map((error) => error.code)).to.include('object_nesting');
  });
});

describe('F13: no access token over plain http off loopback', () => {
  it('the websocket-token exchange refuses an http host that is not loopback, before any request', async () => {
    const auth = new FakeAuth();
    auth.host = 'http://tenant.example.com';
    const requests: string[] = [];
    const fetch = (async (input: RequestInfo | URL) => {
      requests.push(String(input));
      return Response.json({ access_token: 'ws', expires_in: 60 });
    }) as typeof globalThis.fetch;
    const error = await exchangeForWebSocketToken(auth, { fetch }).then(
      () => undefined,
      (e: unknown) => e as EmbedKitError,
    );
    expect(error?.code).to.equal('insecure_endpoint');
    expect(error?.hint).to.contain('https://tenant.example.com');
    expect(requests).to.deep.equal([]);
    expect(auth.tokenCalls).to.deep.equal([], 'the access token was not even asked for');
  });

  it('the engine URL refuses it too, while loopback http stays allowed for the dev tenant', () => {
    const options = { appId: 'a', accessToken: 't', reloadUri: 'https://app.example/' };
    expect(() => buildEngineUrl({ ...options, host: 'http://tenant.example.com' })).to.throw().with.property('code', 'insecure_endpoint');
    expect(buildEngineUrl({ ...options, host: 'http://127.0.0.1:4000' })).to.match(/^ws:\/\/127\.0\.0\.1:4000\/app\/a\?/);
  });

  it('a <qlik-object> with such a sign-in shows insecure_endpoint and opens no socket', async () => {
    const setup = salesSetup();
    setup.auth.host = 'http://tenant.example.com';
    const el = await fixture<QlikObject>(html`<qlik-object app-id=${APP} object-id="kpi-total-sales" .authSource=${setup.auth} .pool=${setup.pool}></qlik-object>`);
    await waitUntil(() => el.status === 'error', 'error shown', { timeout: 5000 });
    expect(el.error?.code).to.equal('insecure_endpoint');
    expect(setup.endpoint.requests).to.have.length(0);
    expect(setup.engine.sockets).to.have.length(0);
  });
});
