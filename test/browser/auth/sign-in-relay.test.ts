/**
 * SignInRelay without an element: a host that records what the relay asks of it and runs the
 * element's update cycle (configure when asked, then `updated`).
 */
import { expect, waitUntil } from '@open-wc/testing';
import { EmbedKitError } from '../../../src/auth/errors.ts';
import type { SignInConfig } from '../../../src/auth/sign-in-owner.ts';
import { SignInRelay } from '../../../src/auth/sign-in-relay.ts';
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
};

/** A kind of news and its event's arguments. */
type News = [type: string, ...args: unknown[]];

interface Recorded {
  relay: SignInRelay;
  news: News[];
  owners: (SignInSource | undefined)[];
  snapshots: AuthSnapshot[];
  /** The element's first update: an owner for the config, then `updated`. */
  connect(): Promise<void>;
}

function relayFor(config: SignInConfig, clientSecret = false): Recorded {
  const news: News[] = [];
  const owners: (SignInSource | undefined)[] = [];
  const snapshots: AuthSnapshot[] = [];
  let first = true;
  /** One update of the element: a new owner when the relay needs one, then `updated`. */
  const update = (): void => {
    if (relay.needsOwner(first)) relay.configure(config, clientSecret);
    first = false;
    relay.updated({ share: config.share, autoRedirect: false });
  };
  // As a lit element: requests coalesce into one update in a microtask, and a request made
  // while it runs is part of it.
  let pending: Promise<boolean> | undefined;
  const element = {
    requestUpdate(): void {
      pending ??= Promise.resolve().then(() => {
        update();
        pending = undefined;
        return true;
      });
    },
    get updateComplete(): Promise<boolean> {
      return pending ?? Promise.resolve(true);
    },
  };
  const relay = new SignInRelay(element, {
    ownerChanged: (owner) => owners.push(owner),
    report: (type, ...args) => news.push([type, ...args]),
    navigate: () => false,
  });
  relay.subscribe((snapshot) => snapshots.push(snapshot));
  const connect = async (): Promise<void> => {
    element.requestUpdate();
    await element.updateComplete;
  };
  return { relay, news, owners, snapshots, connect };
}

describe('SignInRelay', () => {
  it('refuses a client secret as its own error: reported, shown as status, again on signIn, and thrown by getAccessToken', async () => {
    const { relay, news, owners, snapshots, connect } = relayFor({ ...BASE, clientId: 'spa' }, true);
    await connect();
    expect(relay.status).to.equal('error');
    expect(relay.owner).to.equal(undefined);
    expect(relay.error?.code).to.equal('client_secret_refused');
    expect(news).to.deep.equal([['error', relay.error]]);
    // Subscribers hear the status after the update that shows it.
    expect(snapshots).to.deep.equal([{ status: 'error' }]);
    expect(owners).to.deep.equal([undefined]);

    await relay.signIn();
    expect(news.map(([type]) => type)).to.deep.equal(['error', 'error']);
    const thrown = await relay.getAccessToken().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(thrown).to.equal(relay.error);
  });

  it('without a client id is signed out, with no owner, and getAccessToken says to sign in', async () => {
    const { relay, news, snapshots, connect } = relayFor(BASE);
    await connect();
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
    const { relay, news, owners, snapshots, connect } = relayFor(config);
    await connect();
    // Waiting for the source's code counts as part of the first ask.
    expect(relay.status).to.equal('exchanging');
    expect(relay.backend).to.equal(true);
    await relay.loading;
    await waitUntil(() => relay.status === 'signed-in', 'signed in from the backend');
    expect(backend.calls.map((call) => call.url)).to.deep.equal([new URL('/backend/access-token', location.href).href]);
    expect(owners.at(-1)).to.equal(relay.owner);
    expect(await relay.getAccessToken()).to.equal('at-1');
    expect(news.map(([type]) => type)).to.deep.equal(['signed-in']);
    expect(snapshots[0]).to.deep.equal({ status: 'exchanging' });
    expect(snapshots.at(-1)).to.include({ status: 'signed-in', expiresAt: relay.owner?.expiresAt });

    await relay.signOut();
    expect(relay.status).to.equal('signed-out');
    expect(news.at(-1)?.slice(0, 2)).to.deep.equal(['signed-out', 'user']);
  });
});
