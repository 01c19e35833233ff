/**
 * Shared by the renderer journeys, the screenshots and the bench: the renderers test page on a
 * journey world whose page server pre-bundles nebula.js and its charts.
 */
import type { Page } from 'playwright-core';
import { SAMPLE_APP_ID } from '../../src/dev-tenant/index.ts';
import { startJourneyWorld, signInOnDevTenant, type JourneyWorld } from './journey.ts';
import type { RenderersPageConfig } from '../journeys/pages/renderers-page.ts';

export const RENDERERS_PAGE_PATH = '/test/journeys/pages/renderers.html';

/** nebula.js and the chart packages the page registers (CommonJS/UMD: vite pre-bundles them). */
export const NEBULA_PACKAGES = [
  '@nebula.js/stardust',
  '@nebula.js/sn-bar-chart',
  '@nebula.js/sn-line-chart',
  '@nebula.js/sn-pie-chart',
  '@nebula.js/sn-combo-chart',
  '@nebula.js/sn-scatter-plot',
  '@nebula.js/sn-table',
  '@nebula.js/sn-pivot-table',
  '@nebula.js/sn-kpi',
  '@nebula.js/sn-filter-pane',
];

export function startRenderersWorld(): Promise<JourneyWorld> {
  return startJourneyWorld(RENDERERS_PAGE_PATH, { optimize: NEBULA_PACKAGES });
}

export interface RenderersPage {
  page: Page;
  /** Console errors and warnings, uncaught exceptions and failed responses. */
  problems: string[];
  close(): Promise<void>;
}

/** Opens the renderers page with `config` (auth and app filled in) and signs in as Alice. */
export async function openRenderersPage(world: JourneyWorld, config: Omit<RenderersPageConfig, 'auth' | 'appId'>, viewport = { width: 1280, height: 900 }): Promise<RenderersPage> {
  const context = await world.browser.newContext({ viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.text().startsWith('Lit is in dev mode')) return;
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  const full: RenderersPageConfig = { ...config, auth: { provider: 'qlik', host: world.tenant.url, 'client-id': 'journey-spa' }, appId: SAMPLE_APP_ID };
  await page.addInitScript((c) => {
    (window as unknown as { __RENDERERS__: unknown }).__RENDERERS__ = c;
  }, full);
  await page.goto(world.pageUrl);
  await signInOnDevTenant(page);
  await page.waitForURL((url) => url.href.startsWith(world.pageUrl) && !url.searchParams.has('code'), { timeout: 15_000 });
  return { page, problems, close: () => context.close() };
}
