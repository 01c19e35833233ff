import { startNebulaWorld, watchPage } from '../test/support/nebula-page.ts';
import { userAccessToken, websocketToken } from '../test/support/dev-tenant-tokens.ts';
import { DEFAULT_USERS, SAMPLE_APP_ID } from '../src/dev-tenant/index.ts';
import { writeFileSync } from 'node:fs';
const t0 = Date.now();
const world = await startNebulaWorld();
console.log('world', Date.now() - t0);
const page = await world.browser.newPage();
const watch = watchPage(page);
await page.goto(world.origin);
const at = await userAccessToken(world.tenant.url, DEFAULT_USERS[0]!.id);
const ws = await websocketToken(world.tenant.url, at);
const url = `${world.tenant.url.replace('http', 'ws')}/app/${SAMPLE_APP_ID}?accessToken=${ws}`;
await page.evaluate((u) => (window as any).nebula.open(u), url);
const mode = process.argv[2];
if (mode === 'props') {
  const out: Record<string, unknown> = {};
  for (const [type, fields] of [['barchart', ['Region', '=Sum(Sales)']], ['linechart', ['YearMonth', '=Sum(Sales)']], ['piechart', ['Category', '=Sum(Sales)']], ['combochart', ['Region', '=Sum(Sales)', '=Sum(Quantity)']], ['scatterplot', ['Customer', '=Sum(Sales)', '=Sum(Quantity)']], ['pivot-table', ['Region', 'Category', '=Sum(Sales)']], ['table', ['Country', 'Product', '=Sum(Sales)']], ['kpi', ['=Sum(Sales)']], ['filterpane', ['Region']]] as const) {
    try { out[type] = await page.evaluate(([t, f]) => (window as any).nebula.generateProperties(t, f), [type, fields] as const); } catch (e) { out[type] = String(e); }
  }
  writeFileSync('/tmp/fid/generated.json', JSON.stringify(out, null, 1));
} else {
  for (const id of process.argv.slice(3)) {
    const r = await Promise.race([page.evaluate((i) => (window as any).nebula.renderId(i), id).then(() => 'ok', (e) => 'ERR ' + e), new Promise((r) => setTimeout(() => r('timeout'), 15000))]);
    await new Promise((r) => setTimeout(r, 1000));
    const d = await page.evaluate((i) => (window as any).nebula.drawn(i), id);
    console.log(id, r, JSON.stringify(d).slice(0, 300));
  }
  await page.screenshot({ path: '/tmp/fid/shot.png', fullPage: true });
}
console.log('errors', watch.errors.slice(0, 20));
console.log('missing', [...watch.missingMethods]);
console.log('called', [...watch.calledMethods]);
await world.close();
