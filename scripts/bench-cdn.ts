/**
 * The CDN script (`dist/embed-kit.js` and its chunks in `dist/cdn/`), built from the current sources: for
 * `npm run bench` (its size, raw and gzipped) and for the journeys that load it in a page.
 *
 * Run alone: `node --import tsx scripts/bench-cdn.ts`.
 */
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'vite';
import { repoRoot } from './manifest.ts';

export const CDN_FILE = 'embed-kit.js';

/**
 * Builds the bundle exactly as `npm run build` does (`vite build --mode cdn`), but into `outDir`,
 * so nothing in dist/ changes. `version` stamps another version into the copy, to load two
 * different versions on one page. Returns the file's path.
 */
export async function buildCdnBundle(outDir: string, options: { version?: string } = {}): Promise<string> {
  const plugins: Plugin[] = [];
  if (options.version) {
    const version = options.version;
    plugins.push({
      name: 'embed-kit:stamp-version',
      transform(code, id) {
        if (!id.endsWith('/src/version.ts')) return null;
        // The TypeScript transform may already have run and changed the quotes.
        const stamped = code.replace(/export const VERSION = (['"])[^'"]*\1/, `export const VERSION = ${JSON.stringify(version)}`);
        if (stamped === code) throw new Error('src/version.ts no longer declares `export const VERSION = "…"`.');
        return stamped;
      },
    });
  }
  await build({
    configFile: join(repoRoot, 'vite.config.ts'),
    root: repoRoot,
    mode: 'cdn',
    logLevel: 'silent',
    plugins,
    // Never empty it: outDir may be dist/, next to the library build.
    build: { outDir, emptyOutDir: false },
  });
  return join(outDir, CDN_FILE);
}

/** Newest modification time under a directory, in ms. */
async function newestChange(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const times = await Promise.all(entries.filter((e) => e.isFile()).map(async (e) => (await stat(join(e.parentPath, e.name))).mtimeMs));
  return Math.max(0, ...times);
}

/**
 * `npm start` serves the no-build demos (demo/plain, demo/cms) `dist/embed-kit.js`: build it
 * when it is missing or older than the sources. Returns whether it built.
 */
export async function ensureCdnBundle(): Promise<boolean> {
  const file = join(repoRoot, 'dist', CDN_FILE);
  const built = await stat(file).then((s) => s.mtimeMs, () => 0);
  if (built > (await newestChange(join(repoRoot, 'src')))) return false;
  await buildCdnBundle(join(repoRoot, 'dist'));
  return true;
}

export interface CdnLoad {
  /** The script and the chunks it imports statically: what a page downloads before `<auth-login>` works. */
  firstLoad: { files: number; bytes: number; gzip: number };
  /** Every file, the lazy chunks included. */
  all: { files: number; bytes: number; gzip: number };
}

/** Relative static imports (`import … from "./x.js"`, `import "./x.js"`) of a built file, not `import()`. */
export function staticImports(code: string): string[] {
  return [...code.matchAll(/\bimport\s*(?:[\w*{$][^;()]*?from\s*)?["'`](\.{1,2}\/[^"'`]+)["'`]/g)].map((m) => m[1] ?? '');
}

/** Bytes of the CDN files as served, and gzipped (level 9) as a CDN would send them. */
export async function measureCdnBundle(): Promise<CdnLoad> {
  const outDir = await mkdtemp(join(tmpdir(), 'embed-kit-cdn-'));
  try {
    const entry = await buildCdnBundle(outDir);
    const sizes = async (files: string[]) => {
      const codes = await Promise.all(files.map((file) => readFile(file)));
      return { files: files.length, bytes: codes.reduce((s, c) => s + c.length, 0), gzip: codes.reduce((s, c) => s + gzipSync(c, { level: 9 }).length, 0) };
    };
    const first = new Set<string>();
    const visit = async (file: string): Promise<void> => {
      if (first.has(file)) return;
      first.add(file);
      for (const specifier of staticImports(await readFile(file, 'utf8'))) await visit(join(dirname(file), specifier));
    };
    await visit(entry);
    const chunks = (await readdir(join(outDir, 'cdn'))).filter((f) => f.endsWith('.js')).map((f) => join(outDir, 'cdn', f));
    return { firstLoad: await sizes([...first]), all: await sizes([entry, ...chunks]) };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { firstLoad, all } = await measureCdnBundle();
  console.log(`CDN first load (dist/${CDN_FILE} and its static imports, ${firstLoad.files} files): ${(firstLoad.gzip / 1024).toFixed(1)} kB gzipped; all ${all.files} files ${(all.gzip / 1024).toFixed(1)} kB`);
}
