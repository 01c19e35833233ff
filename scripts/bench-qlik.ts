/**
 * Qlik numbers for `npm run bench` (scripts/bench.ts calls these), and the generator of the
 * core QIX schema (`npm run generate`, scripts/generate-schema.ts).
 *
 * - `measureQlikChunks()`: gzip sizes of what `<qlik-dashboard>` / `<qlik-object>` load: the
 *   eager element code, the lazily loaded dashboard chunk (enigma.js, schema, renderers + d3),
 *   and the on-demand extras (full schema, @qlik/embed-web-components). Budget: lazy ≤ 45 kB.
 * - `benchQlikFirstRender()`: against the dev tenant in Chromium, the requests and the median
 *   time from `auth-signed-in` to the first object on screen, and the fan-out counts for 20
 *   `<qlik-object>` elements.
 *
 * Run alone: `node --import tsx scripts/bench-qlik.ts` prints both.
 */
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Rolldown } from 'vite';
import { CORE_SCHEMA_TYPES, SCHEMA_VERSION } from '../src/qlik/schema.ts';
import { CALLED_METHODS } from '../test/support/qix-called-methods.ts';
import { readFullSchema } from './generate-schema.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const gzip = (data: string | Buffer) => gzipSync(data, { level: 9 }).length;

export interface ChunkSize {
  name: string;
  /** The module the chunk stands for (its facade), relative to the repository. */
  module: string;
  minified: number;
  gzip: number;
}

export interface QlikChunkSizes {
  /** Loaded with the element classes (lit, the elements, the pool, the token exchange). */
  eager: { gzip: number; chunks: ChunkSize[] };
  /** Loaded once an element opens an app: enigma.js, the core schema, the renderers with d3. */
  lazyDashboard: { gzip: number; minified: number; chunks: ChunkSize[]; budget: number };
  /** Loaded only when asked for. */
  onDemand: { fullSchema: number; qlikEmbed: number };
  /** The schema decision, in gzip bytes of the schema data alone. */
  schemas: { full: number; core: number; calledOnly: number; enigma: number };
}

/**
 * Builds `<qlik-dashboard>` (which includes `<qlik-object>`) as the library build would, and
 * sorts the chunks into eager, lazy-on-open and on-demand.
 */
