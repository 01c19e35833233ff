/**
 * Shared by the renderer journeys, the screenshots and the bench: the renderers test page on a
 * journey world whose page server pre-bundles nebula.js and its charts.
 */
import type { Page } from 'playwright-core';
import { SAMPLE_APP_ID } from '../../src/dev-tenant/index.ts';
import { recordPageProblems, startJourneyWorld, signInOnDevTenant, type JourneyWorld } from './journey.ts';
import { eventually } from './qlik-journey.ts';
import type { NebulaDrawnProbe, RenderersPageConfig } from '../journeys/pages/renderers-page.ts';

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
  const problems = recordPageProblems(page, { httpErrors: true });
  const full: RenderersPageConfig = { ...config, auth: { provider: 'qlik', host: world.tenant.url, 'client-id': 'journey-spa' }, appId: SAMPLE_APP_ID };
  await page.addInitScript((c) => {
    (window as unknown as { __RENDERERS__: unknown }).__RENDERERS__ = c;
  }, full);
  await page.goto(world.pageUrl);
  await signInOnDevTenant(page);
  await page.waitForURL((url) => url.href.startsWith(world.pageUrl) && !url.searchParams.has('code'), { timeout: 15_000 });
  return { page, problems, close: () => context.close() };
}

/** How each `<qlik-object>` on the page drew: natively, by nebula.js, nebula.js's error view, a placeholder, or not at all. */
export interface Drawing {
  objectId: string;
  renderer: string;
  status: string;
  how: 'native' | 'nebula' | 'nebula-error' | 'placeholder' | 'nothing';
  error: string;
}

export function drawings(page: Page): Promise<Drawing[]> {
  return page.evaluate(() => {
    const probe = (window as unknown as { __nebulaDrawn: NebulaDrawnProbe }).__nebulaDrawn;
    return [...document.querySelectorAll<HTMLElement>('#stage > qlik-object')].map((el) => {
      const root = el.shadowRoot;
      const content = root?.querySelector('[part="content"]');
      const nebula = el.querySelector<HTMLElement>(':scope > .embed-kit-nebula');
      const nativeMarks = content?.querySelector('svg rect, svg path, svg circle, .kpi-value, tbody tr, li.value, .text, qlik-object');
      // Drawn, not merely mounted: nebula.js's error view is a cell too.
      const nebulaError = nebula ? probe.drawnIn(nebula).error.trim() : '';
      const nebulaDrawn = nebula && nebula.getBoundingClientRect().height > 50 && probe.isDrawn(nebula, root?.querySelector('#title')?.textContent ?? '');
      const how = root?.querySelector('[part="placeholder"]') ? 'placeholder' : nebulaError ? 'nebula-error' : nebulaDrawn ? 'nebula' : nativeMarks ? 'native' : 'nothing';
      return {
        objectId: el.getAttribute('object-id') ?? '',
        renderer: el.getAttribute('renderer') ?? '',
        status: el.getAttribute('status') ?? '',
        how,
        error: root?.querySelector('[part="error"]')?.textContent?.trim() || nebulaError,
      };
    });
  });
}

/** Waits until every object is open and drawn (or a placeholder, or nebula.js's error view), then returns the drawings. */
export async function settled(page: Page): Promise<Drawing[]> {
  let last: Drawing[] = [];
  await eventually(
    async () => {
      last = await drawings(page);
      return last.length > 0 && last.every((d) => d.status === 'open' && d.how !== 'nothing');
    },
    'every object draws',
    60_000,
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}: ${JSON.stringify(last.filter((d) => d.how === 'nothing' || d.status !== 'open'))}`);
  });
  return last;
}

