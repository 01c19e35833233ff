/**
 * The dev tenant's OAuth side, driven over HTTP with plain `fetch`, as a browser or a backend
 * would: discovery, code + PKCE through the login page, the token endpoint's refusals in
 * standard and Qlik form, refresh rotation, revocation, `/api/v1/users/me` and CORS.
 */
import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it, type TestContext } from 'node:test';
import WebSocket from 'ws';
import {
  BACKEND_CLIENT_ID,
  BACKEND_CLIENT_SECRET,
  SAMPLE_APP_ID,
  startDevTenant,
  type DevTenant,
  type DevTenantClient,
  type DevTenantUser,
} from '../../src/dev-tenant/index.ts';

const CLIENT_ID = 'test-spa';
const REDIRECT_URI = 'http://app.test:3000/callback';
const OTHER_REDIRECT_URI = 'http://app.test:3000/other';
const TRUSTED_ORIGIN = 'http://app.test:3000';
const UNTRUSTED_ORIGIN = 'http://evil.test:4000';

const USERS: DevTenantUser[] = [
  { id: 'aaaaaaaaaaaaaaaaaaaaaaa1', subject: 'auth0|ann', name: 'Ann Tester', email: 'ann@example.test', username: 'ann' },
  { id: 'aaaaaaaaaaaaaaaaaaaaaaa2', subject: 'auth0|mallory', name: 'Mallory <img src=x onerror=alert(1)>', username: 'mallory' },
  { id: 'aaaaaaaaaaaaaaaaaaaaaaa3', subject: 'auth0|nora', name: 'Nora No-Access', username: 'nora', apps: [] },
];

const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const IMPERSONATION = 'urn:qlik:oauth:user-impersonation';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const BACKEND = 'test-backend';
const BACKEND_SECRET = 'test-backend-secret';
const PUBLIC_IMPERSONATOR = 'test-public-impersonator';

const CLIENTS: DevTenantClient[] = [
  {
    client_id: CLIENT_ID,
    client_name: 'Test SPA',
    token_endpoint_auth_method: 'none',
    redirect_uris: [REDIRECT_URI, OTHER_REDIRECT_URI],
    response_types: ['code'],
    grant_types: ['authorization_code', 'refresh_token', EXCHANGE],
  },
  {
    client_id: BACKEND,
    client_secret: BACKEND_SECRET,
    token_endpoint_auth_method: 'client_secret_post',
    redirect_uris: [],
    response_types: [],
    grant_types: [IMPERSONATION, 'client_credentials', EXCHANGE],
  },
  {
    // Misconfigured on purpose: impersonation must still refuse a client without a secret.
    client_id: PUBLIC_IMPERSONATOR,
    token_endpoint_auth_method: 'none',
    redirect_uris: [],
    response_types: [],
    grant_types: [IMPERSONATION],
  },
];

// ---------------------------------------------------------------------------------------------
// Helpers: a cookie jar, PKCE, the authorization code flow through the login page, token calls.

class CookieJar {
  readonly #cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] ?? '') < Date.now());
      if (!value || expired) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

interface AuthorizeOptions {
  clientId?: string;
  redirectUri?: string;
  user?: string;
  scope?: string;
  challenge?: string;
  jar?: CookieJar;
  cancel?: boolean;
}

interface AuthorizeResult {
  /** The final redirect to the client, parsed. */
  callback: URL;
  state: string;
  verifier: string;
  loginPage: string;
}

/** Follows the code flow by hand: authorize → login page → POST user → redirects → callback. */
async function authorize(tenant: DevTenant, options: AuthorizeOptions = {}): Promise<AuthorizeResult> {
  const redirectUri = options.redirectUri ?? REDIRECT_URI;
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(16).toString('base64url');
  const jar = options.jar ?? new CookieJar();
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: options.clientId ?? CLIENT_ID,
    redirect_uri: redirectUri,
    scope: options.scope ?? 'user_default',
    state,
    code_challenge: options.challenge ?? challenge,
    code_challenge_method: 'S256',
  });
  let url = new URL(`/oauth/authorize?${query}`, tenant.url);
  let method = 'GET';
  let body: string | undefined;
  let loginPage = '';
  for (let hop = 0; hop < 10; hop += 1) {
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(body ? { body } : {}),
    });
    jar.store(response);
    method = 'GET';
    body = undefined;
    if (response.status === 200 && url.pathname.startsWith('/interaction/')) {
      loginPage = await response.text();
      method = 'POST';
      body = options.cancel ? 'cancel=1' : new URLSearchParams({ user: options.user ?? 'ann' }).toString();
      continue;
    }
    assert.ok([302, 303].includes(response.status), `hop ${hop} to ${url.pathname}: expected a redirect, got ${response.status}: ${await response.text()}`);
    const location = new URL(response.headers.get('location') ?? '', url);
    if (location.origin !== new URL(tenant.url).origin) return { callback: location, state, verifier, loginPage };
    url = location;
  }
  throw new Error('too many redirects');
}

