/**
 * The package as users get it. Builds and packs embed-kit, then:
 * - a browser-only install of the tarball: no server-only package in it, every browser entry
 *   point imports in Node without throwing, and `embed-kit/dev-tenant` names what to install;
 * - fresh apps from the registry (Vite vanilla-ts, vue-ts, react-ts; Next.js App Router; Angular
 *   with strictTemplates), each made of the README's snippets, installing the tarball, passing
 *   its framework's type check and production build; each built site, served on 127.0.0.1,
 *   signs in against the dev tenant in Chromium and shows the KPI.
 *
 * Generated apps and their installs are cached outside the repository (test/consumers/scaffold.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startDevTenant, SAMPLE_APP_ID, type DevTenant } from '../../src/dev-tenant/public.ts';
import { journeyClient } from '../support/dev-tenant.ts';
import { launchChromium, repoRoot, signInOnDevTenant } from '../support/journey.ts';
import { eventually, expectedSales, money } from '../support/qlik-journey.ts';
import { CONSUMER_APPS, fillPlaceholders, readmeNebulaInstall, readmeSnippets, type ConsumerApp } from './apps.ts';
import { browserEntryPoints, installedPackages, SERVER_ONLY_PACKAGES } from './install.ts';
import { cachedTemplate, exec, freshCopy, mustRun, runDirectory } from './scaffold.ts';
import { startStaticServer, type StaticServer } from './static-server.ts';

const CLIENT_ID = 'consumer-spa';
/** `EMBED_KIT_CONSUMER_APPS=vite-vue-ts,next-app` runs only those apps (while working on one). */
const only = process.env.EMBED_KIT_CONSUMER_APPS?.split(',');
const APPS = CONSUMER_APPS.filter((app) => !only || only.includes(app.name));
const runDir = runDirectory();
const packageJson = join(repoRoot, 'package.json');
let tarball = '';
let tenant: DevTenant | undefined;
let browser: Browser | undefined;
const servers = new Map<string, StaticServer>();
const builds = new Map<string, Promise<BuiltApp>>();

interface BuiltApp {
  dir: string;
  output: string;
  log: string;
}

/** At most `n` of the jobs run at once (the builds share 2 cores). */
function limiter(n: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (job) => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await job();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}

async function buildApp(app: ConsumerApp, host: string): Promise<BuiltApp> {
  const template = await cachedTemplate(app, tarball, packageJson);
  const dir = await freshCopy(template, runDir, app.name, tarball);
  const snippets = readmeSnippets(join(repoRoot, 'README.md')).filter((s) => s.app === app.name);
  assert.ok(snippets.length > 0, `the README has snippets for ${app.name}`);
  for (const snippet of snippets) {
    mkdirSync(dirname(join(dir, snippet.file)), { recursive: true });
    writeFileSync(join(dir, snippet.file), fillPlaceholders(snippet.code, { host, clientId: CLIENT_ID, appId: SAMPLE_APP_ID }));
  }
  for (const [file, content] of Object.entries(app.extraFiles ?? {})) writeFileSync(join(dir, file), content);
  for (const [file, edit] of Object.entries(app.edits ?? {})) {
    const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
    edit(json);
    writeFileSync(join(dir, file), JSON.stringify(json, null, 2));
  }
  let log = '';
  for (const [cmd = 'npm', ...args] of app.build) log += await mustRun(`${app.name}: ${[cmd, ...args].join(' ')}`, cmd, args, { cwd: dir, timeoutMs: 400_000 });
  return { dir, output: join(dir, app.output), log };
}

before(async () => {
  await mustRun('npm run build', 'npm', ['run', 'build'], { cwd: repoRoot });
  const packed = await mustRun('npm pack', 'npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', runDir], { cwd: repoRoot });
  tarball = join(runDir, (JSON.parse(packed.slice(packed.indexOf('['))) as Array<{ filename: string }>)[0]!.filename);
  // Before the app builds start: alone it takes seconds, next to them minutes.
  const browserOnly = join(runDir, 'browser-only');
  mkdirSync(browserOnly);
  writeFileSync(join(browserOnly, 'package.json'), JSON.stringify({ name: 'browser-only', private: true, type: 'module' }));
  await mustRun('installing the tarball alone', 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: browserOnly, timeoutMs: 300_000 });
  for (const app of APPS) servers.set(app.name, await startStaticServer());
  const origins = [...servers.values()].map((server) => server.origin);
  tenant = await startDevTenant({ port: 0, clients: [journeyClient(origins.map((origin) => `${origin}/`), CLIENT_ID)], trustedOrigins: origins });
  const limit = limiter(2);
  for (const app of APPS) {
    const build = limit(() => buildApp(app, tenant!.url));
    build.catch(() => undefined); // reported by the app's own test
    builds.set(app.name, build);
  }
  browser = await launchChromium();
});

