/**
 * Issue 15 figures for `npm run bench`: time to signed-in when another tab hands its sign-in over,
 * against the silent redirect (a live tenant session, `auto-redirect`), for a new tab and for a
 * page load. Medians of wall-clock time from `page.goto` to `status="signed-in"`.
 */
import type { BrowserContext, Page } from 'playwright-core';

export interface TabsBench {
  runs: number;
  newTabShared: number;
  newTabRedirect: number;
  pageLoadShared: number;
  pageLoadRedirect: number;
  /** Token requests made by the shared runs, all together (expected 0). */
  sharedTokenRequests: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export async function benchTabs(runs = 5): Promise<TabsBench> {
  const journey = await import('../test/support/journey.ts');
  const world = await journey.startJourneyWorld('/test/journeys/pages/auth.html');
  const { tenant, browser, pageUrl } = world;
  const tokenUrl = `${tenant.url}/oauth/token`;
  const attributes = { provider: 'qlik', host: tenant.url, 'client-id': 'journey-spa' };

  async function timeToSignedIn(page: Page): Promise<number> {
    const started = performance.now();
    await page.goto(pageUrl);
    await page.locator('auth-login[status="signed-in"]').waitFor({ timeout: 15_000 });
    return performance.now() - started;
  }

  /** A context whose tenant session is live (one sign-in by click); returns its signed-in tab. */
  async function signedInContext(extra: Record<string, string> = {}): Promise<{ context: BrowserContext; first: Page }> {
    const context = await browser.newContext();
    await journey.configureAuthPage(context, { ...attributes, ...extra });
    const first = await context.newPage();
    // This one signs in by click: no auto-redirect, no opt-out.
    await journey.configureAuthPage(first, attributes);
    await first.goto(pageUrl);
    await journey.signInOnDevTenant(first);
    await first.locator('auth-login[status="signed-in"]').waitFor({ timeout: 15_000 });
    return { context, first };
  }

  try {
    const result = { newTabShared: [] as number[], newTabRedirect: [] as number[], pageLoadShared: [] as number[], pageLoadRedirect: [] as number[] };
    let sharedTokenRequests = 0;

    // New tab while another is signed in: shared.
    {
      const { context } = await signedInContext();
      for (let run = 0; run < runs; run++) {
        const page = await context.newPage();
        const tokens = journey.countTokenRequests(page, tokenUrl);
        result.newTabShared.push(await timeToSignedIn(page));
        sharedTokenRequests += tokens.count;
        await page.close();
      }
      await context.close();
    }
    // New tab with share="none" and auto-redirect: the silent redirect on the live tenant session.
    {
      const { context } = await signedInContext({ share: 'none', 'auto-redirect': '' });
      for (let run = 0; run < runs; run++) {
        const page = await context.newPage();
        result.newTabRedirect.push(await timeToSignedIn(page));
        await page.close();
      }
      await context.close();
    }
    // A page load (the tab loads a page of the site again), auto-redirect on, another tab open: shared.
    {
      const { context, first } = await signedInContext({ 'auto-redirect': '' });
      const page = await context.newPage();
      await page.goto(pageUrl);
      await page.locator('auth-login[status="signed-in"]').waitFor({ timeout: 15_000 });
      const tokens = journey.countTokenRequests(page, tokenUrl);
      for (let run = 0; run < runs; run++) result.pageLoadShared.push(await timeToSignedIn(page));
      sharedTokenRequests += tokens.count;
      await first.close();
      // The same page loads, now with no other tab: the silent redirect.
      for (let run = 0; run < runs; run++) result.pageLoadRedirect.push(await timeToSignedIn(page));
      await context.close();
    }
    return {
      runs,
      newTabShared: median(result.newTabShared),
      newTabRedirect: median(result.newTabRedirect),
      pageLoadShared: median(result.pageLoadShared),
      pageLoadRedirect: median(result.pageLoadRedirect),
      sharedTokenRequests,
    };
  } finally {
    await world.close();
  }
}

export function formatTabsBench(bench: TabsBench): string[] {
  const ms = (value: number): string => `${value.toFixed(0)} ms`;
  const ratio = (shared: number, redirect: number): string => `${(redirect / shared).toFixed(1)}x faster shared`;
  return [
    `time to signed-in, new tab (median of ${bench.runs}): shared by another tab ${ms(bench.newTabShared)}, silent redirect (live tenant session) ${ms(bench.newTabRedirect)}; ${ratio(bench.newTabShared, bench.newTabRedirect)}`,
    `time to signed-in, page load with auto-redirect (median of ${bench.runs}): another tab open ${ms(bench.pageLoadShared)}, no other tab, live tenant session ${ms(bench.pageLoadRedirect)}; ${ratio(bench.pageLoadShared, bench.pageLoadRedirect)}`,
    `token requests made by shared sign-ins: ${bench.sharedTokenRequests} (budget 0) ${bench.sharedTokenRequests === 0 ? 'OK' : 'OVER BUDGET'}`,
  ];
}
