/**
 * `node --import tsx src/dev-tenant/cli.ts [--port 8787] [--hostname 127.0.0.1]`
 *
 * Starts the dev tenant and prints its URL, users and clients. The port can also come from
 * `DEV_TENANT_PORT`. Stops on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_PORT, startDevTenant } from './public.ts';
import { usernameOf } from './users.ts';

const USAGE = `usage: dev-tenant [--port N] [--hostname HOST]
  --port      port to listen on (default: $DEV_TENANT_PORT or ${DEFAULT_PORT}; 0 picks a free one)
  --hostname  interface to bind (default: 127.0.0.1)`;

function parsePort(value: string, from: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    console.error(`dev-tenant: ${from} must be a port number (0-65535), not ${JSON.stringify(value)}\n${USAGE}`);
    process.exit(2);
  }
  return port;
}

async function main(): Promise<void> {
  let values: { port?: string; hostname?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', short: 'p' },
        hostname: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    console.error(`dev-tenant: ${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = values.port !== undefined
    ? parsePort(values.port, '--port')
    : process.env['DEV_TENANT_PORT']
      ? parsePort(process.env['DEV_TENANT_PORT'], 'DEV_TENANT_PORT')
      : DEFAULT_PORT;

  let tenant;
  try {
    tenant = await startDevTenant({ port, ...(values.hostname ? { hostname: values.hostname } : {}) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(`dev-tenant: port ${port} is in use. Stop whatever holds it, or pick another with --port N (or DEV_TENANT_PORT).`);
      process.exit(1);
    }
    throw err;
  }

  console.log(`dev tenant listening on ${tenant.url}`);
  console.log('users (pick one on the login page):');
  for (const user of tenant.users) {
    const access = user.apps !== undefined && user.apps !== '*' && user.apps.length === 0 ? '  [no app access]' : '';
    console.log(`  ${usernameOf(user).padEnd(8)} ${user.name}  subject=${user.subject}  id=${user.id}${access}`);
  }
  console.log('clients:');
  for (const client of tenant.clients) {
    // Dev-only secrets, printed so that a backend can be configured from this output.
    const secret = client.client_secret ? `  secret=${client.client_secret}` : '  (public, PKCE)';
    console.log(`  ${client.client_id}  grants=${(client.grant_types ?? ['authorization_code']).join(',')}${secret}`);
  }

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`dev tenant: ${signal}, closing`);
    tenant.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error('dev-tenant failed to start:', err);
  process.exit(1);
});
