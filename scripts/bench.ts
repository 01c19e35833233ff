/**
 * `npm run bench`: sizes, protocol counts and engine timings against the budgets in the issues.
 * Timings are medians on this machine; they are reported, never asserted in tests.
 */
import { AUTH_LOGIN_BUDGET_GZIP, benchAuthCallback, measureAuthLogin } from './bench-auth.ts';
import { upFrontChunks } from './bundle-size.ts';
import { benchEngine } from './bench-engine.ts';
import { benchEngineCoverage, benchEngineGuards, formatEngineCoverage, formatEngineGuards } from './bench-engine-coverage.ts';
import { benchImpersonationHandler, benchRedisScaleOut, formatImpersonationBench, formatRedisScaleOut } from './bench-server.ts';
import { measureCdnBundle } from './bench-cdn.ts';
import { benchConsumers, formatConsumerBench } from './bench-consumers.ts';
import { benchTabs, formatTabsBench } from './bench-tabs.ts';
import { benchQlikFirstRender, formatQlikChunks, formatQlikFirstRender, measureQlikChunks } from './bench-qlik.ts';
import { benchRendererFirstRender, formatRendererBench, measureNebulaChunks } from './bench-renderers.ts';

const kB = (bytes: number): string => `${(bytes / 1024).toFixed(1)} kB`;
const verdict = (ok: boolean): string => (ok ? 'OK' : 'OVER BUDGET');
const lines: string[] = [];
const say = (line: string): void => {
  lines.push(line);
  console.log(line);
};

say('# embed-kit bench');

const auth = await measureAuthLogin();
// Up front is the entry plus every chunk it imports statically; only import()ed chunks are lazy.
const upFront = upFrontChunks(auth);
const lazy = auth.chunks.filter((c) => !upFront.includes(c));
const upFrontGzip = upFront.reduce((sum, c) => sum + c.gzip, 0);
say(
  `<auth-login> up front with lit (${upFront.length} chunk${upFront.length === 1 ? '' : 's'}): ${kB(upFront.reduce((s, c) => s + c.minified, 0))} min, ${kB(upFrontGzip)} gzip (budget ${kB(AUTH_LOGIN_BUDGET_GZIP)}) ${verdict(upFrontGzip <= AUTH_LOGIN_BUDGET_GZIP)}`,
);
if (upFront.length > 1) say(`  up front: ${upFront.map((c) => `${c.name} ${kB(c.gzip)}`).join(', ')}`);
if (lazy.length > 0) {
  say(`  + loaded later (idle, sign-in, callback, backend or ID token): ${kB(lazy.reduce((s, c) => s + c.gzip, 0))} gzip (${lazy.map((c) => `${c.name} ${kB(c.gzip)}`).join(', ')})`);
}

const callback = await benchAuthCallback(5);
const oneEach = callback.tokenRequests.every((n) => n === 1);
say(`token requests from callback to signed-in: ${callback.tokenRequests.join(', ')} over ${callback.runs} runs (budget exactly 1) ${verdict(oneEach)}; median ${callback.medianMs.toFixed(0)} ms`);

for (const line of formatTabsBench(await benchTabs(5))) say(line);

const engine = await benchEngine();
say(`engine GetLayout (2 dims, 2 measures) median: ${engine.rows50k.toFixed(1)} ms at 50k rows (budget 40 ms) ${verdict(engine.rows50k < 40)}, ${engine.rows500k.toFixed(1)} ms at 500k rows (${(engine.rows500k / engine.rows50k).toFixed(1)}x)`);

for (const line of formatEngineCoverage(await benchEngineCoverage())) say(line);
say(formatEngineGuards(await benchEngineGuards()));

const qlikChunks = await measureQlikChunks();
for (const line of formatQlikChunks(qlikChunks)) say(line);
for (const line of formatQlikFirstRender(await benchQlikFirstRender(5))) say(line);

const nativeRenderers = qlikChunks.lazyDashboard.chunks.find((chunk) => chunk.module.endsWith('src/elements/renderers/index.ts'));
for (const line of formatRendererBench(await measureNebulaChunks(), await benchRendererFirstRender(3), nativeRenderers?.gzip)) say(line);

const cdn = await measureCdnBundle();
const CDN_FIRST_LOAD_BUDGET = 15 * 1024;
say(
  `CDN first load (embed-kit.js + ${cdn.firstLoad.files - 1} static chunks, what an <auth-login>-only page gets): ${kB(cdn.firstLoad.gzip)} gzip (budget ${kB(CDN_FIRST_LOAD_BUDGET)}) ${verdict(cdn.firstLoad.gzip <= CDN_FIRST_LOAD_BUDGET)}; all ${cdn.all.files} files ${kB(cdn.all.gzip)} gzip`,
);

for (const line of formatImpersonationBench(await benchImpersonationHandler())) say(line);
for (const line of formatRedisScaleOut(await benchRedisScaleOut())) say(line);

for (const line of formatConsumerBench(await benchConsumers())) say(line);

process.exit(0);
