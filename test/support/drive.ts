/**
 * Shared plumbing for the embed-API journeys: the drive page (test/journeys/pages/drive.html),
 * a recorder of every KPI text the page ever shows, the engine methods the page sends over its
 * websocket, and expected numbers computed from the Sales app's generated rows.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { DEFAULT_ROWS, DEFAULT_SEED, generateSalesRows, type SalesRow } from '../../src/dev-tenant/engine/index.ts';
import type { DriveEvent } from '../journeys/pages/drive-page.ts';
import { signInOnDevTenant, type JourneyWorld } from './journey.ts';

export const DRIVE_PAGE_PATH = '/test/journeys/pages/drive.html';

export interface DriveConfig {
  markup?: string;
  cancelDataPointClicks?: boolean;
  lang?: string;
  /** Runs on the new page before it loads (e.g. `page.routeWebSocket` to stand between it and the engine). */
  prepare?: (page: Page) => Promise<void>;
}

export interface DrivePage {
  context: BrowserContext;
  page: Page;
  /** Engine methods the page sent, in order (`GetObject`, `SelectValues`…), with their params. */
  sent: { method: string; params: unknown }[];
}

export { money } from './qlik-journey.ts';

let rows: SalesRow[] | undefined;
/** The Sales app's rows, generated here as the dev tenant generates them. */
export function salesRows(): SalesRow[] {
  return (rows ??= generateSalesRows(DEFAULT_ROWS, DEFAULT_SEED));
}

/** Sum of Sales over the generated rows that pass `where`: the engine's answer, computed independently. */
export function salesWhere(where: (row: SalesRow) => boolean = () => true): number {
  return salesRows()
    .filter(where)
    .reduce((sum, row) => sum + row.Sales, 0);
}

/**
 * Opens the drive page in a fresh context and signs in. Before any page script runs, every
 * shadow root gets a MutationObserver that records each `.kpi-value` text it ever holds
 * (observers run before paint, so nothing shown escapes it), and every websocket frame the page
 * sends is kept.
 */
export async function openDrive(world: JourneyWorld, config: DriveConfig = {}): Promise<DrivePage> {
  const context = await world.browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const auth = { provider: 'qlik', host: world.tenant.url, 'client-id': 'journey-spa' };
  const { prepare, ...pageConfig } = config;
  await prepare?.(page);
  await page.addInitScript((value) => {
    (window as unknown as { __DRIVE__: unknown }).__DRIVE__ = value;
  }, { ...pageConfig, auth });
  await page.addInitScript(() => {
    const seen: { object: string; text: string }[] = [];
    (window as unknown as { __kpiTexts: typeof seen }).__kpiTexts = seen;
    const attach = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (this: Element, init: ShadowRootInit) {
      const root = attach.call(this, init);
      const object = this.getAttribute('object-id') ?? this.localName;
      new MutationObserver(() => {
        for (const value of root.querySelectorAll('.kpi-value')) {
          const text = value.textContent?.trim() ?? '';
          const last = seen.findLast((entry) => entry.object === object);
          if (last?.text !== text) seen.push({ object, text });
        }
      }).observe(root, { subtree: true, childList: true, characterData: true });
      return root;
    };
  });
  const sent: DrivePage['sent'] = [];
  page.on('websocket', (socket) => {
    socket.on('framesent', (frame) => {
      if (typeof frame.payload !== 'string') return;
      try {
        const message = JSON.parse(frame.payload) as { method?: string; params?: unknown };
        if (message.method) sent.push({ method: message.method, params: message.params });
      } catch {
        // not JSON-RPC
      }
    });
  });
  await page.goto(world.pageUrl);
  await signInOnDevTenant(page);
  return { context, page, sent };
}

export function driveEvents(page: Page): Promise<DriveEvent[]> {
  return page.evaluate(() => (window as unknown as { __drive: { events: DriveEvent[] } }).__drive.events);
}

/** Every KPI text the page has shown, in order, for one object id. */
export async function kpiTexts(page: Page, objectId = 'kpi-total-sales'): Promise<string[]> {
  const all = await page.evaluate(() => (window as unknown as { __kpiTexts: { object: string; text: string }[] }).__kpiTexts);
  return all.filter((entry) => entry.object === objectId).map((entry) => entry.text);
}

/** Waits until the page has recorded an event matching `match`. */
export async function waitForDriveEvent(page: Page, match: Partial<DriveEvent>, timeout = 15_000): Promise<DriveEvent> {
  const handle = await page.waitForFunction(
    (wanted) => (window as unknown as { __drive?: { events: Record<string, unknown>[] } }).__drive?.events.find((event) => Object.entries(wanted).every(([key, value]) => event[key] === value)),
    match,
    { timeout },
  );
  return (await handle.jsonValue()) as unknown as DriveEvent;
}
