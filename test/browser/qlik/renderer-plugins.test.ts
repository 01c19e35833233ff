import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { QlikDashboard } from '../../../src/elements/qlik-dashboard/qlik-dashboard.ts';
import type { QlikObject } from '../../../src/elements/qlik-object/qlik-object.ts';
import { QlikErrorEvent } from '../../../src/elements/qlik-events.ts';
import { getRendererPlugin, onRendererPluginRegistered, registerRendererPlugin } from '../../../src/elements/renderers/registry.ts';
import { fromLayout } from '../../../src/elements/renderers/types.ts';
import { APP, salesSetup } from './element-setup.ts';

// This page never imports embed-kit/renderers/qlik-embed: the plugin is missing on purpose.
const text = (el: Element, part: string) => el.shadowRoot?.querySelector(`[part~="${part}"]`)?.textContent?.trim() ?? '';

describe('renderer plugins', () => {
  it('without the plugin, renderer="qlik-embed" shows and fires renderer_not_registered naming the import', async () => {
    const { pool, auth, engine } = salesSetup();
    const holder = document.createElement('div');
    document.body.append(holder);
    const fired = oneEvent(holder, QlikErrorEvent.type);
    holder.innerHTML = `<qlik-object renderer="qlik-embed" app-id="${APP}" object-id="kpi-total-sales"></qlik-object>`;
    const el = holder.firstElementChild as QlikObject;
    el.authSource = auth;
    el.pool = pool;
    const event = (await fired) as unknown as QlikErrorEvent;
    expect(event.error.code).to.equal('renderer_not_registered');
    expect(event.error.hint).to.contain("import 'embed-kit/renderers/qlik-embed'");
    await el.updateComplete;
    expect(el.status).to.equal('error');
    expect(text(el, 'error-message')).to.contain('renderer="qlik-embed"');
    expect(text(el, 'error-hint')).to.contain("import 'embed-kit/renderers/qlik-embed'");
    expect(el.shadowRoot?.querySelector('qlik-embed')).to.equal(null);
    expect(engine.sockets).to.have.length(0);
    holder.remove();
  });

  it('<qlik-dashboard> reports the same error for a plugin that was never imported', async () => {
    const { pool, auth } = salesSetup();
    const el = await fixture<QlikDashboard>(html`<qlik-dashboard renderer="nebula" app-id=${APP} .authSource=${auth} .pool=${pool}></qlik-dashboard>`);
    await waitUntil(() => el.status === 'error');
    expect(el.error?.code).to.equal('renderer_not_registered');
    expect(text(el, 'error-hint')).to.contain("import 'embed-kit/renderers/nebula'");
  });

  it('a per-object plugin registered later draws the types it knows; the native renderer draws the rest', async () => {
    const { pool, auth } = salesSetup();
    const kpi = await fixture<QlikObject>(html`<qlik-object renderer="test-plugin" app-id=${APP} object-id="kpi-total-sales" .authSource=${auth} .pool=${pool}></qlik-object>`);
    await waitUntil(() => kpi.status === 'error');
    const asked: string[] = [];
    registerRendererPlugin({
      name: 'test-plugin',
      rendererFor: async (type) => {
        asked.push(type);
        return type === 'kpi' ? fromLayout(() => html`<p part="plugged">plugged ${type}</p>`) : undefined;
      },
    });
    await waitUntil(() => text(kpi, 'plugged') === 'plugged kpi');
    expect(kpi.status).to.equal('open');
    const bar = await fixture<QlikObject>(html`<qlik-object renderer="test-plugin" app-id=${APP} object-id="bar-sales-by-region" .authSource=${auth} .pool=${pool}></qlik-object>`);
    await waitUntil(() => bar.shadowRoot?.querySelector('[part~="chart"]'));
    expect(bar.shadowRoot?.querySelector('[part~="plugged"]')).to.equal(null);
    expect(asked).to.deep.equal(['kpi', 'barchart']);
  });

  it('the registry is global (Symbol.for) and the first registration of a name wins', () => {
    const registry = (globalThis as Record<symbol, { plugins: Map<string, unknown> }>)[Symbol.for('embed-kit/renderer-plugins')];
    const first = { name: 'twice', rendererFor: () => undefined };
    let calls = 0;
    const off = onRendererPluginRegistered(() => calls++);
    registerRendererPlugin(first);
    registerRendererPlugin({ name: 'twice', rendererFor: () => undefined });
    off();
    expect(getRendererPlugin('twice')).to.equal(first);
    expect(registry?.plugins.get('twice')).to.equal(first);
    expect(calls).to.equal(1);
    expect(() => registerRendererPlugin({ name: 'native', rendererFor: () => undefined })).to.throw(TypeError);
    expect(() => registerRendererPlugin({ name: 'empty' })).to.throw(TypeError);
  });
});
