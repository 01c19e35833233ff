/**
 * `<auth-login>` rendered on the server by `@lit-labs/ssr`: Node has no page location, storage or
 * other tabs, so the element shows signed out (with its Sign in button) and leaves the sign-in to
 * the browser, instead of failing to default a redirect URI (issue 9).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from '@lit-labs/ssr';
import { collectResult } from '@lit-labs/ssr/lib/render-result.js';
import { html } from 'lit';
// The browser entry that registers the tag: importing it in Node must not throw either.
import '../../src/define/auth-login.ts';

/** The rendered text without lit's hydration markers. */
async function renderToText(template: ReturnType<typeof html>): Promise<string> {
  return (await collectResult(render(template))).replace(/<!--\/?lit-[^>]*-->/g, '');
}

test('Node has no page location, so nothing may default a redirect URI from it', () => {
  assert.equal(typeof (globalThis as { location?: unknown }).location, 'undefined');
  assert.equal(typeof customElements.get('auth-login'), 'function', 'the define entry registered the tag');
});

test('with a client id and no redirect-uri it renders signed out with a Sign in button, and no error', async () => {
  const page = await renderToText(html`<auth-login provider="qlik" host="tenant.example.com" client-id="spa"></auth-login>`);
  assert.match(page, /<auth-login\b[^>]*\sstatus="signed-out"[^>]*>/);
  assert.match(page, /<button part="button sign-in" type="button"\s*>Sign in<\/button>/);
  assert.doesNotMatch(page, /status="error"|part="error"|role="alert"/);
  // The attributes the page gave stay as given, for the browser to pick up.
  assert.match(page, /<auth-login\b[^>]*\sclient-id="spa"/);
});

test('with tokens from a backend it renders "Signing in…" as the browser will, and asks nothing on the server', async () => {
  const page = await renderToText(html`<auth-login access-token-url="/api/qlik-token" host="tenant.example.com"></auth-login>`);
  // The browser asks the backend as soon as the element upgrades: no Retry button to flash first.
  assert.match(page, /<auth-login\b[^>]*\sstatus="exchanging"[^>]*>/);
  assert.match(page, /<span part="status" role="status">Signing in…<\/span>/);
  assert.doesNotMatch(page, /Retry|Signed out|status="error"|part="error"/);
});