export async function measureQlikChunks(): Promise<QlikChunkSizes> {
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    root,
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      lib: { entry: { 'qlik-dashboard': `${root}src/elements/qlik-dashboard/qlik-dashboard.ts` }, formats: ['es'] },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunks = outputs.flatMap((output) => output.output).filter((item): item is Rolldown.OutputChunk => item.type === 'chunk');
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const size = (chunk: Rolldown.OutputChunk): ChunkSize => ({
    name: chunk.fileName,
    module: (chunk.facadeModuleId ?? chunk.moduleIds[0] ?? '').replace(root, ''),
    minified: Buffer.byteLength(chunk.code),
    gzip: gzip(chunk.code),
  });
  /** Chunks a set of chunks loads, statically, transitively. */
  const closure = (start: Rolldown.OutputChunk[]): Set<Rolldown.OutputChunk> => {
    const seen = new Set<Rolldown.OutputChunk>();
    const visit = (chunk: Rolldown.OutputChunk) => {
      if (seen.has(chunk)) return;
      seen.add(chunk);
      for (const name of chunk.imports) {
        const next = byName.get(name);
        if (next) visit(next);
      }
    };
    start.forEach(visit);
    return seen;
  };
  const facade = (test: (id: string) => boolean) => chunks.filter((chunk) => chunk.isDynamicEntry && test(chunk.facadeModuleId ?? ''));
  const eager = closure(chunks.filter((chunk) => chunk.isEntry));
  const lazyStarts = [
    ...facade((id) => id.includes('node_modules/enigma.js/enigma.js')),
    ...facade((id) => id.endsWith('src/qlik/schema-core.ts')),
    ...facade((id) => id.endsWith('src/elements/renderers/index.ts')),
  ];
  const lazy = [...closure(lazyStarts)].filter((chunk) => !eager.has(chunk));
  const onDemand = (test: (id: string) => boolean) =>
    [...closure(facade(test))].filter((chunk) => !eager.has(chunk) && !lazy.includes(chunk)).reduce((sum, chunk) => sum + gzip(chunk.code), 0);

  const full = await readFullSchema();
  const calledOnly = Object.fromEntries(
    Object.entries(CALLED_METHODS).map(([type, methods]) => [type, Object.fromEntries(methods.map((method) => [method, full.structs[type]?.[method]]))]),
  );
  const core = Object.fromEntries(CORE_SCHEMA_TYPES.map((type) => [type, full.structs[type]]));
  const enigmaChunk = lazy.find((chunk) => chunk.facadeModuleId?.includes('enigma.js/enigma.js'));

  const eagerSizes = [...eager].map(size);
  const lazySizes = lazy.map(size);
  return {
    eager: { gzip: eagerSizes.reduce((sum, c) => sum + c.gzip, 0), chunks: eagerSizes },
    lazyDashboard: {
      gzip: lazySizes.reduce((sum, c) => sum + c.gzip, 0),
      minified: lazySizes.reduce((sum, c) => sum + c.minified, 0),
      chunks: lazySizes,
      budget: 45 * 1024,
    },
    onDemand: {
      fullSchema: onDemand((id) => id.endsWith(`schemas/${SCHEMA_VERSION}.json`)),
      qlikEmbed: onDemand((id) => id.includes('@qlik/embed-web-components')),
    },
    schemas: {
      full: gzip(JSON.stringify(full)),
      core: gzip(JSON.stringify({ structs: core })),
      calledOnly: gzip(JSON.stringify({ structs: calledOnly })),
      enigma: enigmaChunk ? gzip(enigmaChunk.code) : 0,
    },
  };
}

export interface QlikFirstRender {
  runs: number;
  /** Median ms from `auth-signed-in` to the first object's content on screen. */
  medianMs: number;
  samplesMs: number[];
  /** What one dashboard load sends until it is on screen: HTTP exchanges and JSON-RPC requests. */
  requests: { websocketTokenExchanges: number; websockets: number; rpcRequests: number };
  /** 20 `<qlik-object>` for one app: exchanges and websockets counted by the dev tenant, OpenDoc frames on the wire. */
  fanOut: { objects: number; websocketTokenExchanges: number; websockets: number; openDocs: number };
}

