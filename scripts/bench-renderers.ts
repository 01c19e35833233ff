/**
 * Renderer numbers for `npm run bench` (issue 13): the bytes each renderer costs and the time
 * from sign-in to every stored object of the Sales app on screen, per `renderer` mode.
 *
 * - Sizes: the nebula page entry (scripts/bench-entries/nebula-page.ts) built as a page
 *   author's app would be; stardust and each sn-* chart land in chunks of their own.
 * - First render: the renderers journey page, signed in, median over `runs` fresh contexts.
 *   Served by vite's dev server (unbundled modules), so compare the modes with each other, not
 *   with a production page.
 */
import { fileURLToPath } from 'node:url';
import { measureBundle, upFrontChunks } from './bundle-size.ts';
import { SALES_OBJECT_IDS } from '../src/dev-tenant/engine/index.ts';
import { NEBULA_PACKAGES, openRenderersPage, settled, startRenderersWorld } from '../test/support/renderers-world.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

export interface NebulaSizes {
  /** The plugin entry a page imports up front. */
  plugin: number;
  /** The nebula renderer and @nebula.js/stardust, loaded with the first nebula object. */
  core: number;
  /** One chunk per sn-* package, by package name. */
  charts: [string, number][];
}

export async function measureNebulaChunks(): Promise<NebulaSizes> {
  const bundle = await measureBundle(`${root}scripts/bench-entries/nebula-page.ts`);
  const upFront = upFrontChunks(bundle);
  const lazy = bundle.chunks.filter((chunk) => !upFront.includes(chunk));
  const chartOf = (name: string) => NEBULA_PACKAGES.find((pkg) => pkg.includes('/sn-') && (name.split('/').pop() ?? '').startsWith(`${pkg.replace('@nebula.js/', '')}-`));
  const charts = lazy.filter((chunk) => chartOf(chunk.name)).map((chunk): [string, number] => [chartOf(chunk.name) as string, chunk.gzip]);
  return {
    plugin: upFront.reduce((sum, chunk) => sum + chunk.gzip, 0),
    core: lazy.filter((chunk) => !chartOf(chunk.name)).reduce((sum, chunk) => sum + chunk.gzip, 0),
    charts: charts.sort((a, b) => a[0].localeCompare(b[0])),
  };
}

/** Milliseconds from the page back from sign-in to every object drawn, median per mode. */
export async function benchRendererFirstRender(runs = 3): Promise<Record<string, number>> {
  const world = await startRenderersWorld();
  const objects = Object.values(SALES_OBJECT_IDS).filter((id) => !id.startsWith('sheet-'));
  const medians: Record<string, number> = {};
  try {
    for (const renderer of ['native', 'auto', 'nebula']) {
      const samples: number[] = [];
      for (let run = 0; run < runs; run += 1) {
        const { page, close } = await openRenderersPage(world, { renderer, objects });
        const started = Date.now();
        await settled(page);
        samples.push(Date.now() - started);
        await close();
      }
      medians[renderer] = [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? Number.NaN;
    }
  } finally {
    await world.close();
  }
  return medians;
}

export function formatRendererBench(sizes: NebulaSizes, firstRender: Record<string, number>, nativeGzip?: number): string[] {
  return [
    ...(nativeGzip === undefined ? [] : [`native renderers chunk (every native type + d3, part of the lazy dashboard chunk, budget 45 kB for the whole): ${kB(nativeGzip)} gzip`]),
    `nebula plugin up front (embed-kit/renderers/nebula; the bundler puts lit, which the elements load anyway, in this chunk): ${kB(sizes.plugin)} gzip; nebula core (renderer + @nebula.js/stardust, on the first nebula object): ${kB(sizes.core)} gzip`,
    `  sn-* charts (each on the first object of its type): ${sizes.charts.map(([name, gzip]) => `${name.replace('@nebula.js/', '')} ${kB(gzip)}`).join(', ')}`,
    `first render of the Sales app's ${Object.values(SALES_OBJECT_IDS).filter((id) => !id.startsWith('sheet-')).length} objects (signed in → all drawn, vite dev server, median): ${Object.entries(firstRender)
      .map(([mode, ms]) => `${mode} ${ms.toFixed(0)} ms`)
      .join(', ')}`,
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const sizes = await measureNebulaChunks();
  const times = process.argv.includes('--sizes-only') ? {} : await benchRendererFirstRender();
  for (const line of formatRendererBench(sizes, times)) console.log(line);
}
