/**
 * `npm test`: typecheck, lint, node tests, browser tests, journeys, in that order.
 * Every stage runs even when an earlier one fails, and the last line totals them all:
 * `N passed, N failed`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findChromium, CHROMIUM_MISSING } from '../test/support/chromium.ts';

interface Counts {
  passed: number;
  failed: number;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const tee = (chunk: Buffer, stream: NodeJS.WriteStream): void => {
      output += chunk.toString();
      stream.write(chunk);
    };
    child.stdout.on('data', (c: Buffer) => tee(c, process.stdout));
    child.stderr.on('data', (c: Buffer) => tee(c, process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
    child.on('error', (err) => resolve({ code: 1, output: String(err) }));
  });
}

/** node:test's spec reporter ends with `ℹ pass N` and `ℹ fail N`. */
function nodeTestCounts(output: string, code: number): Counts {
  const pass = /ℹ pass (\d+)/.exec(output);
  const fail = /ℹ fail (\d+)/.exec(output);
  const cancelled = /ℹ cancelled (\d+)/.exec(output);
  if (!pass || !fail) return { passed: 0, failed: 1 };
  const failed = Number(fail[1]) + Number(cancelled?.[1] ?? 0);
  // A non-zero exit with no failing test (e.g. a crash at import) still counts as a failure.
  return { passed: Number(pass[1]), failed: failed === 0 && code !== 0 ? 1 : failed };
}

/** Node 20's `--test` takes no globs, so the files are listed here. */
function testFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => join(dir, file))
    .sort();
}

const npx = 'npx';
const stages: Array<{ name: string; run: () => Promise<Counts> }> = [
  {
    name: 'typecheck',
    run: async () => ((await run(npx, ['tsc', '--noEmit', '-p', 'tsconfig.json'])).code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 }),
  },
  {
    name: 'lint',
    run: async () => ((await run(npx, ['eslint', '--max-warnings', '0', '.'])).code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 }),
  },
  {
    name: 'node tests',
    run: async () => {
      const r = await run(process.execPath, ['--import', 'tsx', '--test', '--test-timeout', '120000', '--test-reporter', 'spec', ...testFiles('test/node')]);
      return nodeTestCounts(r.output, r.code);
    },
  },
  {
    name: 'browser tests',
    run: async () => {
      const chromium = findChromium();
      if (!chromium) {
        console.error(CHROMIUM_MISSING);
        return { passed: 0, failed: 1 };
      }
      const countsFile = join(mkdtempSync(join(tmpdir(), 'embed-kit-')), 'wtr.json');
      const r = await run(npx, ['web-test-runner'], { CHROME_PATH: chromium, EMBED_KIT_COUNTS: countsFile });
      if (!existsSync(countsFile)) return { passed: 0, failed: 1 };
      const counts = JSON.parse(readFileSync(countsFile, 'utf8')) as Counts;
      return { passed: counts.passed, failed: counts.failed === 0 && r.code !== 0 ? 1 : counts.failed };
    },
  },
  {
    name: 'journeys',
    run: async () => {
      const chromium = findChromium();
      if (!chromium) {
        console.error(CHROMIUM_MISSING);
        return { passed: 0, failed: 1 };
      }
      // The Angular example keeps its own (heavy) install; a fresh clone gets it here, once.
      if (!existsSync('demo/angular/node_modules/@angular/build')) {
        console.log('Installing the Angular example (demo/angular, about 280 MB, once)…');
        await run('npm', ['--prefix', 'demo/angular', 'ci', '--no-audit', '--no-fund']);
      }
      const r = await run(
        process.execPath,
        ['--import', 'tsx', '--test', '--test-concurrency', '1', '--test-timeout', '180000', '--test-reporter', 'spec', ...testFiles('test/journeys')],
        { CHROME_PATH: chromium },
      );
      return nodeTestCounts(r.output, r.code);
    },
  },
];

// `npm test -- --stage journeys` runs one stage (still printing the total line).
const only = process.argv.includes('--stage') ? process.argv[process.argv.indexOf('--stage') + 1] : undefined;
const selected = only ? stages.filter((stage) => stage.name.startsWith(only)) : stages;

const total: Counts = { passed: 0, failed: 0 };
const lines: string[] = [];
for (const stage of selected) {
  console.log(`\n=== ${stage.name} ===`);
  const counts = await stage.run();
  total.passed += counts.passed;
  total.failed += counts.failed;
  lines.push(`${stage.name}: ${counts.passed} passed, ${counts.failed} failed`);
}
console.log('\n' + lines.join('\n'));
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed === 0 ? 0 : 1);
