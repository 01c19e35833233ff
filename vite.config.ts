import { defineConfig, type BuildEnvironmentOptions } from 'vite';
import { frameworkDemos } from './demo/vite-plugins.ts';

/** The npm entry points; their dependencies stay external. */
const libraryBuild: BuildEnvironmentOptions = {
  outDir: 'dist',
  emptyOutDir: true,
  target: 'es2022',
  sourcemap: true,
  lib: {
    entry: {
      index: 'src/index.ts',
      define: 'src/define.ts',
      'define/auth-login': 'src/define/auth-login.ts',
      'define/qlik-object': 'src/define/qlik-object.ts',
      'define/qlik-dashboard': 'src/define/qlik-dashboard.ts',
      auth: 'src/auth/index.ts',
      qlik: 'src/qlik/index.ts',
      react: 'src/react/index.ts',
      'renderers/qlik-embed': 'src/renderers/qlik-embed.ts',
      'renderers/nebula': 'src/renderers/nebula.ts',
      'cdn-node': 'src/cdn-node.ts',
    },
    formats: ['es'],
  },
  rollupOptions: {
    external: [/^lit($|\/)/, /^@lit\//, /^enigma\.js($|\/)/, /^d3-/, /^@qlik\//, /^@nebula\.js\//, /^react($|\/)/, /^jose($|\/)/],
    // The bundler drops module directives; the React wrappers must stay a client module for Next.js.
    output: { banner: (chunk) => (chunk.isEntry && chunk.name === 'react' ? "'use client';" : '') },
  },
};

/**
 * The CDN script a CMS author pastes in a script tag: `embed-kit.js`, with lit and `<auth-login>`
 * inlined, and its lazy parts (sign-in flows, the qlik elements, enigma.js, renderers) in `cdn/`
 * next to it, imported relative to the script's own URL. Nothing tree-shakes these files, so
 * they are minified.
 */
const cdnBuild: BuildEnvironmentOptions = {
  outDir: 'dist',
  emptyOutDir: false,
  target: 'es2022',
  lib: { entry: { 'embed-kit': 'src/cdn.ts' }, formats: ['es'] },
  rollupOptions: { output: { minify: true, chunkFileNames: 'cdn/[name]-[hash].js' } },
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
