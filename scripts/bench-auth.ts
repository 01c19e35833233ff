/** `<auth-login>` figures for `npm run bench`: bundle size, and token requests from callback to signed-in. */
import { measureBundle, type BundleSize } from './bundle-size.ts';

export const AUTH_LOGIN_BUDGET_GZIP = 12 * 1024;

export async function measureAuthLogin(): Promise<BundleSize> {
  return measureBundle('scripts/bench-entries/auth-login.ts');
}

export interface AuthCallbackCount {
  runs: number;
  /** Token-endpoint POSTs seen by the browser between the callback page load and `signed-in`, per run. */
  tokenRequests: number[];
  /** Median ms from the callback page's navigation to `status="signed-in"`. */
  medianMs: number;
}

/** Signs in against the dev tenant `runs` times, each in a fresh browser context. */
export async function benchAuthCallback(runs = 5): Promise<AuthCallbackCount> {
  const [{ startDevTenant }, journey, { journeyClient }] = await Promise.all([
    import('../src/dev-tenant/index.ts'),
    import('../test/support/journey.ts'),
    import('../test/support/dev-tenant.ts'),
  ]);
  const pages = await journey.startPageServer();
  const pageUrl = `${pages.origin}/test/journeys/pages/auth.html`;
  const tenant = await startDevTenant({ clients: [journeyClient([pageUrl])], trustedOrigins: [pages.origin] });
  const browser = await journey.launchChromium();
  try {
    const counts: number[] = [];
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await journey.configureAuthPage(page, { provider: 'qlik', host: tenant.url, 'client-id': 'journey-spa' });
      await page.goto(pageUrl);
      const callback = await journey.holdCallback(page);
      await journey.signInOnDevTenant(page);
      const callbackUrl = await callback();
      const tokens = journey.countTokenRequests(page, `${tenant.url}/oauth/token`);
      const started = performance.now();
      await page.goto(callbackUrl);
      await page.locator('auth-login[status="signed-in"]').waitFor({ timeout: 10_000 });
      times.push(performance.now() - started);
      counts.push(tokens.count);
      await context.close();
    }
    const sorted = [...times].sort((a, b) => a - b);
    return { runs, tokenRequests: counts, medianMs: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN };
  } finally {
    await browser.close();
    await tenant.close();
    await pages.close();
  }
}
