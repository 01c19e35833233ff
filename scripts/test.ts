/**
 * `npm test`: typecheck, lint, node tests, consumers, browser tests; and in parallel with those,
 * the journeys (the longest stage). The two lanes share no port (every server listens on port 0)
 * and no files (only the first lane builds dist/). Every stage runs even when an earlier one fails; the summary
 * gives each stage's counts and duration, and the last line totals them all: `N passed, N failed`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { findChromium, CHROMIUM_MISSING } from '../test/support/chromium.ts';
import { CDN_CACHE_ENV } from '../test/support/demo-pages.ts';

interface Counts {
  passed: number;
  failed: number;
}

/**
 * Runs a stage's command. With `live`, its output streams as it comes; otherwise (two lanes run
 * at once) it is kept and printed in one block when the command ends, so lanes do not interleave.
 */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const tee = (chunk: Buffer, stream: NodeJS.WriteStream): void => {
      output += chunk.toString();
      if (live) stream.write(chunk);
    };
    child.stdout.on('data', (c: Buffer) => tee(c, process.stdout));
    child.stderr.on('data', (c: Buffer) => tee(c, process.stderr));
    const done = (code: number, text: string): void => {
      if (!live) process.stdout.write(text);
      resolve({ code, output: text });
    };
    child.on('close', (code) => done(code ?? 1, output));
    child.on('error', (err) => done(1, String(err)));
  });
}

/**
 * Reads the totals a counting reporter wrote (node:test's, see node-test-counts-reporter.mjs, or
 * web-test-runner's, see wtr-counts-reporter.mjs). No file, or a non-zero exit with no failing
 * test (e.g. a crash before any test ran), counts as one failure.
 */
function readCounts(countsFile: string, code: number): Counts {
  if (!existsSync(countsFile)) return { passed: 0, failed: 1 };
  const counts = JSON.parse(readFileSync(countsFile, 'utf8')) as Counts;
  return { passed: counts.passed, failed: counts.failed === 0 && code !== 0 ? 1 : counts.failed };
}

const countsFile = (name: string): string => join(mkdtempSync(join(tmpdir(), 'embed-kit-')), name);

/** Node 20's `--test` takes no globs, so the files are listed here. */
function testFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => join(dir, file))
    .sort();
}

const npx = 'npx';
interface Stage {
  name: string;
  run: () => Promise<Counts>;
}

interface FileCounts {
  passed: number;
  failed: number;
  skipped: number;
}
/** What node-test-counts-reporter.mjs writes. */
interface NodeTestCounts extends FileCounts {
  files: Record<string, FileCounts>;
  failures: { file: string; name: string }[];
}

/** Tests that failed once and passed when their file ran again; printed above the total line. */
const flaky: string[] = [];

const nodeTests = (files: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000, concurrency?: number) => async (): Promise<Counts> => {
  /** One run: its totals as the summary counts them, and the reporter's detail (none if it wrote nothing). */
  const once = async (list: string[]): Promise<{ totals: Counts; detail: NodeTestCounts | undefined }> => {
    const counts = countsFile('node-test.json');
    const r = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        ...(concurrency ? ['--test-concurrency', String(concurrency)] : []),
        '--test-timeout',
        String(timeoutMs),
        // The spec reporter for people; the counting one for the summary.
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=./test/support/node-test-counts-reporter.mjs',
        `--test-reporter-destination=${counts}`,
        ...list,
      ],
      env,
    );
    return { totals: readCounts(counts, r.code), detail: existsSync(counts) ? (JSON.parse(readFileSync(counts, 'utf8')) as NodeTestCounts) : undefined };
  };
  const first = await once(files);
  const failedFiles = [...new Set(first.detail?.failures.map((failure) => failure.file) ?? [])];
  // A file whose tests failed runs once more, on its own; its second result replaces its first.
  // Only a few files: many failures at once are a real break, not a race on a loaded machine.
  if (failedFiles.length === 0 || failedFiles.length > 2 || !failedFiles.every((file) => files.some((listed) => resolve(listed) === file))) {
    return first.totals;
  }
  console.log(`\n--- running again after a failure: ${failedFiles.join(', ')} ---`);
  const again = await once(failedFiles);
  if (!again.detail || !first.detail) return first.totals;
  let { passed, failed } = again.totals;
  for (const [file, counts] of Object.entries(first.detail.files)) {
    if (failedFiles.includes(file)) continue;
    passed += counts.passed;
    failed += counts.failed;
  }
  const failedAgain = new Set(again.detail.failures.map((failure) => `${failure.file}\0${failure.name}`));
  for (const failure of first.detail.failures) {
    if (!failedAgain.has(`${failure.file}\0${failure.name}`)) flaky.push(`${relative(process.cwd(), failure.file)} › ${failure.name}`);
  }
  console.log(`--- second run: ${again.totals.passed} passed, ${again.totals.failed} failed ---`);
  return { passed, failed };
};

