/**
 * `<auth-login>` and the other tabs of its sign-in. "Another tab" is a `TabSync` in this page:
 * its `BroadcastChannel` reaches the element's exactly as another tab's would.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { AuthLogin } from './auth-login.ts';
import type { AuthSignedOutEvent } from './events.ts';
import type { AuthClient } from '../../auth/client.ts';
import { TabSync, tabSyncKey } from '../../auth/tab-sync.ts';

if (!customElements.get('auth-login')) customElements.define('auth-login', AuthLogin);

const HOST = 'http://127.0.0.1:9';
/** The sign-in code loads on first use; on a busy machine that can take more than waitUntil's default second. */
const SLOW = { timeout: 5000 };
let seq = 0;
const tabs: TabSync[] = [];

/** A client id of its own per test, so that no test hears another's tabs. */
function freshClientId(): string {
  seq += 1;
  return `spa-tabs-${Date.now()}-${seq}`;
}

/** Another tab of the sign-in `clientId`, holding `at-other`. */
function otherTab(clientId: string, options: ConstructorParameters<typeof TabSync>[1] = {}): TabSync {
  const tab = new TabSync(tabSyncKey({ host: HOST, clientId }), options);
  tab.publish({ access_token: 'at-other', token_type: 'Bearer', expires_at: Date.now() + 3_600_000, refresh_token: 'rt-other' });
  tabs.push(tab);
  return tab;
}

/** Records every request; the token endpoint is never supposed to be called here. */
function recordingFetch(urls: string[]): typeof fetch {
  return async (input) => {
    urls.push(String(input));
    return new Response('{}', { status: 404, headers: { 'content-type': 'application/json' } });
  };
}

