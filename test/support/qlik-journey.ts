/**
 * Node-side helpers for the qlik journeys (test/journeys/qlik-*.test.ts): the expected numbers,
 * computed straight from the Sales app's generated rows, and opening the journey page.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEFAULT_ROWS, DEFAULT_SEED, generateSalesRows } from '../../src/dev-tenant/engine/index.ts';
import type { QlikJourneyConfig } from '../journeys/pages/qlik-page.ts';

export { eventually } from './journey.ts';

export const JOURNEY_PAGE_PATH = '/test/journeys/pages/qlik.html';

/** `$#,##0`, the Sales app's money format. */
export function money(value: number): string {
  return `$${Math.round(value).toLocaleString('en-US')}`;
}

export interface ExpectedSales {
  total: number;
  byRegion: Map<string, number>;
  countriesByRegion: Map<string, Set<string>>;
}

/** Totals computed independently of the engine, from the same generated rows. */
export function expectedSales(): ExpectedSales {
  const byRegion = new Map<string, number>();
  const countriesByRegion = new Map<string, Set<string>>();
  let total = 0;
  for (const row of generateSalesRows(DEFAULT_ROWS, DEFAULT_SEED)) {
    total += row.Sales;
    byRegion.set(row.Region, (byRegion.get(row.Region) ?? 0) + row.Sales);
    let countries = countriesByRegion.get(row.Region);
    if (!countries) countriesByRegion.set(row.Region, (countries = new Set()));
    countries.add(row.Country);
  }
  return { total, byRegion, countriesByRegion };
}

export async function openJourneyPage(browser: Browser, pageUrl: string, config: QlikJourneyConfig): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript((value) => {
    (window as unknown as { __QLIK_JOURNEY__: unknown }).__QLIK_JOURNEY__ = value;
  }, config);
  await page.goto(pageUrl);
  return { context, page };
}

export const kpiValue = (page: Page) => page.locator('qlik-object[object-id="kpi-total-sales"] .kpi-value').first();

/** The page's recorded qlik events. */
export function qlikEvents(page: Page): Promise<{ type: string; code?: string | number; initiator?: string; target: string }[]> {
  return page.evaluate(() => (window as unknown as { __qlik: { events: { type: string; code?: string | number; initiator?: string; target: string }[] } }).__qlik.events);
}

export function statuses(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __qlik: { statuses: string[] } }).__qlik.statuses);
}