function needChromium(): string | undefined {
  const chromium = findChromium();
  if (!chromium) console.error(CHROMIUM_MISSING);
  return chromium;
}

/** Stages that share dist/ (each waits for the one before), then the browser tests. */
const buildLane: Stage[] = [
  {
    name: 'typecheck',
    run: async () => ((await run(npx, ['tsc', '--noEmit', '-p', 'tsconfig.json'])).code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 }),
  },
  {
    name: 'lint',
    run: async () => ((await run(npx, ['eslint', '--max-warnings', '0', '.'])).code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 }),
  },
  // package.test.ts builds the package: minutes when the machine is busy.
  { name: 'node tests', run: nodeTests(testFiles('test/node'), {}, 300_000) },
  {
    // Packs the package and builds fresh apps from the registry against the tarball (test/consumers).
    name: 'consumers',
    run: async () => {
      const chromium = needChromium();
      if (!chromium) return { passed: 0, failed: 1 };
      return nodeTests(testFiles('test/consumers'), { CHROME_PATH: chromium }, 900_000)();
    },
  },
  // The browser tests never touch dist/. They run here, after the stages that do, because this
  // lane ends well before the journeys' lane does.
  {
    name: 'browser tests',
    run: async () => {
      const chromium = needChromium();
      if (!chromium) return { passed: 0, failed: 1 };
      const counts = countsFile('wtr.json');
      const r = await run(npx, ['web-test-runner'], { CHROME_PATH: chromium, EMBED_KIT_COUNTS: counts });
      return readCounts(counts, r.code);
    },
  },
];

/** The long pole: the journeys, alone in a lane of their own. */
const journeyLane: Stage[] = [
  {
    name: 'journeys',
    run: async () => {
      const chromium = needChromium();
      if (!chromium) return { passed: 0, failed: 1 };
      // The Angular example keeps its own (heavy) install; a fresh clone gets it here, once.
      if (!existsSync('demo/angular/node_modules/@angular/build')) {
        console.log('Installing the Angular example (demo/angular, about 280 MB, once)…');
        await run('npm', ['--prefix', 'demo/angular', 'ci', '--no-audit', '--no-fund']);
      }
      // The demo journeys share one CDN bundle build per version for the stage (see demo-pages.ts).
      const cdnCache = mkdtempSync(join(tmpdir(), 'embed-kit-cdn-'));
      try {
        return await nodeTests(testFiles('test/journeys'), { CHROME_PATH: chromium, [CDN_CACHE_ENV]: cdnCache }, 180_000, 1)();
      } finally {
        rmSync(cdnCache, { recursive: true, force: true });
      }
    },
  },
];

// `npm test -- --stage journeys` runs one stage (still printing the total line).
const only = process.argv.includes('--stage') ? process.argv[process.argv.indexOf('--stage') + 1] : undefined;
const pick = (lane: Stage[]) => (only ? lane.filter((stage) => stage.name.startsWith(only)) : lane);
const lanes = [pick(buildLane), pick(journeyLane)].filter((lane) => lane.length > 0);
const live = lanes.length === 1;

const results = new Map<string, Counts & { ms: number }>();
const duration = (ms: number) => (ms >= 60_000 ? `${Math.floor(ms / 60_000)}m ${Math.round((ms % 60_000) / 1000)}s` : `${(ms / 1000).toFixed(1)}s`);
const started = performance.now();
await Promise.all(
  lanes.map(async (lane) => {
    for (const stage of lane) {
      console.log(`\n=== ${stage.name} ===`);
      const t0 = performance.now();
      const counts = await stage.run();
      const ms = performance.now() - t0;
      results.set(stage.name, { ...counts, ms });
      console.log(`=== ${stage.name} done: ${counts.passed} passed, ${counts.failed} failed (${duration(ms)}) ===`);
    }
  }),
);

const total: Counts = { passed: 0, failed: 0 };
const lines: string[] = [];
for (const stage of [...buildLane, ...journeyLane]) {
  const result = results.get(stage.name);
  if (!result) continue;
  total.passed += result.passed;
  total.failed += result.failed;
  lines.push(`${stage.name}: ${result.passed} passed, ${result.failed} failed (${duration(result.ms)})`);
}
if (flaky.length > 0) {
  lines.push(`flaky: ${flaky.length} test(s) failed once and passed when their file ran again:`);
  for (const name of flaky) lines.push(`  ${name}`);
}
lines.push(`all stages: ${duration(performance.now() - started)} (${lanes.length === 2 ? 'two lanes in parallel' : 'one lane'})`);
console.log('\n' + lines.join('\n'));
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed === 0 ? 0 : 1);
