import { expect, fixture, fixtureSync, html, oneEvent, waitUntil } from '@open-wc/testing';
import { ContextConsumer } from '@lit/context';
import { LitElement } from 'lit';
import { AuthLogin } from './auth-login.ts';
import type { AuthBeforeRedirectEvent, AuthSignedOutEvent } from './events.ts';
import { authContext } from '../auth-context.ts';
import type { AuthClient } from '../../auth/client.ts';
import type { AuthSource } from '../../auth/source.ts';
import { SignInRequiredError } from '../../auth/errors.ts';

if (!customElements.get('auth-login')) customElements.define('auth-login', AuthLogin);

class AuthProbe extends LitElement {
  consumer = new ContextConsumer(this, { context: authContext, subscribe: true });
  get auth(): AuthSource | undefined {
    return this.consumer.value;
  }
}
if (!customElements.get('auth-probe')) customElements.define('auth-probe', AuthProbe);

const HOST = 'http://127.0.0.1:9';
const TOKEN_URL = `${HOST}/oauth/token`;

interface Recorded {
  url: string;
  init: RequestInit | undefined;
}

function tokenFetch(calls: Recorded[], body: Record<string, unknown> = { access_token: 'at-1', token_type: 'Bearer', expires_in: 3600 }) {
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    calls.push({ url: String(input), init });
    // Answer a little later, so that concurrent callers really overlap.
    await new Promise((resolve) => setTimeout(resolve, 20));
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
}

const pagePath = location.pathname;

/** Starts a sign-in without leaving the page and returns the authorization URL it would open. */
async function startSignIn(el: AuthLogin): Promise<URL> {
  const prevent = (event: Event) => event.preventDefault();
  el.addEventListener('auth-before-redirect', prevent, { once: true });
  const eventPromise = oneEvent(el, 'auth-before-redirect');
  void el.signIn();
  const event = (await eventPromise) as unknown as AuthBeforeRedirectEvent;
  return event.url;
}

/**
 * Starts a sign-in with a starter element that then goes away. The starter settles first: an
 * update still pending when the callback lands in the address bar would handle it itself.
 */
async function startAndRemove(starter: AuthLogin): Promise<URL> {
  const url = await startSignIn(starter);
  await waitUntil(() => starter.status === 'signed-out', 'the cancelled redirect settles');
  await starter.updateComplete;
  starter.remove();
  return url;
}

