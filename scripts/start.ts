/**
 * `npm start`: the dev tenant and the vite demo together. With QLIK_HOST set, the demo talks
 * to that real tenant instead and no dev tenant starts.
 */
import { createServer } from 'vite';

const realHost = process.env.QLIK_HOST;
const closers: Array<() => Promise<void>> = [];

if (realHost) {
  if (!process.env.QLIK_CLIENT_ID) {
    console.error('QLIK_HOST is set but QLIK_CLIENT_ID is not. Create an OAuth SPA client in the tenant and pass its id.');
    process.exit(1);
  }
  console.log(`Using the real tenant ${realHost} with client ${process.env.QLIK_CLIENT_ID}.`);
} else {
  const { startDevTenant } = await import('../src/dev-tenant/index.ts');
  const port = Number(process.env.DEV_TENANT_PORT ?? 8787);
  const tenant = await startDevTenant({ port });
  closers.push(() => tenant.close());
  process.env.QLIK_HOST = tenant.url;
  process.env.QLIK_CLIENT_ID = 'embed-kit-demo';
  console.log(`Dev tenant (OAuth + QIX engine) on ${tenant.url}`);
}

const vite = await createServer({ configFile: 'vite.config.ts' });
await vite.listen();
closers.push(() => vite.close());
const url = vite.resolvedUrls?.local[0] ?? 'http://localhost:5173/';
console.log(`\n  embed-kit demo: open ${url}\n`);

const stop = async (): Promise<void> => {
  await Promise.allSettled(closers.map((close) => close()));
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
