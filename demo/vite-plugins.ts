/**
 * What vite needs to serve the framework demos, shared by `npm start` (vite.config.ts) and the
 * journeys (test/support/journey.ts): Vue SFCs under demo/vue, React's CommonJS packages
 * pre-bundled, `embed-kit/*` imports resolved to the sources, and the Angular demo's build
 * output served at /demo/angular/ (Angular compiles with its own CLI, not with vite).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import type { Plugin } from 'vite';
import { ANGULAR_INSTALL_COMMAND } from '../scripts/angular-demo.ts';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));

/** Every tag embed-kit registers; Vue must leave them to the browser. */
export const EMBED_KIT_TAGS: readonly string[] = ['auth-login', 'qlik-dashboard', 'qlik-object'];

/** `embed-kit` entry points as a user imports them, mapped to this checkout's sources. */
export const EMBED_KIT_SOURCES: Readonly<Record<string, string>> = {
  'embed-kit': 'src/index.ts',
  'embed-kit/define': 'src/define.ts',
  'embed-kit/react': 'src/react/index.ts',
};

/** Where `npm start` has the Angular CLI write the demo (`ng build --output-path`). */
export const ANGULAR_DEMO_OUTPUT = join(repoRoot, 'demo/angular/dist');
export const ANGULAR_DEMO_PATH = '/demo/angular/';

/** The demos import `embed-kit/react` like an app would; here that means the sources. */
export function embedKitSources(): Plugin {
  return {
    name: 'embed-kit:sources',
    config: () => ({
      resolve: {
        alias: Object.entries(EMBED_KIT_SOURCES).map(([find, path]) => ({
          find: new RegExp(`^${find.replace('/', '\\/')}$`),
          replacement: join(repoRoot, path),
        })),
      },
    }),
  };
}

/** Vue SFCs of demo/vue, with our tags treated as custom elements rather than Vue components. */
export function vueDemo(): Plugin {
  return vue({
    include: [/[\\/]demo[\\/]vue[\\/].*\.vue$/],
    template: { compilerOptions: { isCustomElement: (tag) => EMBED_KIT_TAGS.includes(tag) } },
  });
}

/**
 * The demos' framework packages, pre-bundled up front: React ships CommonJS, which the browser
 * cannot load as is, and a dependency vite finds late makes it reload the page, mid-sign-in.
 */
export function frameworkDependencies(): Plugin {
  return {
    name: 'embed-kit:framework-dependencies',
    config: () => ({
      optimizeDeps: { include: ['react', 'react/jsx-runtime', 'react/jsx-dev-runtime', 'react-dom', 'react-dom/client', 'vue'] },
    }),
  };
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

function notBuiltPage(outputDir: string): string {
  const installed = existsSync(join(repoRoot, 'demo/angular/node_modules'));
  const what = installed
    ? 'The Angular demo is still building (or its build failed: see the terminal running <code>npm start</code>). This page reloads itself.'
    : `The Angular demo has its own install. Run <code>${ANGULAR_INSTALL_COMMAND}</code>, then restart <code>npm start</code>.`;
  const reload = installed ? '<meta http-equiv="refresh" content="2">' : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">${reload}<title>Angular demo not built</title></head><body><p>${what}</p><p>Looked for <code>${outputDir}/browser/index.html</code>.</p></body></html>`;
}

/**
 * Serves an Angular CLI build (`<outputDir>/browser`) at /demo/angular/. Files are read on each
 * request, so a rebuild (`ng build --watch`) shows on reload. Unknown paths get index.html, as
 * the OAuth callback (`/demo/angular/?code=…`) must.
 */
export function angularDemo(outputDir: string = ANGULAR_DEMO_OUTPUT): Plugin {
  const browserDir = join(outputDir, 'browser');
  return {
    name: 'embed-kit:angular-demo',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        if (url.pathname === ANGULAR_DEMO_PATH.slice(0, -1)) {
          res.statusCode = 301;
          res.setHeader('location', ANGULAR_DEMO_PATH + url.search);
          res.end();
          return;
        }
        if (!url.pathname.startsWith(ANGULAR_DEMO_PATH)) return next();
        const index = join(browserDir, 'index.html');
        if (!existsSync(index)) {
          res.statusCode = 503;
          res.setHeader('content-type', CONTENT_TYPES['.html'] ?? 'text/html');
          res.end(notBuiltPage(outputDir));
          return;
        }
        let relativePath: string;
        try {
          relativePath = decodeURIComponent(url.pathname.slice(ANGULAR_DEMO_PATH.length));
        } catch {
          relativePath = '';
        }
        const candidate = normalize(join(browserDir, relativePath));
        const inside = candidate.startsWith(browserDir + sep);
        const file = inside && existsSync(candidate) && statSync(candidate).isFile() ? candidate : index;
        res.setHeader('content-type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
        res.setHeader('cache-control', 'no-store');
        res.end(readFileSync(file));
      });
    },
  };
}

/** Everything above, for serving only (the library build needs none of it). */
export function frameworkDemos(options: { angularOutput?: string } = {}): Plugin[] {
  return [embedKitSources(), vueDemo(), frameworkDependencies(), angularDemo(options.angularOutput)].map((plugin) => ({ ...plugin, apply: 'serve' as const }));
}
