/**
 * The package as users get it, for `npm run bench`: builds and packs embed-kit, installs the
 * tarball into the cached Vite vanilla-ts app (test/consumers), builds two pages there with the
 * app's own Vite (an `<auth-login>`-only page and a `<qlik-dashboard>` page), and reports what
 * each loads up front and lazily; plus the footprint of a browser-only install.
 *
 * Run alone: `node --import tsx scripts/bench-consumers.ts`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { CONSUMER_APPS } from '../test/consumers/apps.ts';
import { installedPackages } from '../test/consumers/install.ts';
import { cachedTemplate, freshCopy, mustRun, runDirectory } from '../test/consumers/scaffold.ts';
import { staticImports } from './bench-cdn.ts';
import { repoRoot } from './manifest.ts';

export const AUTH_PAGE_BUDGET_GZIP = 15 * 1024;
export const DASHBOARD_PAGE_BUDGET_GZIP = 30 * 1024;

export interface PageSizes {
  /** gzip bytes of the entry and every chunk it imports statically. */
  initial: number;
  /** gzip bytes of everything else the page may import later. */
  lazy: number;
  lazyChunks: Array<{ file: string; gzip: number }>;
}

export interface ConsumerBench {
  auth: PageSizes;
  dashboard: PageSizes;
  install: { packages: number; bytes: number };
}

const PAGES: Record<string, string> = {
  auth: "import 'embed-kit/define/auth-login';\n",
  dashboard: "import 'embed-kit/define/auth-login';\nimport 'embed-kit/define/qlik-dashboard';\n",
};

const dynamicImports = (code: string) => [...code.matchAll(/\bimport\(\s*["'`](\.{1,2}\/[^"'`]+)["'`]\s*\)/g)].map((m) => m[1] ?? '');

/**
 * What a built page loads: its module script and everything that imports statically (initial),
 * then what those reach through `import()` (lazy). Read from the HTML and the chunks themselves.
 */
export function pageSizes(dist: string, page: string): PageSizes {
  const html = readFileSync(join(dist, page), 'utf8');
  const scripts = [...html.matchAll(/<script type="module"[^>]*src="\/([^"]+)"/g)].map((m) => m[1] ?? '');
  const gzip = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  const initial = new Set<string>();
  const visit = (file: string, into: Set<string>, also: (code: string) => string[]): void => {
    if (initial.has(file) || into.has(file)) return;
    into.add(file);
    const code = readFileSync(join(dist, file), 'utf8');
    for (const specifier of [...staticImports(code), ...also(code)]) visit(posix.join(posix.dirname(file), specifier), into, also);
  };
  for (const script of scripts) visit(script, initial, () => []);
  const lazy = new Set<string>();
  for (const file of initial) for (const specifier of dynamicImports(readFileSync(join(dist, file), 'utf8'))) visit(posix.join(posix.dirname(file), specifier), lazy, dynamicImports);
  const lazyChunks = [...lazy].map((file) => ({ file, gzip: gzip(file) }));
  return { initial: [...initial].reduce((sum, file) => sum + gzip(file), 0), lazy: lazyChunks.reduce((sum, c) => sum + c.gzip, 0), lazyChunks };
}

export async function benchConsumers(): Promise<ConsumerBench> {
  const run = runDirectory();
  try {
    await mustRun('npm run build', 'npm', ['run', 'build'], { cwd: repoRoot });
    const packed = await mustRun('npm pack', 'npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', run], { cwd: repoRoot });
    const tarball = join(run, (JSON.parse(packed.slice(packed.indexOf('['))) as Array<{ filename: string }>)[0]?.filename ?? '');
    const vanilla = CONSUMER_APPS.find((app) => app.name === 'vite-vanilla-ts');
    if (!vanilla) throw new Error('test/consumers/apps.ts has no vite-vanilla-ts app');
    const app = await freshCopy(await cachedTemplate(vanilla, tarball, join(repoRoot, 'package.json')), run, 'pages', tarball);
    for (const [name, code] of Object.entries(PAGES)) {
      writeFileSync(join(app, `${name}.html`), `<!doctype html>\n<script type="module" src="/src/${name}.ts"></script>\n<auth-login></auth-login>\n`);
      writeFileSync(join(app, 'src', `${name}.ts`), code);
    }
    writeFileSync(
      join(app, 'vite.config.ts'),
      "import { defineConfig } from 'vite';\nexport default defineConfig({ build: { rollupOptions: { input: { auth: 'auth.html', dashboard: 'dashboard.html' } } } });\n",
    );
    await mustRun('vite build', 'npx', ['vite', 'build'], { cwd: app });
    const dist = join(app, 'dist');

    const browserOnly = join(run, 'browser-only');
    mkdirSync(browserOnly);
    writeFileSync(join(browserOnly, 'package.json'), JSON.stringify({ name: 'browser-only', private: true }));
    await mustRun('npm install', 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: browserOnly });
    const packages = installedPackages(join(browserOnly, 'node_modules'));
    return {
      auth: pageSizes(dist, 'auth.html'),
      dashboard: pageSizes(dist, 'dashboard.html'),
      install: { packages: packages.length, bytes: packages.reduce((sum, p) => sum + p.bytes, 0) },
    };
  } finally {
    rmSync(run, { recursive: true, force: true });
  }
}

export function formatConsumerBench(bench: ConsumerBench): string[] {
  const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
  const verdict = (ok: boolean) => (ok ? 'OK' : 'OVER BUDGET');
  const lazy = (page: PageSizes) => page.lazyChunks.map((c) => `${c.file.replace(/^assets\//, '')} ${kB(c.gzip)}`).join(', ');
  return [
    `consumer Vite build, <auth-login>-only page (embed-kit/define/auth-login): ${kB(bench.auth.initial)} gzip initial JS (budget ${kB(AUTH_PAGE_BUDGET_GZIP)}) ${verdict(bench.auth.initial <= AUTH_PAGE_BUDGET_GZIP)}; ${kB(bench.auth.lazy)} lazy`,
    `  lazy: ${lazy(bench.auth)}`,
    `consumer Vite build, <qlik-dashboard> page (+ auth-login): ${kB(bench.dashboard.initial)} gzip initial JS (budget ${kB(DASHBOARD_PAGE_BUDGET_GZIP)}) ${verdict(bench.dashboard.initial <= DASHBOARD_PAGE_BUDGET_GZIP)}; ${kB(bench.dashboard.lazy)} lazy`,
    `  lazy: ${lazy(bench.dashboard)}`,
    `browser-only install of the tarball: ${bench.install.packages} packages, ${(bench.install.bytes / 1024 / 1024).toFixed(1)} MB (was 64 packages, 19 MB)`,
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of formatConsumerBench(await benchConsumers())) console.log(line);
}
