/** Builds an entry with vite (minified, everything bundled) and measures it, for `npm run bench`. */
import { gzipSync } from 'node:zlib';
import { build, type Rolldown } from 'vite';

export interface BundleSize {
  /** Bytes of minified JavaScript across every chunk. */
  minified: number;
  /** Bytes after gzip -9, chunk by chunk, summed. */
  gzip: number;
  /** Per-chunk sizes, so lazy chunks can be told apart from the entry. */
  chunks: Array<{ name: string; isEntry: boolean; isDynamicEntry: boolean; minified: number; gzip: number }>;
}

export async function measureBundle(entry: string): Promise<BundleSize> {
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      // An app build, not lib mode: lib mode keeps whitespace in ES output, and a page author's
      // bundler or our CDN build minifies fully.
      rollupOptions: { input: entry, output: { format: 'es', entryFileNames: 'entry.js' }, preserveEntrySignatures: 'strict' },
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