describe('<auth-login> across tabs', () => {
  afterEach(() => {
    for (const tab of tabs.splice(0)) tab.close();
  });

  it('starts signed in with the tokens of another tab: no redirect, no token request', async () => {
    const clientId = freshClientId();
    otherTab(clientId);
    const urls: string[] = [];
    const signedIn = new Promise((resolve) => document.addEventListener('auth-signed-in', resolve, { once: true }));
    const el = await fixture<AuthLogin>(html`<auth-login host=${HOST} client-id=${clientId} .options=${{ fetch: recordingFetch(urls) }}></auth-login>`);
    await signedIn;
    expect(el.status).to.equal('signed-in');
    expect(await el.getAccessToken()).to.equal('at-other');
    expect(urls.filter((url) => url.includes('/oauth/'))).to.deep.equal([]);
  });

  it('share="none" does not ask the other tabs', async () => {
    const clientId = freshClientId();
    otherTab(clientId);
    const box = await fixture<HTMLDivElement>(html`<div>
      <auth-login host=${HOST} client-id=${clientId} share="none"></auth-login>
      <auth-login host=${HOST} client-id=${clientId} .options=${{ shareWaitMs: 3000 }}></auth-login>
    </div>`);
    const [isolated, shared] = [...box.querySelectorAll('auth-login')];
    // Both started at once; the one that asks is answered.
    await waitUntil(() => shared.status === 'signed-in', 'the sharing element signed in', SLOW);
    expect(isolated.status).to.equal('signed-out');
    await isolated.getAccessToken().then(
      () => expect.fail('the isolated element has no token'),
      (error: { code?: string }) => expect(error.code).to.equal('not_signed_in'),
    );
  });

  it('share="none", signed in, neither answers other tabs nor hears their sign-outs', async () => {
    const clientId = freshClientId();
    const el = await fixture<AuthLogin>(html`<auth-login host=${HOST} client-id=${clientId} share="none" .options=${{ fetch: recordingFetch([]) }}></auth-login>`);
    await (el.auth as AuthClient).adoptTokens({ access_token: 'at-isolated', token_type: 'Bearer', expires_at: Date.now() + 3_600_000, refresh_token: 'rt-isolated' });
    expect(el.status).to.equal('signed-in');
    // A new tab of the same sign-in asks: a sharing element would hand over its tokens.
    const asker = new TabSync(tabSyncKey({ host: HOST, clientId }));
    tabs.push(asker);
    expect(await asker.request(), 'the isolated element answers nothing').to.equal(undefined);
    // Another tab signs out; a third, sharing tab hears it, so the message went round.
    let heard: () => void = () => undefined;
    const listenerHeard = new Promise<void>((resolve) => (heard = resolve));
    otherTab(clientId, { onSignedOut: () => heard() });
    let signedOutEvents = 0;
    el.addEventListener('auth-signed-out', () => (signedOutEvents += 1));
    asker.signOut();
    await listenerHeard;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(signedOutEvents).to.equal(0);
    expect(el.status).to.equal('signed-in');
    expect(await el.getAccessToken()).to.equal('at-isolated');
  });

  it('another tab signing out signs the element out with reason other_tab, without a revocation', async () => {
    const clientId = freshClientId();
    const other = otherTab(clientId);
    const urls: string[] = [];
    const el = await fixture<AuthLogin>(html`<auth-login host=${HOST} client-id=${clientId} .options=${{ fetch: recordingFetch(urls) }}></auth-login>`);
    await waitUntil(() => el.status === 'signed-in', 'signed in from the other tab', SLOW);
    const signedOut = oneEvent(el, 'auth-signed-out') as unknown as Promise<AuthSignedOutEvent>;
    other.signOut();
    expect((await signedOut).reason).to.equal('other_tab');
    expect(el.status).to.equal('signed-out');
    expect(urls.filter((url) => url.includes('/oauth/revoke'))).to.deep.equal([]);
  });

  it('signing out in the element signs out the other tabs', async () => {
    const clientId = freshClientId();
    let heard: () => void = () => undefined;
    const otherSignedOut = new Promise<void>((resolve) => (heard = resolve));
    otherTab(clientId, { onSignedOut: () => heard() });
    const el = await fixture<AuthLogin>(html`<auth-login host=${HOST} client-id=${clientId} .options=${{ fetch: recordingFetch([]) }}></auth-login>`);
    await waitUntil(() => el.status === 'signed-in', 'signed in from the other tab', SLOW);
    await el.signOut();
    await otherSignedOut;
    expect(el.status).to.equal('signed-out');
  });

  it('a refresh in another tab reaches the element as auth-token-refreshed', async () => {
    const clientId = freshClientId();
    const other = otherTab(clientId);
    const el = await fixture<AuthLogin>(html`<auth-login host=${HOST} client-id=${clientId}></auth-login>`);
    await waitUntil(() => el.status === 'signed-in', 'signed in from the other tab', SLOW);
    const refreshed = oneEvent(el, 'auth-token-refreshed');
    // The other tab refreshed: new tokens replacing the ones it handed over.
    other.publish({ access_token: 'at-refreshed', token_type: 'Bearer', expires_at: Date.now() + 3_600_000, refresh_token: 'rt-2' });
    await refreshed;
    expect(await el.getAccessToken()).to.equal('at-refreshed');
  });

  it('with a changed client the old one stops answering', async () => {
    const clientId = freshClientId();
    otherTab(clientId);
    const el = await fixture<AuthLogin>(html`<auth-login host=${HOST} client-id=${clientId}></auth-login>`);
    await waitUntil(() => el.status === 'signed-in', 'signed in from the other tab', SLOW);
    for (const tab of tabs.splice(0)) tab.close();
    el.clientId = freshClientId();
    await el.updateComplete;
    const asker = new TabSync(tabSyncKey({ host: HOST, clientId }));
    tabs.push(asker);
    expect(await asker.request(), 'the replaced client no longer hands out its tokens').to.equal(undefined);
  });

  // auto-redirect happens at most once per page load, so the redirect itself is the last test.
  it('auto-redirect waits for the other tabs, and does not redirect when one answers', async () => {
    const clientId = freshClientId();
    otherTab(clientId);
    let redirects = 0;
    const count = (event: Event) => {
      redirects += 1;
      event.preventDefault();
    };
    document.addEventListener('auth-before-redirect', count);
    try {
      const el = await fixture<AuthLogin>(html`<auth-login host=${HOST} client-id=${clientId} auto-redirect></auth-login>`);
      await waitUntil(() => el.status === 'signed-in', 'signed in from the other tab', SLOW);
      await el.updateComplete;
      expect(redirects).to.equal(0);
    } finally {
      document.removeEventListener('auth-before-redirect', count);
    }
  });

  it('auto-redirect goes ahead when no tab answers', async () => {
    const redirect = new Promise<Event>((resolve) =>
      document.addEventListener('auth-before-redirect', (event) => (event.preventDefault(), resolve(event)), { once: true }),
    );
    const el = await fixture<AuthLogin>(html`<auth-login host=${HOST} client-id=${freshClientId()} auto-redirect></auth-login>`);
    await redirect;
    await waitUntil(() => el.status === 'signed-out', 'the cancelled redirect settles', SLOW);
  });
});