after(async () => {
  await Promise.allSettled([...builds.values()]);
  await browser?.close();
  await tenant?.close();
  await Promise.all([...servers.values()].map((server) => server.close()));
  rmSync(runDir, { recursive: true, force: true });
});

describe('a browser-only install of the tarball', () => {
  const dir = join(runDir, 'browser-only');

  test('has no server-only package (dev tenant, server, React types)', () => {
    const names = installedPackages(join(dir, 'node_modules')).map((p) => p.name);
    assert.ok(names.includes('embed-kit') && names.includes('lit') && names.includes('enigma.js'), `the browser dependencies are there: ${names.join(', ')}`);
    assert.deepEqual(names.filter((name) => SERVER_ONLY_PACKAGES.includes(name)), []);
  });

  test('every browser entry point imports in Node without throwing (server-side rendering)', async () => {
    const entries = browserEntryPoints(JSON.parse(readFileSync(join(dir, 'node_modules/embed-kit/package.json'), 'utf8')) as { exports: Record<string, unknown> });
    assert.ok(entries.includes('embed-kit/cdn') && entries.includes('embed-kit/define/auth-login'), entries.join(', '));
    const failures: string[] = [];
    for (const entry of entries) {
      const result = await exec(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(entry)});`], { cwd: dir });
      // Node prints the failing source line first; the error itself is the line that names it.
      const error = result.output.split('\n').find((line) => /^\w*Error\b/.test(line)) ?? result.output.slice(-300);
      if (result.code !== 0) failures.push(`${entry}: ${error}`);
    }
    assert.deepEqual(failures, []);
  });

  test('embed-kit/dev-tenant without its optional peers is a typed error naming them', async () => {
    const code = "try { await import('embed-kit/dev-tenant'); } catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, missing: e.missing, hint: e.hint })); }";
    const result = await exec(process.execPath, ['--input-type=module', '-e', code], { cwd: dir });
    const error = JSON.parse(result.output.trim().split('\n').at(-1) ?? '{}') as { name?: string; code?: string; missing?: string[]; hint?: string };
    assert.equal(error.name, 'MissingPeerDependencyError', result.output);
    assert.equal(error.code, 'missing_peer_dependency');
    assert.deepEqual(error.missing, ['oidc-provider', 'ws']);
    assert.match(error.hint ?? '', /npm install --save-dev oidc-provider ws/);
  });
});

describe("the README's nebula.js install", () => {
  test('with its overrides block, stardust and the sn-* charts install next to the tarball with every peer satisfied', async () => {
    const { overrides, packages } = readmeNebulaInstall(join(repoRoot, 'README.md'));
    assert.ok(packages.includes('@nebula.js/stardust') && packages.includes('@nebula.js/sn-pivot-table'), packages.join(' '));
    const dir = join(runDir, 'nebula-install');
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'nebula-install', private: true, type: 'module', overrides }));
    // Without the block, npm stops here with ERESOLVE (sn-table and sn-pivot-table ask for stardust ^4.6.2).
    await mustRun("the README's nebula install", 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, ...packages], { cwd: dir, timeoutMs: 120_000 });
    // `npm ls` fails on any peer the tree does not satisfy, embed-kit's own stardust range included.
    const tree = await exec('npm', ['ls', '--all', '@nebula.js/stardust'], { cwd: dir });
    assert.equal(tree.code, 0, tree.output);
    assert.doesNotMatch(tree.output, /invalid|UNMET/, tree.output);
  });
});

describe('fresh apps from the registry, built from the tarball, sign in and show the KPI', () => {
  for (const app of APPS) {
    test(app.name, async (t) => {
      const built = await builds.get(app.name)!;
      // The app got embed-kit from the tarball, not from this repository.
      const installed = join(built.dir, 'node_modules/embed-kit');
      assert.ok(lstatSync(installed).isDirectory() && !lstatSync(installed).isSymbolicLink(), 'embed-kit is installed, not linked');
      assert.ok(existsSync(join(installed, 'dist/define/auth-login.js')) && !existsSync(join(installed, 'src')), 'from the packed files');
      assert.doesNotMatch(built.log, /is not ESM|CommonJS or AMD dependencies/, 'no CommonJS warnings');

      const server = servers.get(app.name)!;
      server.root = built.output;
      const context = await browser!.newContext();
      // Every address a script writes (history.pushState/replaceState), so that a response put
      // back after the kit removed it is seen whenever it happens, not only if it is still there at the end.
      await context.addInitScript(() => {
        const written: Array<{ url: string; at: number }> = [];
        (globalThis as { addressWrites?: typeof written }).addressWrites = written;
        for (const name of ['pushState', 'replaceState'] as const) {
          const original = history[name];
          history[name] = function (this: History, data: unknown, unused: string, url?: string | URL | null) {
            if (url !== undefined && url !== null) written.push({ url: new URL(url, location.href).href, at: Date.now() });
            return original.call(this, data, unused, url);
          };
        }
      });
      try {
        const page = await context.newPage();
        const problems: string[] = [];
        const said: string[] = [];
        page.on('console', (message) => {
          said.push(message.text());
          if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
        });
        page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
        const diagnose = async (error: unknown): Promise<never> => {
          const state = await page.evaluate(() => [...document.querySelectorAll('auth-login, qlik-object')].map((el) => `${el.localName} status=${el.getAttribute('status')}`));
          throw new Error(`${String(error)}\n  at ${page.url()}; ${state.join(', ')}\n  console: ${[...problems, ...said].join(' | ')}`);
        };
        // When the code exchange starts: from then on the code is used.
        let exchangedAt = Number.POSITIVE_INFINITY;
        page.on('request', (request) => {
          if (request.method() === 'POST' && request.url().endsWith('/oauth/token')) exchangedAt = Math.min(exchangedAt, Date.now());
        });
        await page.goto(`${server.origin}/`);
        await page.locator('auth-login[status="signed-out"]').waitFor({ timeout: 15_000 }).catch(diagnose);
        await signInOnDevTenant(page);
        await page.locator('auth-login[status="signed-in"]').waitFor({ timeout: 15_000 }).catch(diagnose);
        const total = money(expectedSales().total);
        // The React wrappers set object-id as a property, so no attribute to select on.
        const kpi = page.locator('qlik-object .kpi-value');
        await eventually(async () => (await kpi.count()) > 0 && (await kpi.textContent())?.trim() === total, `the KPI shows ${total}`, 15_000).catch(diagnose);
        assert.ok(said.some((line) => line.startsWith('signed in until ')), `the snippet's typed auth-signed-in listener ran: ${said.join(' | ')}`);
        assert.deepEqual(problems, [], 'no console errors or warnings');
        // Angular's Router reads the address at bootstrap and writes it back when its first navigation
        // ends; the kit takes the response out of the address before that (a reload would replay a used code).
        await t.test('the address bar no longer holds the authorization response, and nothing put it back', async () => {
          const response = (url: string) => ['code', 'state', 'iss'].filter((name) => new URL(url).searchParams.has(name));
          assert.deepEqual(response(page.url()), [], page.url());
          const written = await page.evaluate(() => (globalThis as { addressWrites?: Array<{ url: string; at: number }> }).addressWrites ?? []);
          const since = app.routerReadsAddressFirst ? exchangedAt : Number.NEGATIVE_INFINITY;
          const putBack = written.filter((write) => write.at >= since && response(write.url).length > 0);
          assert.ok(Number.isFinite(exchangedAt), 'the code was exchanged');
          assert.deepEqual(putBack, [], `addresses written: ${written.map((write) => write.url).join(' ')}`);
        });
      } finally {
        await context.close();
      }
    });
  }

  if (!APPS.some((app) => app.name === 'next-app')) return;
  test('next-app: embed-kit/react imports in Node, and in a Server Component says to use a client component', async () => {
    const built = await builds.get('next-app')!;
    const ssr = await exec(process.execPath, ['--input-type=module', '-e', "const m = await import('embed-kit/react'); console.log(typeof m.AuthLogin);"], { cwd: built.dir });
    assert.equal(ssr.code, 0, ssr.output);
    const server = await exec(process.execPath, ['--conditions=react-server', '--input-type=module', '-e', "await import('embed-kit/react');"], { cwd: built.dir });
    assert.notEqual(server.code, 0);
    assert.match(server.output, /must run as client components.*'use client'/);
  });
});