interface TokenResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function postToken(
  tenant: DevTenant,
  params: Record<string, unknown>,
  { form = false, path = '/oauth/token', headers = {} }: { form?: boolean; path?: string; headers?: Record<string, string> } = {},
): Promise<TokenResponse> {
  const response = await fetch(new URL(path, tenant.url), {
    method: 'POST',
    headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json', ...headers },
    body: form
      ? new URLSearchParams(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString()
      : JSON.stringify(params),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** The code flow end to end: tokens for `user`. */
async function signIn(tenant: DevTenant, user = 'ann'): Promise<Record<string, unknown>> {
  const { callback, verifier } = await authorize(tenant, { user });
  const { status, body } = await postToken(tenant, {
    grant_type: 'authorization_code',
    code: callback.searchParams.get('code'),
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
    client_id: CLIENT_ID,
  });
  assert.equal(status, 200, JSON.stringify(body));
  return body;
}

/** Asserts the standard error and the Qlik `errors[]` entry next to it. */
function assertOAuthError(
  response: TokenResponse,
  expected: { status: number; error: string; code?: string; description?: RegExp },
): void {
  const { status, body } = response;
  assert.equal(status, expected.status, JSON.stringify(body));
  assert.equal(body['error'], expected.error);
  assert.equal(typeof body['error_description'], 'string');
  if (expected.description) assert.match(String(body['error_description']), expected.description);
  const errors = body['errors'] as Array<Record<string, unknown>>;
  assert.ok(Array.isArray(errors) && errors.length === 1, `errors[] missing: ${JSON.stringify(body)}`);
  assert.deepEqual(Object.keys(errors[0]).sort(), ['code', 'detail', 'status', 'title']);
  assert.equal(errors[0]['code'], expected.code ?? expected.error);
  assert.equal(errors[0]['status'], String(expected.status));
  assert.equal(typeof errors[0]['title'], 'string');
  assert.match(String(body['traceId']), /^[0-9a-f]{32}$/);
}

async function usersMe(tenant: DevTenant, token: string | undefined, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(new URL('/api/v1/users/me', tenant.url), { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
}

function exchange(tenant: DevTenant, subjectToken: unknown, extra: Record<string, unknown> = {}, options: { form?: boolean } = {}): Promise<TokenResponse> {
  return postToken(
    tenant,
    { grant_type: EXCHANGE, subject_token: subjectToken, subject_token_type: ACCESS_TOKEN_TYPE, purpose: 'websocket', client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, ...extra },
    options,
  );
}

function impersonate(tenant: DevTenant, userLookup: unknown, extra: Record<string, unknown> = {}, options: { form?: boolean } = {}): Promise<TokenResponse> {
  return postToken(tenant, { grant_type: IMPERSONATION, client_id: BACKEND, client_secret: BACKEND_SECRET, user_lookup: userLookup, scope: 'user_default', ...extra }, options);
}

type Upgrade =
  | { kind: 'open'; first: Record<string, unknown> }
  | { kind: 'http'; status: number; body: string }
  | { kind: 'close'; code: number; first?: Record<string, unknown> };

/**
 * Opens an engine websocket and reports how it went: a session (OnConnected with
 * SESSION_CREATED or SESSION_ATTACHED), an HTTP refusal, or a close (as Qlik does for 4203,
 * after an OnConnected carrying a SESSION_ERROR_* state).
 */
function connectEngine(tenant: DevTenant, path: string, headers: Record<string, string> = {}): Promise<Upgrade> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${tenant.url.replace(/^http/, 'ws')}${path}`, { headers });
    let first: Record<string, unknown> | undefined;
    socket.once('message', (data: Buffer) => {
      first = JSON.parse(data.toString()) as Record<string, unknown>;
      const state = (first['params'] as { qSessionState?: string } | undefined)?.qSessionState;
      if (first['method'] === 'OnConnected' && (state === 'SESSION_CREATED' || state === 'SESSION_ATTACHED')) {
        resolve({ kind: 'open', first });
        socket.close();
      }
    });
    socket.once('close', (code: number) => resolve({ kind: 'close', code, ...(first ? { first } : {}) }));
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ kind: 'http', status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    socket.once('error', () => undefined);
  });
}

function appPath(token: string | undefined, appId = SAMPLE_APP_ID): string {
  const query = new URLSearchParams({ reloadUri: 'http://app.test:3000/callback' });
  if (token !== undefined) query.set('accessToken', token);
  return `/app/${encodeURIComponent(appId)}?${query}`;
}

/** A refusal either as an HTTP status before the upgrade or as a close code after it. */
function assertRefused(result: Upgrade, httpStatus: number, closeCode: number): void {
  if (result.kind === 'http') assert.equal(result.status, httpStatus, result.body);
  else if (result.kind === 'close') assert.equal(result.code, closeCode);
  else assert.fail(`expected a refusal, got ${JSON.stringify(result.first)}`);
}

function startTestTenant(extra: Parameters<typeof startDevTenant>[0] = {}): Promise<DevTenant> {
  return startDevTenant({ port: 0, users: USERS, clients: CLIENTS, trustedOrigins: [TRUSTED_ORIGIN], ...extra });
}

// ---------------------------------------------------------------------------------------------

/**
 * Moves `Date` on by `ms` for the rest of test `t` (timers stay real, so sockets and servers keep
 * working; `t.mock` is restored when the test ends). Expiry is tested without waiting it out.
 */
function advanceDate(t: TestContext, ms: number): void {
  t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
  t.mock.timers.tick(ms);
}

describe('dev tenant: OAuth', () => {
  let tenant: DevTenant;
  before(async () => {
    tenant = await startTestTenant();
  });
  after(() => tenant.close());

  it('starts on a free loopback port and publishes Qlik routes in its discovery document', async () => {
    assert.match(tenant.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(new URL(tenant.url).port, '0');
    const response = await fetch(new URL('/.well-known/openid-configuration', tenant.url));
    assert.equal(response.status, 200);
    const doc = (await response.json()) as Record<string, unknown>;
    assert.equal(doc['issuer'], tenant.url);
    assert.equal(doc['authorization_endpoint'], `${tenant.url}/oauth/authorize`);
    assert.equal(doc['token_endpoint'], `${tenant.url}/oauth/token`);
    assert.equal(doc['revocation_endpoint'], `${tenant.url}/oauth/revoke`);
    assert.deepEqual(doc['code_challenge_methods_supported'], ['S256']);
    assert.deepEqual(doc['response_types_supported'], ['code']);
    assert.equal(doc['authorization_response_iss_parameter_supported'], true);
    const grants = doc['grant_types_supported'] as string[];
    for (const grant of ['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange', 'urn:qlik:oauth:user-impersonation']) {
      assert.ok(grants.includes(grant), `${grant} not in ${grants.join(', ')}`);
    }
    assert.ok(!grants.includes('implicit'));
    const jwks = (await (await fetch(String(doc['jwks_uri']))).json()) as { keys: Array<Record<string, unknown>> };
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0]['kty'], 'EC');
    assert.equal(jwks.keys[0]['d'], undefined, 'the private part of the signing key must not be published');
  });

  it('runs the code flow with PKCE through the login page, and the token endpoint takes JSON', async () => {
    tenant.stats.reset();
    const { callback, state, verifier, loginPage } = await authorize(tenant, { user: 'ann' });
    assert.match(loginPage, /<button type="submit" name="user" value="ann" title="ann@example\.test">Ann Tester<\/button>/);
    assert.ok(loginPage.includes('Mallory &#60;img src=x onerror=alert(1)&#62;'), 'user names are HTML-escaped');
    assert.ok(!loginPage.includes('<img src=x'), 'no raw markup from user names');
    assert.ok(loginPage.includes('Test SPA'));

    assert.equal(`${callback.origin}${callback.pathname}`, REDIRECT_URI);
    assert.equal(callback.searchParams.get('state'), state);
    assert.equal(callback.searchParams.get('iss'), tenant.url);
    const code = callback.searchParams.get('code');
    assert.ok(code);

    const response = await postToken(tenant, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: CLIENT_ID, scope: 'user_default' });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const { body } = response;
    assert.equal(body['token_type'], 'Bearer');
    assert.equal(body['expires_in'], 3600);
    assert.equal(body['scope'], 'user_default');
    assert.equal(typeof body['access_token'], 'string');
    assert.ok(String(body['access_token']).length >= 40);
    assert.equal(typeof body['refresh_token'], 'string', 'the public SPA gets a refresh token without offline_access');
    assert.equal(tenant.stats.tokenRequests['authorization_code'], 1);

    const me = await usersMe(tenant, String(body['access_token']));
    assert.equal(me.status, 200);
    assert.deepEqual(await me.json(), { id: USERS[0].id, tenantId: 'embed-kit-dev-tenant', status: 'active', subject: 'auth0|ann', name: 'Ann Tester', email: 'ann@example.test' });
  });

  it('takes a form body on the token endpoint too', async () => {
    const { callback, verifier } = await authorize(tenant, { user: 'mallory' });
    const response = await postToken(
      tenant,
      { grant_type: 'authorization_code', code: callback.searchParams.get('code'), redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: CLIENT_ID },
      { form: true },
    );
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const me = (await (await usersMe(tenant, String(response.body['access_token']))).json()) as Record<string, unknown>;
    assert.equal(me['subject'], 'auth0|mallory');
    assert.equal(me['email'], undefined);
  });

  it('keeps the browser session: a second sign-in skips the login page', async () => {
    const jar = new CookieJar();
    const first = await authorize(tenant, { jar, user: 'ann' });
    assert.ok(first.loginPage.includes('Sign in'));
    const second = await authorize(tenant, { jar });
    assert.equal(second.loginPage, '', 'no login page the second time');
    assert.ok(second.callback.searchParams.get('code'));

    // More scopes than granted so far: consent is given on the user's behalf, still without a page.
    const third = await authorize(tenant, { jar, scope: 'openid user_default profile' });
    assert.equal(third.loginPage, '');
    const tokens = await postToken(tenant, { grant_type: 'authorization_code', code: third.callback.searchParams.get('code'), redirect_uri: REDIRECT_URI, code_verifier: third.verifier, client_id: CLIENT_ID });
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.deepEqual(String(tokens.body['scope']).split(' ').sort(), ['openid', 'profile', 'user_default']);
    const idToken = String(tokens.body['id_token']);
    const [header, payload] = idToken.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>);
    assert.equal(header?.['alg'], 'ES256');
    assert.equal(payload?.['sub'], USERS[0].id);
    assert.equal(payload?.['iss'], tenant.url);
  });

  it('redirects with error=access_denied when the user cancels', async () => {
    const { callback, state } = await authorize(tenant, { cancel: true });
    assert.equal(callback.searchParams.get('error'), 'access_denied');
    assert.equal(callback.searchParams.get('state'), state);
    assert.equal(callback.searchParams.get('code'), null);
  });

  it('requires PKCE: no code_challenge is refused back to the client', async () => {
    const query = new URLSearchParams({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, scope: 'user_default', state: 'abc' });
    const response = await fetch(new URL(`/oauth/authorize?${query}`, tenant.url), { redirect: 'manual' });
    assert.equal(response.status, 303);
    const location = new URL(response.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, REDIRECT_URI);
    assert.equal(location.searchParams.get('error'), 'invalid_request');
    assert.match(location.searchParams.get('error_description') ?? '', /PKCE/);
  });

  it('refuses a replayed code with invalid_grant, and revokes what the first use issued', async () => {
    const { callback, verifier } = await authorize(tenant);
    const params = { grant_type: 'authorization_code', code: callback.searchParams.get('code'), redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: CLIENT_ID };
    const first = await postToken(tenant, params);
    assert.equal(first.status, 200);
    assert.equal((await usersMe(tenant, String(first.body['access_token']))).status, 200);

    const replay = await postToken(tenant, params);
    assertOAuthError(replay, { status: 400, error: 'invalid_grant', description: /already consumed/ });
    assert.equal((await usersMe(tenant, String(first.body['access_token']))).status, 401, 'a replay revokes the tokens of the first exchange');
  });

  it('refuses a wrong code_verifier with invalid_grant', async () => {
    const { callback } = await authorize(tenant);
    const response = await postToken(tenant, { grant_type: 'authorization_code', code: callback.searchParams.get('code'), redirect_uri: REDIRECT_URI, code_verifier: pkcePair().verifier, client_id: CLIENT_ID });
    assertOAuthError(response, { status: 400, error: 'invalid_grant', description: /code_verifier/ });
  });

  it('refuses a redirect_uri that differs from the authorization request with OAUTH-1', async () => {
    const { callback, verifier } = await authorize(tenant);
    const response = await postToken(tenant, { grant_type: 'authorization_code', code: callback.searchParams.get('code'), redirect_uri: OTHER_REDIRECT_URI, code_verifier: verifier, client_id: CLIENT_ID });
    assertOAuthError(response, { status: 400, error: 'invalid_grant', code: 'OAUTH-1', description: /redirect_uri/ });
  });

  it('refuses an unregistered redirect_uri at /oauth/authorize without redirecting (OAUTH-1)', async () => {
    const query = new URLSearchParams({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: 'http://app.test:3000/callback/', scope: 'user_default', state: 's', code_challenge: pkcePair().challenge, code_challenge_method: 'S256' });
    const html = await fetch(new URL(`/oauth/authorize?${query}`, tenant.url), { redirect: 'manual', headers: { accept: 'text/html' } });
    assert.equal(html.status, 400);
    assert.equal(html.headers.get('location'), null);
    const page = await html.text();
    assert.ok(page.includes('OAUTH-1'), page);
    assert.ok(page.includes('invalid_redirect_uri'));

    const json = await fetch(new URL(`/oauth/authorize?${query}`, tenant.url), { redirect: 'manual', headers: { accept: 'application/json' } });
    const body = (await json.json()) as { errors: Array<{ code: string }> };
    assert.equal(body.errors[0]?.code, 'OAUTH-1');
  });

  it('refuses an unknown client with invalid_client and OAUTH-14, at both endpoints', async () => {
    const token = await postToken(tenant, { grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT_URI, code_verifier: pkcePair().verifier, client_id: 'no-such-client' });
    assertOAuthError(token, { status: 401, error: 'invalid_client', code: 'OAUTH-14' });

    const query = new URLSearchParams({ response_type: 'code', client_id: 'no-such-client', redirect_uri: REDIRECT_URI, scope: 'user_default', code_challenge: pkcePair().challenge, code_challenge_method: 'S256' });
    const page = await fetch(new URL(`/oauth/authorize?${query}`, tenant.url), { redirect: 'manual', headers: { accept: 'text/html' } });
    assert.equal(page.status, 400);
    assert.equal(page.headers.get('location'), null, 'never redirect for an unknown client');
    assert.ok((await page.text()).includes('OAUTH-14'));
  });

  it('answers a grant the client may not use with unauthorized_client and OAUTH-14', async () => {
    const response = await postToken(tenant, { grant_type: 'client_credentials', client_id: CLIENT_ID });
    assertOAuthError(response, { status: 400, error: 'unauthorized_client', code: 'OAUTH-14' });
  });

  it('refuses malformed JSON and unknown grant types with Qlik errors', async () => {
    const response = await fetch(new URL('/oauth/token', tenant.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":' });
    assertOAuthError({ status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> }, { status: 400, error: 'invalid_request', description: /JSON/ });
    const unknown = await postToken(tenant, { grant_type: 'password', client_id: CLIENT_ID, username: 'ann', password: 'x' });
    assertOAuthError(unknown, { status: 400, error: 'unsupported_grant_type' });
    const text = await fetch(new URL('/oauth/token', tenant.url), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'grant_type=client_credentials' });
    const textBody = (await text.json()) as Record<string, unknown>;
    assertOAuthError({ status: text.status, headers: text.headers, body: textBody }, { status: 400, error: 'invalid_request', description: /content-type/ });
  });

  it('rotates refresh tokens, and a replayed refresh token revokes the whole grant', async () => {
    const tokens = await signIn(tenant);
    const r1 = String(tokens['refresh_token']);
    const second = await postToken(tenant, { grant_type: 'refresh_token', refresh_token: r1, client_id: CLIENT_ID });
    assert.equal(second.status, 200, JSON.stringify(second.body));
    const r2 = String(second.body['refresh_token']);
    assert.notEqual(r2, r1, 'a new refresh token each time');
    assert.notEqual(second.body['access_token'], tokens['access_token']);
    assert.equal((await usersMe(tenant, String(second.body['access_token']))).status, 200);

    const third = await postToken(tenant, { grant_type: 'refresh_token', refresh_token: r2, client_id: CLIENT_ID }, { form: true });
    assert.equal(third.status, 200);
    const r3 = String(third.body['refresh_token']);

    const replay = await postToken(tenant, { grant_type: 'refresh_token', refresh_token: r1, client_id: CLIENT_ID });
    assertOAuthError(replay, { status: 400, error: 'invalid_grant', description: /refresh token/ });
    const afterReplay = await postToken(tenant, { grant_type: 'refresh_token', refresh_token: r3, client_id: CLIENT_ID });
    assertOAuthError(afterReplay, { status: 400, error: 'invalid_grant' });
    assert.equal((await usersMe(tenant, String(third.body['access_token']))).status, 401);
  });

  it('revokes access and refresh tokens (RFC 7009) with a JSON body', async () => {
    tenant.stats.reset();
    const tokens = await signIn(tenant);
    const revokeAccess = await postToken(tenant, { token: tokens['access_token'], token_type_hint: 'access_token', client_id: CLIENT_ID }, { path: '/oauth/revoke' });
    assert.equal(revokeAccess.status, 200);
    assert.equal((await usersMe(tenant, String(tokens['access_token']))).status, 401);

    const other = await signIn(tenant);
    const revokeRefresh = await postToken(tenant, { token: other['refresh_token'], token_type_hint: 'refresh_token', client_id: CLIENT_ID }, { path: '/oauth/revoke', form: true });
    assert.equal(revokeRefresh.status, 200);
    const refresh = await postToken(tenant, { grant_type: 'refresh_token', refresh_token: other['refresh_token'], client_id: CLIENT_ID });
    assertOAuthError(refresh, { status: 400, error: 'invalid_grant' });
    assert.equal(tenant.stats.revocations, 2);

    const noToken = await postToken(tenant, { client_id: CLIENT_ID }, { path: '/oauth/revoke' });
    assertOAuthError(noToken, { status: 400, error: 'invalid_request', description: /token/ });
  });

  it('answers /api/v1/users/me with 401 and Qlik errors without a valid token', async () => {
    const missing = await usersMe(tenant, undefined);
    assert.equal(missing.status, 401);
    assert.match(missing.headers.get('www-authenticate') ?? '', /^Bearer /);
    const body = (await missing.json()) as { errors: Array<{ code: string; status: string }>; traceId: string };
    assert.equal(body.errors[0]?.status, '401');
    assert.equal(body.errors[0]?.code, 'invalid_token');
    assert.match(body.traceId, /^[0-9a-f]{32}$/);
    assert.equal((await usersMe(tenant, 'not-a-token')).status, 401);
  });

  it('allows CORS with credentials for a configured origin only', async () => {
    const preflight = (origin: string, path: string): Promise<Response> =>
      fetch(new URL(path, tenant.url), { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' } });

    const allowed = await preflight(TRUSTED_ORIGIN, '/oauth/token');
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get('access-control-allow-origin'), TRUSTED_ORIGIN);
    assert.equal(allowed.headers.get('access-control-allow-credentials'), 'true');
    assert.match(allowed.headers.get('access-control-allow-headers') ?? '', /content-type/);

    const refused = await preflight(UNTRUSTED_ORIGIN, '/oauth/token');
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
    assert.equal(refused.headers.get('access-control-allow-credentials'), null);

    const { callback, verifier } = await authorize(tenant);
    const token = await postToken(
      tenant,
      { grant_type: 'authorization_code', code: callback.searchParams.get('code'), redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: CLIENT_ID },
      { headers: { origin: TRUSTED_ORIGIN } },
    );
    assert.equal(token.status, 200);
    assert.equal(token.headers.get('access-control-allow-origin'), TRUSTED_ORIGIN);
    assert.equal(token.headers.get('access-control-allow-credentials'), 'true');

    const foreign = await postToken(tenant, { grant_type: 'refresh_token', refresh_token: token.body['refresh_token'], client_id: CLIENT_ID }, { headers: { origin: UNTRUSTED_ORIGIN } });
    assert.equal(foreign.status, 400);
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);

    const accessToken = String(token.body['access_token']);
    const me = await usersMe(tenant, accessToken, { origin: TRUSTED_ORIGIN });
    assert.equal(me.status, 200);
    assert.equal(me.headers.get('access-control-allow-origin'), TRUSTED_ORIGIN);
    assert.equal(me.headers.get('access-control-allow-credentials'), 'true');
    const meForeign = await usersMe(tenant, accessToken, { origin: UNTRUSTED_ORIGIN });
    assert.equal(meForeign.headers.get('access-control-allow-origin'), null);

    const mePreflight = await preflight(TRUSTED_ORIGIN, '/api/v1/users/me');
    assert.equal(mePreflight.status, 204);
    assert.equal(mePreflight.headers.get('access-control-allow-origin'), TRUSTED_ORIGIN);
    assert.match(mePreflight.headers.get('access-control-allow-headers') ?? '', /authorization/);
    const mePreflightForeign = await preflight(UNTRUSTED_ORIGIN, '/api/v1/users/me');
    assert.equal(mePreflightForeign.headers.get('access-control-allow-origin'), null);
  });
});

describe('dev tenant: websocket token exchange (RFC 8693)', () => {
  let tenant: DevTenant;
  before(async () => {
    tenant = await startTestTenant();
  });
  after(() => tenant.close());

  it('exchanges a user access token for a short-lived websocket token the engine accepts', async () => {
    tenant.stats.reset();
    const tokens = await signIn(tenant);
    const response = await exchange(tenant, tokens['access_token'], {}, {});
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.deepEqual(Object.keys(response.body).sort(), ['access_token', 'expires_in', 'issued_token_type', 'token_type']);
    assert.equal(response.body['issued_token_type'], ACCESS_TOKEN_TYPE);
    assert.equal(response.body['token_type'], 'Bearer');
    assert.equal(response.body['expires_in'], 300);
    const wsToken = String(response.body['access_token']);
    assert.notEqual(wsToken, tokens['access_token']);
    assert.equal(tenant.stats.websocketTokenExchanges, 1);
    assert.equal(tenant.stats.tokenRequests[EXCHANGE], 1);

    assert.equal((await usersMe(tenant, wsToken)).status, 401, 'a websocket token is good for the engine only');

    const upgrades = tenant.engine.stats.upgrades;
    const opened = await connectEngine(tenant, appPath(wsToken), { origin: TRUSTED_ORIGIN });
    assert.equal(opened.kind, 'open', JSON.stringify(opened));
    assert.equal(opened.kind === 'open' && opened.first['method'], 'OnConnected');
    assert.equal(tenant.engine.stats.upgrades, upgrades + 1);
  });

  it('takes the exchange as a form body, and purpose "webresource" gives a token the engine refuses', async () => {
    tenant.stats.reset();
    const tokens = await signIn(tenant);
    const form = await exchange(tenant, tokens['access_token'], {}, { form: true });
    assert.equal(form.status, 200);
    const resource = await exchange(tenant, tokens['access_token'], { purpose: 'webresource' });
    assert.equal(resource.status, 200);
    assert.equal(tenant.stats.websocketTokenExchanges, 1, 'only websocket exchanges are counted');
    const refused = await connectEngine(tenant, appPath(String(resource.body['access_token'])));
    assert.equal(refused.kind, 'http');
    assert.equal(refused.kind === 'http' && refused.status, 401);
    assert.match(refused.kind === 'http' ? refused.body : '', /not a websocket token/);
  });

  it('refuses engine upgrades without a token or with a plain access token (401)', async () => {
    const tokens = await signIn(tenant);
    const missing = await connectEngine(tenant, appPath(undefined));
    assert.equal(missing.kind === 'http' && missing.status, 401);
    assert.match(missing.kind === 'http' ? missing.body : '', /missing accessToken/);

    const plain = await connectEngine(tenant, appPath(String(tokens['access_token'])));
    assert.equal(plain.kind === 'http' && plain.status, 401);
    assert.match(plain.kind === 'http' ? plain.body : '', /not a websocket token/);

    const forged = await connectEngine(tenant, appPath('forged-token'));
    assert.equal(forged.kind === 'http' && forged.status, 401);
  });

  it("accepts a user's access token as Authorization: Bearer on the upgrade, as Node clients send it", async () => {
    const tokens = await signIn(tenant);
    const opened = await connectEngine(tenant, appPath(undefined), { authorization: `Bearer ${String(tokens['access_token'])}` });
    assert.equal(opened.kind, 'open', JSON.stringify(opened));

    const forged = await connectEngine(tenant, appPath(undefined), { authorization: 'Bearer forged-token' });
    assert.equal(forged.kind === 'http' && forged.status, 401);
    assert.match(forged.kind === 'http' ? forged.body : '', /Authorization: Bearer refused: the access token is unknown/);

    // A user without access to the app is refused after the upgrade, as with a websocket token.
    const nora = await signIn(tenant, 'nora');
    assertRefused(await connectEngine(tenant, appPath(undefined), { authorization: `Bearer ${String(nora['access_token'])}` }), 403, 4203);
  });

  it('refuses a machine token (client credentials) on the upgrade, in the header or the query', async () => {
    const machine = await postToken(tenant, { grant_type: 'client_credentials', client_id: BACKEND, client_secret: BACKEND_SECRET });
    const token = String(machine.body['access_token']);
    for (const result of [
      await connectEngine(tenant, appPath(undefined), { authorization: `Bearer ${token}` }),
      await connectEngine(tenant, appPath(token)),
    ]) {
      assert.equal(result.kind === 'http' && result.status, 401);
      const body = JSON.parse(result.kind === 'http' ? result.body : '{}') as { errors: Array<{ code: string; status: string; detail: string }> };
      assert.equal(body.errors[0]?.status, '401');
      assert.match(body.errors[0]?.detail ?? '', /machine token \(client credentials\) stands for no user/);
    }
  });

  it('passes app access and origin trust to the engine', async () => {
    const nora = await exchange(tenant, (await signIn(tenant, 'nora'))['access_token']);
    assertRefused(await connectEngine(tenant, appPath(String(nora.body['access_token'])), { origin: TRUSTED_ORIGIN }), 403, 4203);

    const ann = await exchange(tenant, (await signIn(tenant, 'ann'))['access_token']);
    const foreign = await connectEngine(tenant, appPath(String(ann.body['access_token'])), { origin: UNTRUSTED_ORIGIN });
    assert.notEqual(foreign.kind, 'open', 'an untrusted Origin must not reach the engine');
  });

  it('answers 404 to an upgrade outside the engine', async () => {
    const result = await connectEngine(tenant, '/api/v1/users/me');
    assert.equal(result.kind === 'http' && result.status, 404);
  });

  it('refuses a wrong subject_token_type or purpose with invalid_request', async () => {
    const tokens = await signIn(tenant);
    const wrongType = await exchange(tenant, tokens['access_token'], { subject_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' });
    assertOAuthError(wrongType, { status: 400, error: 'invalid_request', description: /subject_token_type/ });
    const noType = await exchange(tenant, tokens['access_token'], { subject_token_type: undefined });
    assertOAuthError(noType, { status: 400, error: 'invalid_request', description: /subject_token_type/ });
    const noPurpose = await exchange(tenant, tokens['access_token'], { purpose: undefined });
    assertOAuthError(noPurpose, { status: 400, error: 'invalid_request', description: /purpose/ });
  });

  it('refuses a revoked, unknown or refresh subject token with invalid_grant', async () => {
    const tokens = await signIn(tenant);
    const revoke = await postToken(tenant, { token: tokens['access_token'], client_id: CLIENT_ID }, { path: '/oauth/revoke' });
    assert.equal(revoke.status, 200);
    assertOAuthError(await exchange(tenant, tokens['access_token']), { status: 400, error: 'invalid_grant', description: /revoked/ });
    assertOAuthError(await exchange(tenant, 'never-issued'), { status: 400, error: 'invalid_grant', description: /not an access token/ });
    const fresh = await signIn(tenant);
    assertOAuthError(await exchange(tenant, fresh['refresh_token']), { status: 400, error: 'invalid_grant', description: /refresh token/ });
  });

  it('refuses a subject token from client credentials with OAUTH-5 (401), as Qlik does', async () => {
    const machine = await postToken(tenant, { grant_type: 'client_credentials', client_id: BACKEND, client_secret: BACKEND_SECRET });
    assert.equal(machine.status, 200);
    const response = await exchange(tenant, machine.body['access_token']);
    assertOAuthError(response, { status: 401, error: 'invalid_grant', code: 'OAUTH-5', description: /Cannot perform exchange with given Oauth configuration/ });
    const errors = response.body['errors'] as Array<Record<string, string>>;
    assert.equal(errors[0]['title'], 'Unauthorized');

    const byBackend = await postToken(tenant, { grant_type: EXCHANGE, client_id: BACKEND, client_secret: BACKEND_SECRET, subject_token: machine.body['access_token'], subject_token_type: ACCESS_TOKEN_TYPE, purpose: 'websocket' });
    assertOAuthError(byBackend, { status: 401, error: 'invalid_grant', code: 'OAUTH-5' });
  });
});

describe('dev tenant: expiring access and websocket tokens', () => {
  let tenant: DevTenant;
  before(async () => {
    tenant = await startTestTenant({ accessTokenTtl: 1, websocketTokenTtl: 1 });
  });
  after(() => tenant.close());

  it('refuses an expired subject token, and the engine refuses an expired websocket token', async (t) => {
    const tokens = await signIn(tenant);
    const exchanged = await exchange(tenant, tokens['access_token']);
    assert.equal(exchanged.status, 200);
    assert.equal(exchanged.body['expires_in'], 1);
    // The tenant (oidc-provider included) reads the time from Date: move it on, not the test.
    advanceDate(t, 1200);

    assertOAuthError(await exchange(tenant, tokens['access_token']), { status: 400, error: 'invalid_grant', description: /expired/ });
    const me = await usersMe(tenant, String(tokens['access_token']));
    assert.equal(me.status, 401);
    const upgrade = await connectEngine(tenant, appPath(String(exchanged.body['access_token'])));
    assert.equal(upgrade.kind === 'http' && upgrade.status, 401);
    assert.match(upgrade.kind === 'http' ? upgrade.body : '', /expired/);
  });
});

describe('dev tenant: impersonation and client credentials', () => {
  let tenant: DevTenant;
  before(async () => {
    tenant = await startTestTenant();
  });
  after(() => tenant.close());

  it('impersonates a user by subject (JSON body), and the token exchanges for a websocket token', async () => {
    tenant.stats.reset();
    const response = await impersonate(tenant, { field: 'subject', value: 'auth0|ann' });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body['token_type'], 'Bearer');
    assert.equal(response.body['expires_in'], 3600);
    assert.equal(response.body['scope'], 'user_default');
    assert.equal(response.body['refresh_token'], undefined);
    assert.equal(tenant.stats.tokenRequests[IMPERSONATION], 1);

    const me = (await (await usersMe(tenant, String(response.body['access_token']))).json()) as Record<string, unknown>;
    assert.equal(me['id'], USERS[0].id);
    assert.equal(me['subject'], 'auth0|ann');

    const byBackend = await postToken(tenant, { grant_type: EXCHANGE, client_id: BACKEND, client_secret: BACKEND_SECRET, subject_token: response.body['access_token'], subject_token_type: ACCESS_TOKEN_TYPE, purpose: 'websocket' });
    assert.equal(byBackend.status, 200, JSON.stringify(byBackend.body));
    const opened = await connectEngine(tenant, appPath(String(byBackend.body['access_token'])));
    assert.equal(opened.kind, 'open', JSON.stringify(opened));

    // The browser side of a backend setup exchanges the backend's token under its own client_id.
    const bySpa = await exchange(tenant, response.body['access_token']);
    assert.equal(bySpa.status, 200);
  });

  it('impersonates a user by userId, with user_lookup as JSON text or bracket fields in a form body', async () => {
    const asJsonText = await impersonate(tenant, { field: 'userId', value: USERS[1].id }, {}, { form: true });
    assert.equal(asJsonText.status, 200, JSON.stringify(asJsonText.body));
    const me = (await (await usersMe(tenant, String(asJsonText.body['access_token']))).json()) as Record<string, unknown>;
    assert.equal(me['subject'], 'auth0|mallory');

    const bracket = await fetch(new URL('/oauth/token', tenant.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: IMPERSONATION, client_id: BACKEND, client_secret: BACKEND_SECRET, 'user_lookup[field]': 'userId', 'user_lookup[value]': USERS[0].id }).toString(),
    });
    assert.equal(bracket.status, 200);
    const token = ((await bracket.json()) as Record<string, unknown>)['access_token'];
    const who = (await (await usersMe(tenant, String(token))).json()) as Record<string, unknown>;
    assert.equal(who['subject'], 'auth0|ann');
  });

  it('refuses an unknown user with its own invalid_grant', async () => {
    const response = await impersonate(tenant, { field: 'subject', value: 'auth0|nobody' });
    assertOAuthError(response, { status: 400, error: 'invalid_grant', description: /unknown user.*auth0\|nobody/ });
    const malformed = await impersonate(tenant, { field: 'email', value: 'ann@example.test' });
    assertOAuthError(malformed, { status: 400, error: 'invalid_request', description: /user_lookup\.field/ });
    const missing = await impersonate(tenant, undefined);
    assertOAuthError(missing, { status: 400, error: 'invalid_request', description: /user_lookup/ });
  });

  it('refuses a wrong or missing client_secret with invalid_client', async () => {
    const wrong = await impersonate(tenant, { field: 'subject', value: 'auth0|ann' }, { client_secret: 'wrong' });
    assertOAuthError(wrong, { status: 401, error: 'invalid_client', description: /invalid secret/ });
    const missing = await impersonate(tenant, { field: 'subject', value: 'auth0|ann' }, { client_secret: undefined });
    assertOAuthError(missing, { status: 401, error: 'invalid_client' });
  });

  it('refuses impersonation by a public client with unauthorized_client (OAUTH-14)', async () => {
    const spa = await postToken(tenant, { grant_type: IMPERSONATION, client_id: CLIENT_ID, user_lookup: { field: 'subject', value: 'auth0|ann' } });
    assertOAuthError(spa, { status: 400, error: 'unauthorized_client', code: 'OAUTH-14' });
    const registered = await postToken(tenant, { grant_type: IMPERSONATION, client_id: PUBLIC_IMPERSONATOR, user_lookup: { field: 'subject', value: 'auth0|ann' } });
    assertOAuthError(registered, { status: 400, error: 'unauthorized_client', code: 'OAUTH-14', description: /confidential/ });
  });

  it('gives a confidential client a machine token with client_credentials, which stands for no user', async () => {
    const response = await postToken(tenant, { grant_type: 'client_credentials', client_id: BACKEND, client_secret: BACKEND_SECRET }, { form: true });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body['token_type'], 'Bearer');
    assert.equal(response.body['expires_in'], 3600);
    assert.equal(response.body['refresh_token'], undefined);
    const me = await usersMe(tenant, String(response.body['access_token']));
    assert.equal(me.status, 401);
    assert.match(JSON.stringify(await me.json()), /client credentials/);
    const wrong = await postToken(tenant, { grant_type: 'client_credentials', client_id: BACKEND, client_secret: 'nope' });
    assertOAuthError(wrong, { status: 401, error: 'invalid_client' });
  });
});

describe('dev tenant: short-lived codes', () => {
  let tenant: DevTenant;
  before(async () => {
    tenant = await startTestTenant({ codeTtl: 1 });
  });
  after(() => tenant.close());

  it('refuses an expired authorization code with invalid_grant', async (t) => {
    const { callback, verifier } = await authorize(tenant);
    advanceDate(t, 1200);
    const response = await postToken(tenant, { grant_type: 'authorization_code', code: callback.searchParams.get('code'), redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: CLIENT_ID });
    assertOAuthError(response, { status: 400, error: 'invalid_grant', description: /expired/ });
  });
});

describe('dev tenant: defaults', () => {
  let tenant: DevTenant;
  before(async () => {
    tenant = await startDevTenant({ port: 0 });
  });
  after(() => tenant.close());

  it('knows the demo users and clients, and the demo pages as redirect URIs', async () => {
    assert.deepEqual(tenant.users.map((u) => u.username), ['alice', 'bob', 'eve']);
    for (const user of tenant.users) assert.match(user.id, /^[0-9a-f]{24}$/);
    assert.deepEqual(tenant.clients.map((c) => c.client_id), ['embed-kit-demo', 'embed-kit-backend', 'embed-kit-machine']);
    const demo = tenant.clients[0];
    assert.equal(demo.token_endpoint_auth_method, 'none');
    for (const path of ['/', '/index.html', '/demo/plain/', '/demo/cms/', '/demo/vue/', '/demo/react/', '/demo/angular/', '/demo/backend/']) {
      assert.ok(demo.redirect_uris?.includes(`http://localhost:5173${path}`), path);
      assert.ok(demo.redirect_uris?.includes(`http://127.0.0.1:5173${path}`), path);
    }

    const query = new URLSearchParams({ response_type: 'code', client_id: 'embed-kit-demo', redirect_uri: 'http://localhost:5173/demo/plain/', scope: 'user_default', state: 's', code_challenge: pkcePair().challenge, code_challenge_method: 'S256' });
    const authorizeResponse = await fetch(new URL(`/oauth/authorize?${query}`, tenant.url), { redirect: 'manual' });
    assert.equal(authorizeResponse.status, 303);
    const login = await fetch(new URL(authorizeResponse.headers.get('location') ?? '', tenant.url), {
      headers: { cookie: authorizeResponse.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') },
    });
    const page = await login.text();
    assert.equal(login.status, 200);
    assert.match(page, /<button type="submit" name="user" value="alice"[^>]*>Alice Analyst<\/button>/);
    assert.match(page, /<button type="submit" name="user" value="bob"[^>]*>Bob Builder<\/button>/);
    assert.match(page, /value="eve" title="no access to any app"/);
    assert.equal(login.headers.get('x-frame-options'), 'DENY');

    const preflight = await fetch(new URL('/oauth/token', tenant.url), { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' } });
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://localhost:5173');

    const index = await (await fetch(tenant.url)).text();
    assert.ok(index.includes('embed-kit-demo') && index.includes('alice: Alice Analyst'), index);
  });

  it('lets the demo backend impersonate alice, and keeps eve out of every app', async () => {
    const lookup = (value: string): Promise<TokenResponse> =>
      postToken(tenant, { grant_type: IMPERSONATION, client_id: BACKEND_CLIENT_ID, client_secret: BACKEND_CLIENT_SECRET, user_lookup: { field: 'subject', value } });
    const alice = await lookup('auth0|alice');
    assert.equal(alice.status, 200, JSON.stringify(alice.body));
    const aliceWs = await postToken(tenant, { grant_type: EXCHANGE, client_id: 'embed-kit-demo', subject_token: alice.body['access_token'], subject_token_type: ACCESS_TOKEN_TYPE, purpose: 'websocket' });
    assert.equal(aliceWs.status, 200);
    const opened = await connectEngine(tenant, appPath(String(aliceWs.body['access_token'])), { origin: 'http://localhost:5173' });
    assert.equal(opened.kind, 'open', JSON.stringify(opened));

    const eve = await lookup('auth0|eve');
    const eveWs = await postToken(tenant, { grant_type: EXCHANGE, client_id: 'embed-kit-demo', subject_token: eve.body['access_token'], subject_token_type: ACCESS_TOKEN_TYPE, purpose: 'websocket' });
    assert.equal(eveWs.status, 200);
    assertRefused(await connectEngine(tenant, appPath(String(eveWs.body['access_token'])), { origin: 'http://localhost:5173' }), 403, 4203);

    const machine = await postToken(tenant, { grant_type: 'client_credentials', client_id: 'embed-kit-machine', client_secret: 'dev-machine-secret' });
    assert.equal(machine.status, 200);
  });
});
