/**
 * The page's own authorization response leaves the address bar as soon as the sign-in code
 * loads, before a router that reads the address at start (Angular's) can see it, and the client
 * exchanges it from memory. Nothing is lost: a response that cannot be exchanged yet goes back.
 */
import { expect } from '@open-wc/testing';
import { AuthClient } from '../../../src/auth/client.ts';
import { isCallbackUrl, settlePageCallback, takePageCallback } from '../../../src/auth/callback-url.ts';
import { EmbedKitError } from '../../../src/auth/errors.ts';
import { hasPendingTransaction, saveTransaction } from '../../../src/auth/transaction.ts';
import { bodyOf, fakeFetch, json, routes } from './fakes.ts';

const HOST = 'https://tenant.example';
const TOKEN_URL = `${HOST}/oauth/token`;
const ISSUER = 'https://idp.example';
const TOKENS = { access_token: 'at-1', token_type: 'Bearer', expires_in: 3600 };
const page = `${location.origin}${location.pathname}`;

/** The page's address with `params` in its query. */
function visit(params: Record<string, string>): string {
  const url = new URL(page);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  history.replaceState(history.state, '', url.href);
  return url.href;
}

/** Starts a sign-in (its transaction goes to this tab's sessionStorage) and returns its state. */
async function startSignIn(client: AuthClient): Promise<string> {
  const authorize = await client.createAuthorizationUrl('/signed-in-here');
  return authorize.searchParams.get('state') ?? '';
}

describe('the page callback', () => {
  afterEach(() => {
    sessionStorage.clear();
    history.replaceState(history.state, '', page);
  });

  it('leaves the address bar when the element code loads, and the client exchanges it from memory', async () => {
    const server = fakeFetch(routes({ [TOKEN_URL]: () => json(TOKENS) }));
    const client = new AuthClient({ host: HOST, clientId: 'client-1', fetch: server.fetch });
    const state = await startSignIn(client);
    visit({ code: 'code-1', state, keep: 'me' });

    // What <auth-login> loads up front; evaluating it takes the response out of the address.
    await import('../../../src/auth/owner-loader.ts');
    expect(location.href).to.equal(`${page}?keep=me`);
    // Still a callback for the element, which passes the address it sees.
    expect(isCallbackUrl(location.href)).to.equal(true);
    expect(server.calls).to.have.length(0);

    expect(await client.handleCallback(location.href)).to.equal(true);
    expect(client.status).to.equal('signed-in');
    const [request] = server.to(TOKEN_URL);
    expect(bodyOf(request!)).to.deep.include({ grant_type: 'authorization_code', code: 'code-1' });
    expect(location.pathname + location.search).to.equal('/signed-in-here');
    // Answered: no longer a callback, and nothing to exchange twice.
    expect(isCallbackUrl(location.href)).to.equal(false);
    expect(hasPendingTransaction()).to.equal(false);
    expect(server.to(TOKEN_URL)).to.have.length(1);
  });

  it('takes it synchronously, before anything else on the page can read the address', async () => {
    const client = new AuthClient({ host: HOST, clientId: 'client-1' });
    const state = await startSignIn(client);
    const href = visit({ code: 'code-2', state });
    const taken = takePageCallback();
    expect(location.search).to.equal('');
    expect(taken).to.deep.include({ href, cleaned: page });
    expect(taken?.params).to.deep.equal({ code: 'code-2', state });
    // Asking again gives the same response, for the page as it is now and as it was loaded.
    expect(takePageCallback(undefined, href)).to.equal(taken);
    expect(takePageCallback(undefined, 'https://elsewhere.example/?code=x&state=y')).to.equal(undefined);
    // Answered: memory lets it go, and the address stays clean.
    settlePageCallback(taken!, { putBack: false });
    expect(isCallbackUrl(location.href)).to.equal(false);
    expect(location.search).to.equal('');
    client.close();
  });

  it('leaves a response that names no sign-in of this tab where it is', () => {
    const href = visit({ code: 'someone-elses', state: 'not-ours' });
    expect(takePageCallback()).to.equal(undefined);
    expect(location.href).to.equal(href);
  });

  it('puts the response back when it cannot be exchanged yet, for a reload to finish', async () => {
    // The provider's metadata cannot be read, so nothing is exchanged and the transaction stays.
    const server = fakeFetch(() => json({ error: 'unavailable' }, 503));
    const client = new AuthClient({ provider: 'oidc', issuer: ISSUER, clientId: 'client-1', fetch: server.fetch });
    const state = `state-${Math.random()}`;
    saveTransaction({ state, verifier: 'v'.repeat(43), redirectUri: page, returnPath: '/', createdAt: Date.now(), clientId: 'client-1' });
    const href = visit({ code: 'code-3', state });

    const failure = await client.handleCallback().catch((error: unknown) => error);
    expect((failure as EmbedKitError).code).to.equal('discovery_failed');
    expect(location.href).to.equal(href);
    expect(hasPendingTransaction()).to.equal(true);
    expect(server.calls.some((call) => call.url.includes('/token'))).to.equal(false);
  });
});
