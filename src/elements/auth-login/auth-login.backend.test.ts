import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { ContextConsumer } from '@lit/context';
import { LitElement } from 'lit';
import { AuthLogin } from './auth-login.ts';
import type { AuthErrorEvent, AuthSignedOutEvent } from './events.ts';
import { authContext } from '../auth-context.ts';
import type { AuthSource } from '../../auth/source.ts';
import type { QlikDashboard } from '../qlik-dashboard/qlik-dashboard.ts';
import { APP, salesSetup } from '../../../test/browser/qlik/element-setup.ts';

if (!customElements.get('auth-login')) customElements.define('auth-login', AuthLogin);

class BackendAuthProbe extends LitElement {
  consumer = new ContextConsumer(this, { context: authContext, subscribe: true });
  get auth(): AuthSource | undefined {
    return this.consumer.value;
  }
}
if (!customElements.get('backend-auth-probe')) customElements.define('backend-auth-probe', BackendAuthProbe);

const TENANT = 'https://tenant.example.com';
const TOKEN_PATH = '/site/access-token';

interface Backend {
  fetch: typeof fetch;
  calls: RequestInit[];
  signedIn: boolean;
  issued: number;
  /** Replaces the answer for signed-in calls. */
  answer?: () => Response;
}

/** The site's backend: a token while its session lasts, 401 after. */
function siteBackend(): Backend {
  const backend: Backend = {
    calls: [],
    signedIn: true,
    issued: 0,
    fetch: async (input, init = {}) => {
      expect(new URL(String(input), location.href).pathname).to.equal(TOKEN_PATH);
      backend.calls.push(init);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (!backend.signedIn) return Response.json({ error: 'unauthenticated', message: 'not signed in' }, { status: 401 });
      if (backend.answer) return backend.answer();
      backend.issued += 1;
      return Response.json({ access_token: `site-at-${backend.issued}`, expires_in: 3600 });
    },
  };
  return backend;
}

const shadowText = (el: Element): string => el.shadowRoot?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const button = (el: Element): HTMLButtonElement | null => el.shadowRoot?.querySelector('button') ?? null;

