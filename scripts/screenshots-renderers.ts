/**
 * docs/screenshots/renderers-side-by-side.png for `npm run screenshots`: every chart type of the
 * Sales app drawn natively (left) and by Qlik's nebula.js chart (right), on one page and one
 * engine session, against the dev tenant.
 */
import { join } from 'node:path';
import { SALES_OBJECT_IDS } from '../src/dev-tenant/engine/index.ts';
import { openRenderersPage, settled, startRenderersWorld } from '../test/support/renderers-world.ts';

/** The chart types, each one stored object of the Sales app. */
const PAIRS: [string, string][] = [
  ['KPI', SALES_OBJECT_IDS.kpi],
  ['Bar chart', SALES_OBJECT_IDS.bar],
  ['Stacked bar chart (two dimensions)', SALES_OBJECT_IDS.stackedBar],
  ['Line chart', SALES_OBJECT_IDS.line],
  ['Combo chart', SALES_OBJECT_IDS.combo],
  ['Scatter plot', SALES_OBJECT_IDS.scatter],
  ['Pie chart', SALES_OBJECT_IDS.pie],
  ['Table', SALES_OBJECT_IDS.table],
  ['Pivot table', SALES_OBJECT_IDS.pivot],
  ['Filter pane', SALES_OBJECT_IDS.filterPane],
];

export async function screenshotRenderers(outDir: string): Promise<string> {
  const world = await startRenderersWorld();
  try {
    const objects = PAIRS.flatMap(([, objectId]) => [
      { objectId, renderer: 'native' },
      { objectId, renderer: 'nebula' },
    ]);
    const headings = Object.fromEntries(PAIRS.map(([title], i) => [i * 2, `${title}: native (left), nebula.js (right)`]));
    const { page, close } = await openRenderersPage(world, { renderer: 'native', objects, headings, columns: 2 }, { width: 1100, height: 900 });
    await settled(page);
    // nebula.js animates its first draw.
    await page.waitForTimeout(1_000);
    const path = join(outDir, 'renderers-side-by-side.png');
    await page.locator('#stage').screenshot({ path });
    await close();
    return path;
  } finally {
    await world.close();
  }
}
