import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { AuthLogin } from './auth-login.ts';
import type { AuthBeforeRedirectEvent, AuthErrorEvent, AuthUserChangedEvent } from './events.ts';

if (!customElements.get('auth-login')) customElements.define('auth-login', AuthLogin);

const REGION = 'mypurecloud.com';
const TOKEN_URL = `https://login.${REGION}/oauth/token`;
const USER_URL = `https://api.${REGION}/api/v2/users/me`;
const pagePath = location.pathname;

function genesysFetch(user: { status: number; body: unknown }, calls: string[] = []): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    calls.push(`${init?.method ?? 'GET'} ${url}`);
    const answer =
      url === TOKEN_URL
        ? { status: 200, body: { access_token: 'gc-at', token_type: 'bearer', expires_in: 86399 } }
        : url === USER_URL
          ? user
          : { status: 404, body: {} };
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

/** Starts a Genesys sign-in without leaving, then puts its callback in the address bar. */
async function arriveWithCallback(): Promise<void> {
  const starter = await fixture<AuthLogin>(html`<auth-login provider="genesys" region=${REGION} client-id="gc-spa"></auth-login>`);
  starter.addEventListener('auth-before-redirect', (event) => event.preventDefault(), { once: true });
  const redirect = oneEvent(starter, 'auth-before-redirect');
  void starter.signIn();
  const state = ((await redirect) as unknown as AuthBeforeRedirectEvent).url.searchParams.get('state') ?? '';
  // Let the starter settle first, or its next update would find the callback and handle it itself.
  await waitUntil(() => starter.status === 'signed-out', 'the cancelled redirect settles');
  await starter.updateComplete;
  starter.remove();
  history.replaceState(null, '', `${pagePath}?code=gc-code&state=${encodeURIComponent(state)}`);
}

describe('<auth-login> user', () => {
  afterEach(() => {
    history.replaceState(null, '', pagePath);
    sessionStorage.clear();
  });

  it('shows the user from /api/v2/users/me as text, and clears it on sign-out', async () => {
    await arriveWithCallback();
    const calls: string[] = [];
    const name = 'Grace <b>Hopper</b>';
    const fetch = genesysFetch({ status: 200, body: { id: 'u-1', name, email: 'grace@example.com' } }, calls);
    const changes: unknown[] = [];
    const el = await fixture<AuthLogin>(
      html`<auth-login
        provider="genesys"
        region=${REGION}
        client-id="gc-spa"
        .options=${{ fetch }}
        @auth-user-changed=${(event: AuthUserChangedEvent) => changes.push(event.user)}
      ></auth-login>`,
    );
    await waitUntil(() => el.user !== undefined, 'user loaded', { timeout: 3000 });
    expect(el.status).to.equal('signed-in');
    expect(el.user).to.deep.equal({ id: 'u-1', name, email: 'grace@example.com' });
    await el.updateComplete;
    const label = el.shadowRoot!.querySelector('[part~="signed-in"]')!;
    expect(label.textContent?.replace(/\s+/g, ' ').trim()).to.equal(`Signed in as ${name}`);
    expect(label.querySelector('[part~="user-name"]')?.textContent).to.equal(name);
    expect(label.querySelector('b')).to.equal(null);
    expect(calls).to.deep.equal([`POST ${TOKEN_URL}`, `GET ${USER_URL}`]);

    await el.signOut();
    await el.updateComplete;
    expect(el.user).to.equal(undefined);
    expect(el.shadowRoot!.querySelector('[part~="user-name"]')).to.equal(null);
    expect(changes).to.deep.equal([{ id: 'u-1', name, email: 'grace@example.com' }, undefined]);
  });

  it('stays signed in when the user cannot be loaded, and says why in an auth-error event only', async () => {
    await arriveWithCallback();
    const fetch = genesysFetch({ status: 403, body: { message: 'Missing permission', code: 'missing.any.permissions' } });
    const errors: AuthErrorEvent[] = [];
    const el = await fixture<AuthLogin>(
      html`<auth-login
        provider="genesys"
        region=${REGION}
        client-id="gc-spa"
        .options=${{ fetch }}
        @auth-error=${(event: AuthErrorEvent) => errors.push(event)}
      ></auth-login>`,
    );
    await waitUntil(() => errors.length > 0, 'user_unavailable reported', { timeout: 3000 });
    expect(errors.map((event) => event.error.code)).to.deep.equal(['user_unavailable']);
    expect(errors[0].error.message).to.include('403');
    expect(el.status).to.equal('signed-in');
    expect(el.error).to.equal(undefined);
    expect(el.user).to.equal(undefined);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="error"]')).to.equal(null);
    expect(el.shadowRoot!.querySelector('[part~="signed-in"]')?.textContent?.trim()).to.equal('Signed in');
    expect(await el.getAccessToken()).to.equal('gc-at');
  });
});