/** Opens the journey page against the dev tenant `runs` times and measures the first render. */
export async function benchQlikFirstRender(runs = 5): Promise<QlikFirstRender> {
  const [{ SAMPLE_APP_ID, startDevTenant }, journey, { journeyClient }, support] = await Promise.all([
    import('../src/dev-tenant/index.ts'),
    import('../test/support/journey.ts'),
    import('../test/support/dev-tenant.ts'),
    import('../test/support/qlik-journey.ts'),
  ]);
  const pages = await journey.startPageServer();
  const pageUrl = `${pages.origin}${support.JOURNEY_PAGE_PATH}`;
  const tenant = await startDevTenant({ clients: [journeyClient([pageUrl])], trustedOrigins: [pages.origin] });
  const browser = await journey.launchChromium();
  const auth = { provider: 'qlik', host: tenant.url, 'client-id': 'journey-spa' };
  try {
    const samples: number[] = [];
    let requests = { websocketTokenExchanges: 0, websockets: 0, rpcRequests: 0 };
    for (let run = 0; run < runs; run++) {
      tenant.stats.reset();
      const upgrades = tenant.engine.stats.upgrades;
      const { context, page } = await support.openJourneyPage(browser, pageUrl, { auth, appId: SAMPLE_APP_ID, mount: 'dashboard' });
      let rpcRequests = 0;
      let counting = true;
      page.on('websocket', (socket) => socket.on('framesent', () => counting && (rpcRequests += 1)));
      await journey.signInOnDevTenant(page);
      await page.waitForFunction(() => (window as unknown as { __qlik?: { firstRenderMs?: number } }).__qlik?.firstRenderMs !== undefined, undefined, { timeout: 20_000 });
      counting = false;
      samples.push(await page.evaluate(() => (window as unknown as { __qlik: { firstRenderMs: number } }).__qlik.firstRenderMs));
      requests = { websocketTokenExchanges: tenant.stats.websocketTokenExchanges, websockets: tenant.engine.stats.upgrades - upgrades, rpcRequests };
      await context.close();
    }

    tenant.stats.reset();
    const upgrades = tenant.engine.stats.upgrades;
    const { context, page } = await support.openJourneyPage(browser, pageUrl, { auth, appId: SAMPLE_APP_ID, mount: 'objects', objectId: 'kpi-total-sales', count: 20 });
    let openDocs = 0;
    page.on('websocket', (socket) =>
      socket.on('framesent', (frame) => {
        if (typeof frame.payload === 'string' && frame.payload.includes('"method":"OpenDoc"')) openDocs += 1;
      }),
    );
    await journey.signInOnDevTenant(page);
    await page.waitForFunction(() => document.querySelectorAll('#stage qlik-object').length === 20 && [...document.querySelectorAll('#stage qlik-object')].every((el) => el.shadowRoot?.querySelector('.kpi-value')), undefined, { timeout: 20_000 });
    const fanOut = {
      objects: 20,
      websocketTokenExchanges: tenant.stats.websocketTokenExchanges,
      websockets: tenant.engine.stats.upgrades - upgrades,
      openDocs,
    };
    await context.close();

    const sorted = [...samples].sort((a, b) => a - b);
    return { runs, medianMs: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN, samplesMs: samples, requests, fanOut };
  } finally {
    await browser.close();
    await tenant.close();
    await pages.close();
  }
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

/** Human-readable lines for the bench output. */
export function formatQlikChunks(sizes: QlikChunkSizes): string[] {
  const { lazyDashboard: lazy, schemas } = sizes;
  return [
    `qlik dashboard chunk (lazy: enigma + core schema + renderers + d3): ${kB(lazy.gzip)} gzip (budget ${kB(lazy.budget)}) ${lazy.gzip <= lazy.budget ? 'OK' : 'OVER BUDGET'}`,
    ...lazy.chunks.map((chunk) => `  ${chunk.module || chunk.name}: ${kB(chunk.gzip)}`),
    `qlik elements (eager, with lit): ${kB(sizes.eager.gzip)} gzip`,
    `on demand: full schema ${kB(sizes.onDemand.fullSchema)}, @qlik/embed-web-components ${kB(sizes.onDemand.qlikEmbed)}`,
    `schema data gzip: full ${kB(schemas.full)}, core (shipped) ${kB(schemas.core)}, only-called ${kB(schemas.calledOnly)}; enigma.js ${kB(schemas.enigma)}`,
  ];
}

export function formatQlikFirstRender(result: QlikFirstRender): string[] {
  return [
    `qlik first render (auth-signed-in → first object): median ${result.medianMs.toFixed(0)} ms over ${result.runs} runs`,
    `  requests until then: ${result.requests.websocketTokenExchanges} websocket-token exchange, ${result.requests.websockets} websocket, ${result.requests.rpcRequests} JSON-RPC requests`,
    `qlik fan-out (${result.fanOut.objects} <qlik-object>): ${result.fanOut.websocketTokenExchanges} exchange, ${result.fanOut.websockets} websocket, ${result.fanOut.openDocs} OpenDoc`,
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const line of formatQlikChunks(await measureQlikChunks())) console.log(line);
  if (!process.argv.includes('--sizes-only')) for (const line of formatQlikFirstRender(await benchQlikFirstRender())) console.log(line);
}
