/**
 * The up-front size budgets, checked on every `npm test` (they used to be checked only in
 * `npm run bench`, and a regression landed unnoticed): each entry is built with vite, minified, as
 * `npm run bench` builds it, and what a page downloads before anything runs (the entry and the
 * chunks it imports statically) must fit. The consumer-build figures stay in `npm run bench`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AUTH_LOGIN_BUDGET_GZIP } from '../../scripts/bench-auth.ts';
import { DASHBOARD_PAGE_BUDGET_GZIP } from '../../scripts/bench-consumers.ts';
import { measureBundle, upFrontChunks } from '../../scripts/bundle-size.ts';

async function upFrontGzip(entry: string): Promise<{ gzip: number; lazy: number }> {
  const bundle = await measureBundle(entry);
  const gzip = upFrontChunks(bundle).reduce((sum, chunk) => sum + chunk.gzip, 0);
  return { gzip, lazy: bundle.gzip - gzip };
}

test('<auth-login> with lit, up front: within 12 kB gzip (issue 10)', async () => {
  const { gzip, lazy } = await upFrontGzip('scripts/bench-entries/auth-login.ts');
  assert.ok(gzip <= AUTH_LOGIN_BUDGET_GZIP, `${gzip} B gzip up front, over the ${AUTH_LOGIN_BUDGET_GZIP} B budget`);
  assert.ok(lazy > 0, 'the sign-in flows load lazily');
});

test('a page with <auth-login> and <qlik-dashboard>, up front: within 30 kB gzip, the session runtime lazy (issue 9)', async () => {
  const { gzip, lazy } = await upFrontGzip('scripts/bench-entries/dashboard-page.ts');
  assert.ok(gzip <= DASHBOARD_PAGE_BUDGET_GZIP, `${gzip} B gzip up front, over the ${DASHBOARD_PAGE_BUDGET_GZIP} B budget`);
  assert.ok(lazy > gzip, `the session runtime and renderers load lazily (${lazy} B lazy)`);
});
