import { startRenderersWorld, openRenderersPage } from '../../test/support/renderers-world.ts';
const world = await startRenderersWorld();
const mode = process.argv[2] ?? 'nebula';
try {
  const ids = ['kpi-total-sales', 'bar-sales-by-region', 'line-sales-by-month', 'pie-sales-by-category', 'table-sales-details', 'filterpane-main', 'text-about', 'listbox-region', 'stacked-bar-category-region', 'combo-sales-quantity', 'scatter-customers', 'pivot-region-category'];
  const p = await openRenderersPage(world, { renderer: mode, objects: ids });
  await p.page.waitForTimeout(12000);
  await p.page.screenshot({ path: `/tmp/explore/${mode}.png`, fullPage: true });
  console.log(p.problems.slice(0, 30).map((l) => l.slice(0, 300)).join('\n'));
  console.log(JSON.stringify((await p.page.evaluate(() => (window as any).__events)).filter((e: any) => e.type !== 'qlik-session-open')).slice(0, 3000));
  console.log('openDocs', world.tenant.engine.stats.openDocs, 'upgrades', world.tenant.engine.stats.upgrades);
  await p.close();
} finally { await world.close(); }
