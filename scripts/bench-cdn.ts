/**
 * The single-file CDN bundle (`dist/embed-kit.js`), built from the current sources: for
 * `npm run bench` (its size, raw and gzipped) and for the journeys that load it in a page.
 *
 * Run alone: `node --import tsx scripts/bench-cdn.ts`.
 */
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** Bytes of the bundle as served, and gzipped (level 9) as a CDN would send it. */
export async function measureCdnBundle(): Promise<{ bytes: number; gzip: number }> {
  const outDir = await mkdtemp(join(tmpdir(), 'embed-kit-cdn-'));
  try {
    const code = await readFile(await buildCdnBundle(outDir));
    return { bytes: code.length, gzip: gzipSync(code, { level: 9 }).length };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { bytes, gzip } = await measureCdnBundle();
  console.log(`CDN bundle (dist/${CDN_FILE}): ${(bytes / 1024).toFixed(1)} kB, ${(gzip / 1024).toFixed(1)} kB gzipped`);
}
