/**
 * Red-team findings F10–F12 (issue 10) against the impersonation handler, with a hostile stand-in
 * tenant over real HTTP: the secret in encodings no list of spellings catches, an upstream call
 * that ignores its abort signal, and absurd `expires_in` values.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImpersonationHandlerOptions } from '../../src/server/index.ts';
import { mountHandler, request, testClock, type MountedHandler } from '../support/impersonation-http.ts';
import { startStandInTenant, type StandInTenant } from '../support/stand-in-tenant.ts';

const SECRET = 'Zk9/q+<r&"s>=é%2Ftail-7f3a';

let tenant: StandInTenant;
before(async () => {
  tenant = await startStandInTenant();
});
after(() => tenant.close());
beforeEach(() => tenant.reset());

function mount(overrides: Partial<ImpersonationHandlerOptions> = {}): Promise<MountedHandler> {
  return mountHandler({ host: tenant.url, clientId: 'backend', clientSecret: SECRET, ...overrides });
}

const bytes = Buffer.from(SECRET, 'utf8');
/** The seven encodings the red team got past redaction, and a few more. */
const ENCODINGS: Record<string, string> = {
  'form-encoded': new URLSearchParams({ client_secret: SECRET }).toString(),
  'lower-case hex': bytes.toString('hex'),
  'upper-case hex': bytes.toString('hex').toUpperCase(),
  '\\u003c-style': [...SECRET].map((c) => `\\u${c.codePointAt(0)?.toString(16).padStart(4, '0')}`).join(''),
  '\\/ (JSON with escaped slashes)': JSON.stringify(SECRET).slice(1, -1).replace(/\//g, '\\/'),
  'HTML entities': [...SECRET].map((c) => `&#${c.codePointAt(0)};`).join(''),
  'HTML hex entities, mixed': [...SECRET].map((c, i) => (i % 2 ? c : `&#x${c.codePointAt(0)?.toString(16)};`)).join(''),
  base64: bytes.toString('base64'),
  base64url: bytes.toString('base64url'),
  'base64 inside a longer run': `token${Buffer.concat([Buffer.from('xx:'), bytes]).toString('base64')}`,
  'percent-encoded twice': encodeURIComponent(encodeURIComponent(SECRET)),
};

describe('F10: no raw upstream body in messages; the secret withheld in every encoding', () => {
  test('onError gets the parsed code and description, never the body', async () => {
    const app = await mount();
    try {
      tenant.reply = () => ({ status: 400, json: { error: 'invalid_request', error_description: 'user_lookup.value is too long', trace: 'BODY-ONLY-MARKER' } });
      const answer = await request(`${app.origin}/t`, { user: 'u1' });
      assert.equal(answer.status, 502);
      assert.deepEqual(answer.json, { error: 'client_misconfigured', message: 'impersonation client misconfigured' });
      const [error] = app.errors;
      assert.equal(error?.upstreamCode, 'invalid_request');
      assert.equal(error?.upstreamDescription, 'user_lookup.value is too long');
      assert.match(error?.message ?? '', /tenant answered 400 invalid_request: user_lookup\.value is too long/);
      assert.doesNotMatch(JSON.stringify({ m: error?.message, s: error?.stack }), /BODY-ONLY-MARKER/, 'nothing but code and description');
      assert.equal(error?.upstreamBody, undefined, 'the raw body only on request');

      tenant.reply = () => ({ status: 500, text: `<html>echo: ${SECRET} BODY-ONLY-MARKER</html>` });
      await request(`${app.origin}/t`, { user: 'u2' });
      assert.match(app.errors[1]?.message ?? '', /tenant answered 500 without an error code/);
      assert.doesNotMatch(app.errors[1]?.message ?? '', /BODY-ONLY-MARKER/);
    } finally {
      await app.close();
    }
  });

  for (const [name, encoded] of Object.entries(ENCODINGS)) {
    test(`a description echoing the secret ${name} is withheld (error, description, code)`, async () => {
      const app = await mount();
      try {
        tenant.reply = () => ({ status: 401, json: { errors: [{ code: 'OAUTH-14', title: 'Client not authorized', detail: `bad credentials: ${encoded}` }] } });
        const answer = await request(`${app.origin}/t`, { user: 'alice' });
        assert.equal(answer.status, 502);
        const [error] = app.errors;
        assert.equal(error?.upstreamCode, 'OAUTH-14');
        assert.equal(error?.upstreamDescription, '[withheld: it contained the client secret]');
        const everything = JSON.stringify({ m: error?.message, d: error?.upstreamDescription, s: error?.stack, c: String(error?.cause), body: answer.text });
        assert.ok(!everything.includes(encoded), `the ${name} spelling is nowhere`);
        assert.ok(!everything.includes(SECRET));
      } finally {
        await app.close();
      }
    });
  }

  test('exposeUpstreamBody: the raw body is on error.upstreamBody (plain spellings replaced), still not in the message', async () => {
    const app = await mount({ exposeUpstreamBody: true });
    try {
      tenant.reply = () => ({ status: 503, text: `maintenance; you sent ${SECRET}` });
      await request(`${app.origin}/t`, { user: 'alice' });
      const [error] = app.errors;
      assert.equal(error?.upstreamBody, 'maintenance; you sent [redacted]');
      assert.doesNotMatch(error?.message ?? '', /maintenance/);
    } finally {
      await app.close();
    }
  });
});

describe('F11: an overall deadline that does not rely on the abort signal', () => {
  test('an upstream fetch that ignores its signal: 504, and the next request for that user is not stuck behind it', async () => {
    // A fetch wrapper that drops the signal (as some instrumentation does), against a tenant that never answers.
    // The deadline also bounds the third, answered call: 2 s leaves it room on a loaded machine
    // (100 ms ran out in CI). The hanging calls never answer, so they end at the deadline whatever it is.
    const app = await mount({ timeoutMs: 2000, fetch: (input, init) => fetch(input, { ...init, signal: null }) });
    try {
      tenant.reply = () => 'hang';
      const first = await request(`${app.origin}/t`, { user: 'alice', timeoutMs: 5000 });
      assert.equal(first.status, 504);
      assert.equal(first.json.error, 'upstream_timeout');
      const second = await request(`${app.origin}/t`, { user: 'alice', timeoutMs: 5000 });
      assert.equal(second.status, 504);
      assert.equal(tenant.tokenCalls('alice'), 2, 'the in-flight entry was cleared: the second request asked again');
      tenant.reply = () => undefined;
      const third = await request(`${app.origin}/t`, { user: 'alice', timeoutMs: 5000 });
      assert.equal(third.status, 200, 'served once the tenant answers');
    } finally {
      await app.close();
    }
  });

  test('requestTimeoutMs bounds the whole request even when one call may take longer', async () => {
    const app = await mount({ timeoutMs: 60_000, requestTimeoutMs: 100, fetch: (input, init) => fetch(input, { ...init, signal: null }) });
    try {
      tenant.reply = () => 'hang';
      const answer = await request(`${app.origin}/t`, { user: 'bob', timeoutMs: 5000 });
      assert.equal(answer.status, 504);
      assert.match(app.errors[0]?.message ?? '', /request deadline/);
    } finally {
      await app.close();
    }
  });
});

describe('F12: expires_in clamped to 1 s – 24 h, and onError told', () => {
  test('1e308, negative, zero and nonsense lifetimes', async () => {
    const clock = testClock(Date.parse('2026-01-01T00:00:00Z'));
    const app = await mount({ clock });
    try {
      const cases: Array<[unknown, number]> = [
        [1e308, 86_400],
        [-5, 1],
        [0, 1],
        ['soon', 300],
      ];
      for (const [index, [given, served]] of cases.entries()) {
        tenant.reply = (call) => ({ json: { access_token: `tok-${call.n}`, expires_in: given } });
        const answer = await request(`${app.origin}/t`, { user: `user-${index}` });
        assert.equal(answer.status, 200);
        assert.equal(answer.json.expires_in, served, `expires_in ${String(given)} is served as ${served}`);
        const notice = app.errors.at(-1);
        assert.equal(notice?.code, 'expires_in_clamped');
        assert.match(notice?.message ?? '', new RegExp(`served and cached as ${served} s`));
      }
      tenant.reply = (call) => ({ json: { access_token: `tok-${call.n}`, expires_in: 3600 } });
      await request(`${app.origin}/t`, { user: 'normal' });
      assert.equal(app.errors.length, cases.length, 'a sane lifetime is not reported');

      // The 1e308 token is not cached forever: a day later it is fetched again.
      const before = tenant.tokenCalls('user-0');
      assert.equal((await request(`${app.origin}/t`, { user: 'user-0' })).json.access_token, 'tok-1');
      clock.advance(86_400 * 1000);
      const later = await request(`${app.origin}/t`, { user: 'user-0' });
      assert.notEqual(later.json.access_token, 'tok-1');
      assert.equal(tenant.tokenCalls('user-0'), before + 1);
    } finally {
      await app.close();
    }
  });
});