describe('<auth-login> with tokens from a backend', () => {
  afterEach(() => {
    delete (window as unknown as Record<string, unknown>).siteToken;
  });

  it('access-token-url: asks at once, with cookies; signed in without any redirect or storage', async () => {
    const backend = siteBackend();
    let redirects = 0;
    const onRedirect = () => (redirects += 1);
    document.addEventListener('auth-before-redirect', onRedirect);
    const storageBefore = JSON.stringify({ ...sessionStorage, ...localStorage });
    const hrefBefore = location.href;
    const signedIn = new Promise((resolve) => document.addEventListener('auth-signed-in', resolve, { once: true }));
    const el = await fixture<AuthLogin>(
      html`<auth-login access-token-url=${TOKEN_PATH} host=${TENANT} client-id="spa" .options=${{ fetch: backend.fetch }}></auth-login>`,
    );
    await signedIn;
    document.removeEventListener('auth-before-redirect', onRedirect);
    expect(el.status).to.equal('signed-in');
    expect(el.getAttribute('status')).to.equal('signed-in');
    expect(backend.calls).to.have.length(1);
    expect(backend.calls[0]?.method).to.equal('POST');
    expect(backend.calls[0]?.credentials).to.equal('include');
    expect(await el.getAccessToken()).to.equal('site-at-1');
    expect(el.host).to.equal(TENANT);
    expect(el.clientId).to.equal('spa');
    expect(el.expiresAt).to.be.greaterThan(Date.now() + 3_500_000);
    await el.updateComplete;
    expect(shadowText(el)).to.equal('Signed in');
    expect(button(el), 'no sign-out button: the site owns its session').to.equal(null);
    expect(redirects).to.equal(0);
    expect(JSON.stringify({ ...sessionStorage, ...localStorage })).to.equal(storageBefore);
    expect(location.href).to.equal(hrefBefore);
    await expect(el).shadowDom.to.be.accessible();
  });

  it('a 401 shows "Signed out" and a button that asks again; no error, no redirect', async () => {
    const backend = siteBackend();
    backend.signedIn = false;
    const el = await fixture<AuthLogin>(html`<auth-login access-token-url=${TOKEN_PATH} host=${TENANT} .options=${{ fetch: backend.fetch }}></auth-login>`);
    await waitUntil(() => backend.calls.length === 1 && el.status === 'signed-out', 'asked once, signed out');
    await el.updateComplete;
    expect(el.error).to.equal(undefined);
    expect(el.shadowRoot?.querySelector('[part="signed-out"]')?.textContent).to.equal('Signed out');
    expect(el.shadowRoot?.querySelector('[part~="error"]')).to.equal(null);
    const retry = button(el);
    expect(retry?.textContent?.trim()).to.equal('Retry');
    await expect(el).shadowDom.to.be.accessible();

    // The user signs in to the site (elsewhere); the button asks the backend again.
    backend.signedIn = true;
    retry?.click();
    await waitUntil(() => el.status === 'signed-in', 'signed in after retry');
    expect(backend.calls).to.have.length(2);
  });

  it('the backend session ends: the next forced fetch gets 401, the element shows signed out (reason backend)', async () => {
    const backend = siteBackend();
    const el = await fixture<AuthLogin>(html`<auth-login access-token-url=${TOKEN_PATH} host=${TENANT} .options=${{ fetch: backend.fetch }}></auth-login>`);
    await waitUntil(() => el.status === 'signed-in');
    backend.signedIn = false;
    const signedOut = oneEvent(el, 'auth-signed-out') as unknown as Promise<AuthSignedOutEvent>;
    let rejected: unknown;
    await el.getAccessToken({ forceRefresh: true }).catch((error: unknown) => (rejected = error));
    expect((rejected as { code?: string }).code).to.equal('backend_signed_out');
    expect((await signedOut).reason).to.equal('backend');
    await el.updateComplete;
    expect(el.status).to.equal('signed-out');
    expect(shadowText(el)).to.contain('Signed out');
    expect(el.shadowRoot?.querySelector('[part~="error"]')).to.equal(null);
  });

  it('server errors are shown as text with code and hint, never as HTML', async () => {
    const backend = siteBackend();
    backend.answer = () => Response.json({ error: 'user_not_found', message: '<img src=x onerror="window.__pwned=1">user not found' }, { status: 403 });
    const errorEvent = new Promise<AuthErrorEvent>((resolve) => document.addEventListener('auth-error', (e) => resolve(e as AuthErrorEvent), { once: true }));
    const el = await fixture<AuthLogin>(html`<auth-login access-token-url=${TOKEN_PATH} host=${TENANT} .options=${{ fetch: backend.fetch }}></auth-login>`);
    const event = await errorEvent;
    expect(event.error.code).to.equal('user_not_found');
    await el.updateComplete;
    expect(el.status).to.equal('error');
    const error = el.shadowRoot?.querySelector('[part~="error"]');
    expect(error?.textContent).to.contain('<img src=x');
    expect(error?.textContent).to.contain('user_not_found');
    expect(error?.textContent).to.contain('no user in the Qlik tenant');
    expect(error?.querySelector('img')).to.equal(null);
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('get-access-token names a global function (qlik-embed\'s contract), looked up when needed', async () => {
    let calls = 0;
    const el = await fixture<AuthLogin>(html`<auth-login get-access-token="siteToken" host=${TENANT}></auth-login>`);
    // Defined after the element upgraded: the first ask fails visibly…
    await waitUntil(() => el.status === 'error', 'no function yet');
    expect(el.error?.code).to.equal('invalid_option');
    expect(el.error?.message).to.contain('siteToken');
    (window as unknown as Record<string, unknown>).siteToken = async () => `fn-${++calls}`;
    // …and the button asks again.
    button(el)?.click();
    await waitUntil(() => el.status === 'signed-in', 'signed in');
    expect(el.error).to.equal(undefined);
    expect(await el.getAccessToken()).to.equal('fn-2');
    expect(calls).to.equal(2);
  });

  it('the getAccessTokenFn property; a new function starts over', async () => {
    const el = await fixture<AuthLogin>(html`<auth-login host=${TENANT} .getAccessTokenFn=${async () => 'prop-token'}></auth-login>`);
    await waitUntil(() => el.status === 'signed-in');
    expect(await el.getAccessToken()).to.equal('prop-token');
    el.getAccessTokenFn = async () => null;
    await waitUntil(() => el.status === 'signed-out', 'null means signed out');
  });

  it('both access-token-url and get-access-token: a configuration error, shown', async () => {
    const el = await fixture<AuthLogin>(html`<auth-login access-token-url=${TOKEN_PATH} get-access-token="siteToken" host=${TENANT}></auth-login>`);
    expect(el.status).to.equal('error');
    expect(el.error?.code).to.equal('invalid_option');
    expect(shadowText(el)).to.contain('Both accessTokenUrl and getAccessToken');
  });

  it('provides its owner, the BackendTokenSource, to nested elements through context', async () => {
    const backend = siteBackend();
    const el = await fixture<AuthLogin>(
      html`<auth-login access-token-url=${TOKEN_PATH} host=${TENANT} .options=${{ fetch: backend.fetch }}><backend-auth-probe></backend-auth-probe></auth-login>`,
    );
    const probe = el.querySelector('backend-auth-probe') as BackendAuthProbe;
    // Compared as a boolean: a failing equal() would serialise the element and its owner.
    expect(probe.auth === el.auth && probe.auth !== undefined, 'the context value is the owner').to.equal(true);
    await waitUntil(() => el.status === 'signed-in');
    expect(await probe.auth?.getAccessToken()).to.equal('site-at-1');
  });

  it('<qlik-dashboard> works unchanged: opens with the backend token, refetches it after a 401 from the exchange, goes idle when signed out', async () => {
    const backend = siteBackend();
    const { pool, endpoint, engine } = salesSetup();
    // The exchange refuses the first token (as after a revocation), then accepts the next.
    endpoint.respond = (_request, index) =>
      index === 0 ? Response.json({ errors: [{ code: 'invalid_token', title: 'Unauthorized', detail: 'expired', status: '401' }] }, { status: 401 }) : endpoint.ok();
    const login = await fixture<AuthLogin>(html`<auth-login access-token-url=${TOKEN_PATH} host=${TENANT} client-id="spa" .options=${{ fetch: backend.fetch }}></auth-login>`);
    const dashboard = await fixture<QlikDashboard>(html`<qlik-dashboard app-id=${APP} .authSource=${login} .pool=${pool}></qlik-dashboard>`);
    await waitUntil(() => dashboard.getAttribute('status') === 'open', 'dashboard open', { timeout: 5000 });
    const subjects = endpoint.requests.map((r) => r.body.subject_token);
    expect(subjects).to.deep.equal(['site-at-1', 'site-at-2']);
    expect(endpoint.requests[1]?.body.client_id).to.equal('spa');
    expect(backend.calls).to.have.length(2, 'one fetch, one forced refetch after the 401');
    expect(engine.sockets).to.have.length(1);

    backend.signedIn = false;
    await login.signIn();
    await waitUntil(() => login.status === 'signed-out');
    await waitUntil(() => dashboard.getAttribute('status') === 'idle', 'dashboard waits for a sign-in again', { timeout: 5000 });
  });
});
