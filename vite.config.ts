import { defineConfig, type BuildEnvironmentOptions } from 'vite';
import { frameworkDemos } from './demo/vite-plugins.ts';

/** The npm entry points; their dependencies stay external. */
const libraryBuild: BuildEnvironmentOptions = {
  outDir: 'dist',
  emptyOutDir: true,
  target: 'es2022',
  sourcemap: true,
  lib: {
    entry: { index: 'src/index.ts', define: 'src/define.ts', auth: 'src/auth/index.ts', qlik: 'src/qlik/index.ts', react: 'src/react/index.ts', 'renderers/qlik-embed': 'src/renderers/qlik-embed.ts', 'renderers/nebula': 'src/renderers/nebula.ts' },
    formats: ['es'],
  },
  rollupOptions: {
    external: [/^lit($|\/)/, /^@lit\//, /^enigma\.js($|\/)/, /^d3-/, /^@qlik\//, /^@nebula\.js\//, /^react($|\/)/, /^jose($|\/)/],
  },
};

/** One ES module a CMS author can paste in a script tag: everything inlined. */
const cdnBuild: BuildEnvironmentOptions = {
  outDir: 'dist',
  emptyOutDir: false,
  target: 'es2022',
  lib: { entry: { 'embed-kit': 'src/cdn.ts' }, formats: ['es'] },
  // Lazy chunks (renderers, enigma.js) are inlined: one file to host, one request to make. Lib
  // mode keeps whitespace for bundlers' tree-shaking; nothing tree-shakes this file, so minify it all.
  rollupOptions: { output: { codeSplitting: false, minify: true } },
};

/**
 * Two jobs: `vite` serves the demo (index.html and demo/), and `vite build` writes the library
 * into dist/ (`--mode cdn` writes the single-file bundle).
 */
export default defineConfig(({ mode }) => ({
  envPrefix: ['VITE_', 'QLIK_'],
  server: { host: 'localhost', port: 5173, strictPort: true },
  preview: { host: 'localhost', port: 5173, strictPort: true },
  optimizeDeps: { include: ['enigma.js'] },
  // Vue SFCs, React deps, `embed-kit/*` → src, and the Angular build at /demo/angular/ (serve only).
  plugins: frameworkDemos(),
  build: mode === 'cdn' ? cdnBuild : libraryBuild,
}));
