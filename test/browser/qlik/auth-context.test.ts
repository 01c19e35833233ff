import { expect, fixtureSync, html, waitUntil } from '@open-wc/testing';
import { findAuthSource, isAuthSource, watchForAuthSource } from '../../../src/elements/auth-context.ts';
import { FakeAuth } from './fakes.ts';
import { FakeAuthLogin } from './element-setup.ts';

if (!customElements.get('auth-login')) customElements.define('auth-login', FakeAuthLogin);

describe('findAuthSource', () => {
  afterEach(() => document.querySelectorAll('auth-login').forEach((login) => login.remove()));

  it('recognises AuthSource objects', () => {
    expect(isAuthSource(new FakeAuth())).to.equal(true);
    expect(isAuthSource(document.createElement('div'))).to.equal(false);
    expect(isAuthSource(null)).to.equal(false);
  });

  it('finds by id in the document', async () => {
    const root = fixtureSync<HTMLDivElement>(html`<div><auth-login id="a"></auth-login><auth-login id="b"></auth-login><span></span></div>`);
    const host = root.querySelector('span') as HTMLElement;
    expect(findAuthSource(host, 'b')).to.equal(root.querySelector('#b'));
    expect(findAuthSource(host, 'missing')).to.equal(undefined);
  });

  it('finds by id inside the host\'s own shadow root first', async () => {
    const outer = fixtureSync<HTMLDivElement>(html`<div><auth-login id="x"></auth-login></div>`);
    const shadow = outer.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<auth-login id="x"></auth-login><span></span>';
    const host = shadow.querySelector('span') as HTMLElement;
    expect(findAuthSource(host, 'x')).to.equal(shadow.querySelector('auth-login'));
  });

  it('without an id: the single <auth-login>, or none when there are zero or two', async () => {
    const host = fixtureSync<HTMLSpanElement>(html`<span></span>`);
    expect(findAuthSource(host)).to.equal(undefined);
    const one = document.createElement('auth-login');
    document.body.append(one);
    expect(findAuthSource(host)).to.equal(one);
    document.body.append(document.createElement('auth-login'));
    expect(findAuthSource(host)).to.equal(undefined);
  });

  it('an element that is not an AuthSource is not returned', async () => {
    const root = fixtureSync<HTMLDivElement>(html`<div><div id="plain"></div><span></span></div>`);
    expect(findAuthSource(root.querySelector('span') as HTMLElement, 'plain')).to.equal(undefined);
  });

  it('watchForAuthSource calls back when a login appears, and stops cleanly', async () => {
    let calls = 0;
    const stop = watchForAuthSource(() => calls++);
    document.body.append(document.createElement('auth-login'));
    await waitUntil(() => calls > 0);
    stop();
    const before = calls;
    document.body.append(document.createElement('auth-login'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).to.equal(before);
  });
});
