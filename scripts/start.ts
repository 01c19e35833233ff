/**
 * `npm start`: the dev tenant and the vite demo together. With QLIK_HOST set, the demo talks
 * to that real tenant instead and no dev tenant starts.
 */
import { createServer, type PluginOption } from 'vite';

const realHost = process.env.QLIK_HOST;
const closers: Array<() => Promise<void>> = [];
/** Extra dev-server behaviour: the toy backend of /demo/backend/, when the dev tenant runs. */
const plugins: PluginOption[] = [];

if (realHost) {
  if (!process.env.QLIK_CLIENT_ID) {
    console.error('QLIK_HOST is set but QLIK_CLIENT_ID is not. Create an OAuth SPA client in the tenant and pass its id.');
    process.exit(1);
  }
  console.log(`Using the real tenant ${realHost} with client ${process.env.QLIK_CLIENT_ID}.`);
} else {
  const { startDevTenant } = await import('../src/dev-tenant/public.ts');
  const port = Number(process.env.DEV_TENANT_PORT ?? 8787);
  const tenant = await startDevTenant({ port });
  closers.push(() => tenant.close());
  process.env.QLIK_HOST = tenant.url;
  process.env.QLIK_CLIENT_ID = 'embed-kit-demo';
  console.log(`Dev tenant (OAuth + QIX engine) on ${tenant.url}`);
  // The backend demo's toy site: its own sign-in, and Qlik tokens by user impersonation.
  const { toyBackendPlugin } = await import('../demo/backend/toy-backend.ts');
  plugins.push(toyBackendPlugin({ tenantUrl: tenant.url }));
}

// demo/plain and demo/cms load the CDN bundle with a plain script tag, as a CMS page would.
{
  const { ensureCdnBundle } = await import('./bench-cdn.ts');
  if (await ensureCdnBundle()) console.log('Built dist/embed-kit.js for demo/plain and demo/cms (rebuilt on the next start when src/ changes).');
  // Those pages carry the dev tenant's defaults as attributes; demo/tenant-override.js applies this.
  const demoTenant = JSON.stringify({ host: process.env.QLIK_HOST, clientId: process.env.QLIK_CLIENT_ID, appId: process.env.QLIK_APP_ID });
  plugins.push({
    name: 'embed-kit:demo-tenant',
    transformIndexHtml: () => [{ tag: 'script', children: `window.__EMBED_KIT_DEMO__ = ${demoTenant.replace(/</g, '\\u003c')};`, injectTo: 'head-prepend' }],
  });
}

const vite = await createServer({ configFile: 'vite.config.ts', plugins });
await vite.listen();
closers.push(() => vite.close());
const url = vite.resolvedUrls?.local[0] ?? 'http://localhost:5173/';
console.log(`\n  embed-kit demo: open ${url}\n`);
console.log(`  Vue: ${new URL('demo/vue/', url).href}   React: ${new URL('demo/react/', url).href}\n`);

// The Angular demo compiles with its own CLI and install (demo/angular); vite serves its output.
{
  const { ANGULAR_INSTALL_COMMAND, angularInstalled, watchAngularDemo } = await import('./angular-demo.ts');
  const { ANGULAR_DEMO_OUTPUT } = await import('../demo/vite-plugins.ts');
  if (angularInstalled()) {
    const { QLIK_HOST, QLIK_CLIENT_ID, QLIK_APP_ID } = process.env;
    const ng = watchAngularDemo({ outputPath: ANGULAR_DEMO_OUTPUT, settings: { QLIK_HOST, QLIK_CLIENT_ID, QLIK_APP_ID } });
    closers.push(() => new Promise<void>((resolve) => (ng.exitCode === null ? ng.once('exit', () => resolve()).kill() : resolve())));
    console.log(`  Angular: ${new URL('demo/angular/', url).href} (ng build --watch into demo/angular/dist; ready when it says so)\n`);
  } else {
    console.log(`  Angular: not installed; it has its own packages. Run \`${ANGULAR_INSTALL_COMMAND}\` and start again.\n`);
  }
}
if (plugins.length) console.log(`  tokens from a backend (user impersonation): open ${new URL('demo/backend/', url).href}\n`);

const stop = async (): Promise<void> => {
  await Promise.allSettled(closers.map((close) => close()));
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