describe('<auth-login>', () => {
  afterEach(() => {
    history.replaceState(null, '', pagePath);
    sessionStorage.clear();
  });

  it('renders an accessible sign-in button and reflects status', async () => {
    const el = await fixture<AuthLogin>(html`<auth-login host=${HOST} client-id="spa"></auth-login>`);
    expect(el.getAttribute('status')).to.equal('signed-out');
    const button = el.shadowRoot!.querySelector('button[part~="button"]');
    expect(button?.textContent?.trim()).to.equal('Sign in');
    await expect(el).shadowDom.to.be.accessible();
  });

  it('refuses a client-secret attribute with a typed error shown as text', async () => {
    const errorPromise = new Promise<Event>((resolve) => document.addEventListener('auth-error', resolve, { once: true }));
    const el = await fixture<AuthLogin>(html`<auth-login host=${HOST} client-id="spa" client-secret="s3cr3t"></auth-login>`);
    const event = (await errorPromise) as Event & { error: { code: string } };
    expect(event.error.code).to.equal('client_secret_refused');
    expect(el.status).to.equal('error');
    const errorText = el.shadowRoot!.querySelector('[part~="error"]')?.textContent ?? '';
    expect(errorText).to.contain('client_secret_refused');
    expect(errorText).not.to.contain('s3cr3t');
  });

  it('fires a cancelable auth-before-redirect with a PKCE authorization URL', async () => {
    const el = await fixture<AuthLogin>(html`<auth-login host=${HOST} client-id="spa"></auth-login>`);
    const url = await startSignIn(el);
    expect(url.origin + url.pathname).to.equal(`${HOST}/oauth/authorize`);
    expect(url.searchParams.get('client_id')).to.equal('spa');
    expect(url.searchParams.get('code_challenge_method')).to.equal('S256');
    expect(url.searchParams.get('code_challenge')).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('scope')).to.equal('user_default');
    expect(url.searchParams.get('redirect_uri')).to.equal(location.origin + pagePath);
    await waitUntil(() => el.status === 'signed-out', 'a cancelled redirect returns to signed-out');
  });

  it('exchanges the code once even when two elements handle the same callback', async () => {
    const starter = await fixture<AuthLogin>(html`<auth-login host=${HOST} client-id="spa"></auth-login>`);
    const state = (await startAndRemove(starter)).searchParams.get('state')!;
    history.replaceState(null, '', `${pagePath}?code=the-code&state=${encodeURIComponent(state)}`);

    const calls: Recorded[] = [];
    const fetch = tokenFetch(calls);
    // fixtureSync: a plain <div> root has no updateComplete to wait for.
    const box = fixtureSync<HTMLDivElement>(html`<div>
      <auth-login host=${HOST} client-id="spa" .options=${{ fetch }}></auth-login>
      <auth-login host=${HOST} client-id="spa" .options=${{ fetch }}></auth-login>
    </div>`);
    const [a, b] = [...box.querySelectorAll('auth-login')];
    await waitUntil(() => a.status === 'signed-in' && b.status === 'signed-in', 'both signed in', { timeout: 3000 });
    expect(calls.filter((c) => c.url === TOKEN_URL)).to.have.length(1);
    expect(await a.getAccessToken()).to.equal('at-1');
    expect(await b.getAccessToken()).to.equal('at-1');
    expect(location.search).to.equal('');
    expect(JSON.stringify({ ...sessionStorage })).not.to.contain('at-1');
  });

  it('shows an authorization error description as text, never as HTML', async () => {
    const starter = await fixture<AuthLogin>(html`<auth-login host=${HOST} client-id="spa"></auth-login>`);
    const state = (await startAndRemove(starter)).searchParams.get('state')!;
    const evil = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    history.replaceState(
      null,
      '',
      `${pagePath}?error=access_denied&error_description=${encodeURIComponent(evil)}&state=${encodeURIComponent(state)}`,
    );
    const calls: Recorded[] = [];
    const el = await fixture<AuthLogin>(html`<auth-login host=${HOST} client-id="spa" .options=${{ fetch: tokenFetch(calls) }}></auth-login>`);
    await waitUntil(() => el.status === 'error', 'error shown');
    expect(el.error?.code).to.equal('access_denied');
    const part = el.shadowRoot!.querySelector('[part~="error"]')!;
    expect(part.querySelector('img, b')).to.equal(null);
    expect(part.textContent).to.contain('<img src=x');
    expect(calls).to.have.length(0);
  });

  it('refuses a callback whose state does not match, without a token request', async () => {
    const starter = await fixture<AuthLogin>(html`<auth-login host=${HOST} client-id="spa"></auth-login>`);
    await startAndRemove(starter);
    history.replaceState(null, '', `${pagePath}?code=c&state=forged-state-value`);
    const calls: Recorded[] = [];
    const el = await fixture<AuthLogin>(html`<auth-login host=${HOST} client-id="spa" .options=${{ fetch: tokenFetch(calls) }}></auth-login>`);
    await waitUntil(() => el.status === 'error', 'error shown');
    expect(['state_mismatch', 'missing_transaction']).to.include(el.error?.code);
    expect(calls).to.have.length(0);
  });

  it('gives nested elements its owner (the AuthClient) through context, and the new owner after an option change', async () => {
    const el = await fixture<AuthLogin>(html`<auth-login host=${HOST} client-id="spa"><auth-probe></auth-probe></auth-login>`);
    const probe = el.querySelector('auth-probe') as AuthProbe;
    await probe.updateComplete;
    const first = el.auth;
    // Compared as booleans: a failing equal() would serialise the element and its owner.
    expect(first !== undefined && probe.auth === first, 'the context value is the owner').to.equal(true);
    expect(probe.auth === (el as unknown), 'not the element').to.equal(false);
    el.clientId = 'other-spa';
    await el.updateComplete;
    expect(el.auth !== first && probe.auth === el.auth, 'the new owner').to.equal(true);
    expect(probe.auth?.status).to.equal(el.status);
  });

  it('after a refresh failure shows the owner\'s error: el.error is el.auth.error, and the UI says it', async () => {
    // The token endpoint refuses the refresh token for good.
    const refuse = async (): Promise<Response> =>
      new Response(JSON.stringify({ error: 'invalid_grant', error_description: 'refresh token revoked' }), { status: 400, headers: { 'content-type': 'application/json' } });
    const el = await fixture<AuthLogin>(html`<auth-login host=${HOST} client-id="spa-refresh-fails" share="none" .options=${{ fetch: refuse }}></auth-login>`);
    const client = el.auth as AuthClient;
    await client.adoptTokens({ access_token: 'at-1', token_type: 'Bearer', expires_at: Date.now() + 3_600_000, refresh_token: 'rt-1' });
    await waitUntil(() => el.status === 'signed-in', 'signed in');
    const signedOut = oneEvent(el, 'auth-signed-out');
    await client.getAccessToken({ forceRefresh: true }).catch(() => undefined);
    expect(((await signedOut) as unknown as AuthSignedOutEvent).reason).to.equal('refresh_failed');
    await el.updateComplete;
    expect(client.error?.code, 'the owner holds the error').to.equal('invalid_grant');
    expect(el.error === client.error, 'the element shows the owner\'s error, not a copy of its own').to.equal(true);
    expect(el.status).to.equal(client.status);
    expect(el.shadowRoot?.querySelector('[part="error"] code')?.textContent).to.equal('invalid_grant');
    // Clearing it is the owner's doing too: signing out (already signed out) clears both at once.
    await el.signOut();
    await el.updateComplete;
    // Compared as booleans: a failing equal() would serialise the error and what it holds.
    expect(client.error === undefined, 'the owner dropped its error').to.equal(true);
    expect(el.error === undefined, 'so did the element').to.equal(true);
    expect(el.shadowRoot?.querySelector('[part="error"]') === null, 'and the UI').to.equal(true);
  });

  it('rejects getAccessToken with a typed error when signed out', async () => {
    const el = await fixture<AuthLogin>(html`<auth-login host=${HOST} client-id="spa"></auth-login>`);
    const error = await el.getAccessToken().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(SignInRequiredError);
    expect((error as SignInRequiredError).code).to.equal('not_signed_in');
    expect((error as SignInRequiredError).hint, 'says what to do').to.match(/sign in/i);
  });
});
