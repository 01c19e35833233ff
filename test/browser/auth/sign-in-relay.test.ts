/**
 * SignInRelay without an element: a host that records what the relay asks of it and runs the
 * element's update cycle (configure when asked, then `updated`).
 */
import { expect, waitUntil } from '@open-wc/testing';
import { EmbedKitError } from '../../../src/auth/errors.ts';
import type { SignInConfig } from '../../../src/auth/sign-in-owner.ts';
import { SignInRelay, type SignInNews } from '../../../src/auth/sign-in-relay.ts';
import type { AuthSnapshot, SignInSource } from '../../../src/auth/source.ts';
import { fakeFetch, json } from './fakes.ts';

const BASE: SignInConfig = {
  provider: 'qlik',
  host: 'https://tenant.example',
  region: undefined,
  issuer: undefined,
  clientId: undefined,
  redirectUri: undefined,
  scope: undefined,
  authorizationEndpoint: undefined,
  tokenEndpoint: undefined,
  revocationEndpoint: undefined,
  accessTokenUrl: undefined,
  accessTokenFunctionName: undefined,
  getAccessTokenFn: undefined,
  share: 'none',
  options: {},
  clientSecret: false,
};

interface Recorded {
  relay: SignInRelay;
  news: SignInNews[];
  owners: (SignInSource | undefined)[];
  snapshots: AuthSnapshot[];
  /** One update of the element: a new owner when the relay needs one, then `updated`. */
  update(): void;
}

function relayFor(config: SignInConfig): Recorded {
  const news: SignInNews[] = [];
  const owners: (SignInSource | undefined)[] = [];
  const snapshots: AuthSnapshot[] = [];
  let first = true;
  const update = (): void => {
    if (relay.needsOwner(first)) relay.configure(config);
    first = false;
    relay.updated({ share: config.share, autoRedirect: false });
  };
  const relay = new SignInRelay({
    requestUpdate: () => undefined,
    whenUpdated: async () => update(),
    ownerChanged: (owner) => owners.push(owner),
    report: (item) => news.push(item),
    navigate: () => false,
  });
  relay.subscribe((snapshot) => snapshots.push(snapshot));
  return { relay, news, owners, snapshots, update };
}

describe('SignInRelay', () => {
  it('refuses a client secret as its own error: reported, shown as status, again on signIn, and thrown by getAccessToken', async () => {
    const { relay, news, owners, snapshots, update } = relayFor({ ...BASE, clientId: 'spa', clientSecret: true });
    update();
    expect(relay.status).to.equal('error');
    expect(relay.owner).to.equal(undefined);
    expect(relay.error?.code).to.equal('client_secret_refused');
    expect(news).to.deep.equal([{ type: 'error', error: relay.error }]);
    // Subscribers hear the status after the update that shows it.
    expect(snapshots).to.deep.equal([{ status: 'error' }]);
    expect(owners).to.deep.equal([undefined]);

    await relay.signIn();
    expect(news.map((item) => item.type)).to.deep.equal(['error', 'error']);
    const thrown = await relay.getAccessToken().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(thrown).to.equal(relay.error);
  });

  it('without a client id is signed out, with no owner, and getAccessToken says to sign in', async () => {
    const { relay, news, snapshots, update } = relayFor(BASE);
    update();
    expect(relay.status).to.equal('signed-out');
    expect(relay.owner).to.equal(undefined);
    expect(news).to.deep.equal([]);
    expect(snapshots).to.deep.equal([{ status: 'signed-out' }]);
    const thrown = await relay.getAccessToken().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(thrown).to.be.instanceOf(EmbedKitError);
    expect((thrown as EmbedKitError).code).to.equal('not_signed_in');
  });

  it('with tokens from a backend: loads the source, asks the backend once after the update, and relays the sign-in', async () => {
    const backend = fakeFetch(() => json({ access_token: 'at-1', expires_in: 3600 }));
    const config = { ...BASE, accessTokenUrl: '/backend/access-token', options: { fetch: backend.fetch } };
    const { relay, news, owners, snapshots, update } = relayFor(config);
    update();
    // Waiting for the source's code counts as part of the first ask.
    expect(relay.status).to.equal('exchanging');
    expect(relay.backend).to.equal(true);
    await relay.loading;
    await waitUntil(() => relay.status === 'signed-in', 'signed in from the backend');
    expect(backend.calls.map((call) => call.url)).to.deep.equal([new URL('/backend/access-token', location.href).href]);
    expect(owners.at(-1)).to.equal(relay.owner);
    expect(await relay.getAccessToken()).to.equal('at-1');
    expect(news.map((item) => item.type)).to.deep.equal(['signed-in']);
    expect(snapshots[0]).to.deep.equal({ status: 'exchanging' });
    expect(snapshots.at(-1)).to.include({ status: 'signed-in', expiresAt: relay.owner?.expiresAt });

    await relay.signOut();
    expect(relay.status).to.equal('signed-out');
    expect(news.at(-1)).to.include({ type: 'signed-out', reason: 'user' });
  });
});
