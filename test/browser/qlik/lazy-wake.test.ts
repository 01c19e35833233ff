/**
 * `loading="lazy"` and the embed API: a method called on a lazy element that is not near the
 * viewport yet opens it (as if scrolled to) and runs once it is open, or rejects typed.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { QlikObject } from '../../../src/elements/qlik-object/qlik-object.ts';
import { APP, salesSetup } from './element-setup.ts';

const belowTheFold = (auth: unknown, pool: unknown) =>
  fixture<HTMLElement>(html`<div>
    <div style="height: 4000px"></div>
    <qlik-object loading="lazy" app-id=${APP} object-id="table-sales-details" .authSource=${auth} .pool=${pool}></qlik-object>
  </div>`);

describe('a method on a lazy element below the fold', () => {
  it('exportData() opens the object, waits for it, and exports its rows on one socket', async () => {
    const { auth, engine, pool } = salesSetup();
    const wrapper = await belowTheFold(auth, pool);
    const el = wrapper.querySelector<QlikObject>('qlik-object');
    if (!el) throw new Error('no element');
    await el.updateComplete;
    expect(el.status, 'out of view: nothing opened').to.equal('idle');
    expect(engine.sockets).to.have.length(0);
    const blob = await el.exportData({ download: false });
    expect((await blob.text()).split('\n')[0]).to.contain('Country');
    expect(el.status).to.equal('open');
    expect(engine.sockets).to.have.length(1);
    expect(engine.openDocs).to.equal(1);
    await pool.closeAll();
  });

  it('rejects with not_open when it is not signed in, opening nothing', async () => {
    const { auth, engine, pool } = salesSetup();
    auth.setStatus('signed-out');
    const wrapper = await belowTheFold(auth, pool);
    const el = wrapper.querySelector<QlikObject>('qlik-object');
    if (!el) throw new Error('no element');
    const error = await el.select('Region', ['Europe']).then(
      () => undefined,
      (caught: { code?: string; name?: string; hint?: string }) => caught,
    );
    expect(error?.name).to.equal('QlikApiError');
    expect(error?.code).to.equal('not_open');
    expect(error?.hint).to.match(/Sign in/);
    expect(engine.sockets).to.have.length(0);
    await pool.closeAll();
  });

  it('rejects with the typed error when opening fails', async () => {
    const { auth, engine, pool } = salesSetup();
    engine.apps.delete(APP);
    const wrapper = await belowTheFold(auth, pool);
    const el = wrapper.querySelector<QlikObject>('qlik-object');
    if (!el) throw new Error('no element');
    const error = await el.applyBookmark('bm-1').then(
      () => undefined,
      (caught: { code?: string; name?: string }) => caught,
    );
    expect(error?.name).to.match(/Error$/);
    expect(error?.code, 'the session error, not not_open').to.be.a('string').and.not.equal('not_open');
    expect(el.status).to.equal('error');
    await pool.closeAll();
  });
});
