/** Builds an entry with vite (minified, everything bundled) and measures it, for `npm run bench`. */
import { gzipSync } from 'node:zlib';
import { build, type Rolldown } from 'vite';

export interface BundleSize {
  /** Bytes of minified JavaScript across every chunk. */
  minified: number;
  /** Bytes after gzip -9, chunk by chunk, summed. */
  gzip: number;
  /** Per-chunk sizes, so lazy chunks can be told apart from the entry. */
  chunks: BundleChunk[];
}

export interface BundleChunk {
  name: string;
  isEntry: boolean;
  isDynamicEntry: boolean;
  /** File names of the chunks this one imports statically: they load with it. */
  imports: string[];
  minified: number;
  gzip: number;
}

/**
 * What a page downloads before anything runs: the entry chunks and every chunk they import
 * statically, however indirectly (shared chunks the bundler split out load up front too).
 * Everything else is loaded on demand, through `import()`.
 */
export function upFrontChunks(bundle: BundleSize): BundleChunk[] {
  const byName = new Map(bundle.chunks.map((chunk) => [chunk.name, chunk]));
  const found = new Set<BundleChunk>();
  const visit = (chunk: BundleChunk | undefined): void => {
    if (!chunk || found.has(chunk)) return;
    found.add(chunk);
    for (const name of chunk.imports) visit(byName.get(name));
  };
  for (const chunk of bundle.chunks) if (chunk.isEntry) visit(chunk);
  return bundle.chunks.filter((chunk) => found.has(chunk));
}

export async function measureBundle(entry: string): Promise<BundleSize> {
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      // Built as a page author's app build would be: fully minified (lib mode keeps whitespace in
      // ES output), and modules shared with lazy chunks may live in the entry (`false`, vite's
      // app default). Forcing them into chunks of their own costs about 0.4 kB more up front.
      rollupOptions: { input: entry, output: { format: 'es', entryFileNames: 'entry.js' }, preserveEntrySignatures: false },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunks = outputs
    .flatMap((output) => output.output)
    .filter((item): item is Rolldown.OutputChunk => item.type === 'chunk')
    .map((chunk) => {
      const code = Buffer.from(chunk.code);
      return {
        name: chunk.fileName,
        isEntry: chunk.isEntry,
        isDynamicEntry: chunk.isDynamicEntry,
        imports: chunk.imports,
        minified: code.length,
        gzip: gzipSync(code, { level: 9 }).length,
      };
    });
  return {
    minified: chunks.reduce((sum, c) => sum + c.minified, 0),
    gzip: chunks.reduce((sum, c) => sum + c.gzip, 0),
    chunks,
  };
}
