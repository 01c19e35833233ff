/**
 * The package as a user gets it: generated files are current, `npm run build` fills every path
 * of the exports map, `npm pack` ships only what users need, publint finds nothing, and a
 * TypeScript project that installs the package sees typed tags and events.
 *
 * Runs the build once (about 20 s).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { VERSION } from '../../src/version.ts';
import { elementsOf, readManifest, repoRoot } from '../../scripts/manifest.ts';
import { REACT_OUTPUT, VUE_OUTPUT, renderReactWrappers, renderVueTypes } from '../../scripts/generate-framework-types.ts';
import { README_PATH, renderReadme } from '../../scripts/generate-docs.ts';

const run = promisify(execFile);

/** Fails on the first line that differs, instead of printing two whole files. */
function assertSameText(actual: string, expected: string, name: string): void {
  if (actual === expected) return;
  const [a, b] = [actual.split('\n'), expected.split('\n')];
  const line = a.findIndex((text, index) => text !== b[index]);
  const at = line < 0 ? a.length : line;
  assert.fail(`${name} is stale at line ${at + 1}:\n  has:       ${a[at] ?? '(end of file)'}\n  generated: ${b[at] ?? '(end of file)'}`);
}
const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
  customElements: string;
  files: string[];
  exports: Record<string, string | Record<string, string>>;
};
const scratch = mkdtempSync(join(tmpdir(), 'embed-kit-package-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('generated files are current (run `npm run generate` when one fails)', () => {
  test('custom-elements.json matches what the analyzer writes from the sources now', async () => {
    const out = join(scratch, 'manifest');
    // The analyzer joins --outdir to the working directory, so it must be relative.
    await run('npx', ['cem', 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--quiet', '--outdir', relative(repoRoot, out)], { cwd: repoRoot });
    assert.deepEqual(readManifest(join(out, 'custom-elements.json')), readManifest());
  });

  test('the manifest names every registered tag, with typed events', () => {
    const elements = elementsOf(readManifest());
    assert.deepEqual(
      elements.map((e) => e.tagName),
      ['auth-login', 'qlik-dashboard', 'qlik-object', 'qlik-selection', 'qlik-variable'],
    );
    const login = elements.find((e) => e.tagName === 'auth-login');
    assert.ok(login?.attributes.some((a) => a.name === 'client-id' && a.property === 'clientId'));
    assert.deepEqual(
      login?.events.find((e) => e.name === 'auth-signed-in'),
      { name: 'auth-signed-in', className: 'AuthSignedInEvent', module: 'src/elements/auth-login/events.ts', description: 'Tokens are held in memory.' },
    );
    const dashboard = elements.find((e) => e.tagName === 'qlik-dashboard');
    assert.ok(dashboard?.parts.some((p) => p.name === 'clear-all-button'));
    assert.ok(dashboard?.cssProperties.some((p) => p.name === '--qlik-background'));
    // State and private fields are not public API.
    assert.ok(!dashboard?.attributes.some((a) => a.name.startsWith('_')));
    assert.equal(packageJson.customElements, 'custom-elements.json');
  });

  test('every custom property the element styles read is documented with @cssproperty', () => {
    const used = new Set<string>();
    for (const file of readdirSync(join(repoRoot, 'src/elements'), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      for (const match of readFileSync(join(repoRoot, 'src/elements', file), 'utf8').matchAll(/var\((--(?:qlik|embed-kit)-[a-z0-9-]+)/g)) used.add(match[1]!);
    }
    const documented = new Set(elementsOf(readManifest()).flatMap((e) => e.cssProperties.map((p) => p.name)));
    // The chart palette is documented once, as --qlik-chart-color-0 "… -1 … -7 follow".
    const missing = [...used].filter((name) => !documented.has(name) && !/^--qlik-chart-color-[1-7]$/.test(name)).sort();
    assert.ok(used.size > 20, `found ${used.size} custom properties`);
    assert.deepEqual(missing, []);
  });

  test('React wrappers, Vue types and README tables match the manifest', () => {
    const manifest = readManifest();
    assertSameText(readFileSync(join(repoRoot, REACT_OUTPUT), 'utf8'), renderReactWrappers(manifest), REACT_OUTPUT);
    assertSameText(readFileSync(join(repoRoot, VUE_OUTPUT), 'utf8'), renderVueTypes(manifest), VUE_OUTPUT);
    const readme = readFileSync(README_PATH, 'utf8');
    assertSameText(readme, renderReadme(readme, manifest), 'README.md');
  });
});

describe('npm run build and the packed package', () => {
  let packed: string[] = [];

  before(async () => {
    await run('npm', ['run', 'build'], { cwd: repoRoot, maxBuffer: 32 * 1024 * 1024 });
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, maxBuffer: 32 * 1024 * 1024 });
    packed = (JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
  });

  test('VERSION in src/version.ts equals package.json version', () => {
    assert.equal(VERSION, packageJson.version);
  });

  test('only dist/, README.md, package.json and custom-elements.json ship', () => {
    const stray = packed.filter((path) => !path.startsWith('dist/') && !['README.md', 'package.json', 'custom-elements.json'].includes(path));
    assert.deepEqual(stray, []);
    for (const required of ['README.md', 'package.json', 'custom-elements.json', 'dist/embed-kit.js', 'dist/define.js', 'dist/react.js']) {
      assert.ok(packed.includes(required), `${required} is packed`);
    }
    assert.ok(!packed.some((path) => path.includes('.test.')), 'no tests');
    assert.ok(!packed.some((path) => path.startsWith('dist/node/') && path.includes('/elements/')), 'no browser code in the Node build');
  });

  test('every path in the exports map exists and is packed', () => {
    const targets = Object.values(packageJson.exports).flatMap((value) => (typeof value === 'string' ? [value] : Object.values(value)));
    assert.ok(targets.length >= 18, `exports map lists ${targets.length} files`);
    for (const target of targets) {
      const path = target.replace(/^\.\//, '');
      assert.ok(existsSync(join(repoRoot, path)), `${path} exists`);
      assert.ok(packed.includes(path), `${path} is packed`);
    }
  });

  test('the CDN script imports only its own chunks, relative to itself, and registers <auth-login> at once', () => {
    const bundle = readFileSync(join(repoRoot, 'dist/embed-kit.js'), 'utf8');
    const chunks = readdirSync(join(repoRoot, 'dist/cdn'));
    // A bare name would fail in a CMS page; an absolute path would break under another CDN path.
    const specifiers = [...bundle.matchAll(/\bimport\s*(?:\(\s*|[\w{*$][^;]*?from\s*)?["'`]([^"'`]+)["'`]/g)].map((m) => m[1]!);
    assert.ok(specifiers.length > 0);
    for (const specifier of specifiers) assert.match(specifier, /^\.\/cdn\/[\w.-]+\.js$/, `${specifier} is a chunk next to the script`);
    for (const specifier of specifiers) assert.ok(chunks.includes(specifier.slice('./cdn/'.length)), `${specifier} is built`);
    const quoted = (text: string) => new RegExp(`["'\`]${text.replace(/\./g, '\\.')}["'\`]`);
    assert.match(bundle, quoted('auth-login'), '<auth-login> is registered by the script itself');
    assert.ok(chunks.some((chunk) => /qlik-dashboard/.test(chunk)), 'the qlik elements are a lazy chunk');
    const all = [bundle, ...chunks.map((chunk) => readFileSync(join(repoRoot, 'dist/cdn', chunk), 'utf8'))].join('\n');
    assert.match(all, quoted(packageJson.version), 'carries its version for the double-load check');
  });

  test('the type declarations map every tag and every event', () => {
    const defines = readdirSync(join(repoRoot, 'dist/types/define')).map((file) => `dist/types/define/${file}`);
    const declarations = [...defines, 'dist/types/elements/auth-login/events.d.ts', 'dist/types/elements/qlik-events.d.ts']
      .map((path) => readFileSync(join(repoRoot, path), 'utf8'))
      .join('\n');
    const tagMap = [...declarations.matchAll(/interface HTMLElementTagNameMap \{([^}]*)\}/g)].map((m) => m[1]).join('\n');
    const elements = elementsOf(readManifest());
    for (const element of elements) assert.match(tagMap, new RegExp(`'${element.tagName}': ${element.className};`));
    const eventMaps = [...declarations.matchAll(/interface GlobalEventHandlersEventMap \{([^}]*)\}/g)].map((m) => m[1]).join('\n');
    for (const event of elements.flatMap((e) => e.events)) assert.match(eventMaps, new RegExp(`'${event.name}': ${event.className};`));
  });

  test('publint --strict finds nothing', async () => {
    const { messages } = await publint({ pkgDir: repoRoot, strict: true, pack: 'npm' });
    assert.deepEqual(
      messages.map((m) => `${m.type} ${m.code} ${m.path.join('.')}`),
      [],
    );
  });

  test('a TypeScript project that installs the package gets typed tags, events, React props and Vue components', async () => {
    const project = join(scratch, 'consumer');
    mkdirSync(join(project, 'node_modules'), { recursive: true });
    symlinkSync(repoRoot, join(project, 'node_modules/embed-kit'), 'dir');
    for (const dependency of ['react', '@types/react', 'vue', '@vue', '@types/node']) {
      mkdirSync(join(project, 'node_modules', dependency, '..'), { recursive: true });
      if (!existsSync(join(project, 'node_modules', dependency))) symlinkSync(join(repoRoot, 'node_modules', dependency), join(project, 'node_modules', dependency), 'dir');
    }
    writeFileSync(
      join(project, 'consumer.ts'),
      [
        "import { createElement } from 'react';",
        "import type { GlobalComponents } from 'vue';",
        "import { AuthLogin, VERSION, type AuthSignedInEvent } from 'embed-kit';",
        "import 'embed-kit/define';",
        "import { QlikDashboard } from 'embed-kit/react';",
        "import type {} from 'embed-kit/vue';",
        "import { createImpersonationTokenHandler } from 'embed-kit/server';",
        "import { startDevTenant } from 'embed-kit/dev-tenant';",
        "import { SessionPool } from 'embed-kit/qlik';",
        "import { AuthClient } from 'embed-kit/auth';",
        "const login: AuthLogin | null = document.querySelector('auth-login');",
        "document.addEventListener('auth-signed-in', (event: AuthSignedInEvent) => event.expiresAt);",
        "document.addEventListener('qlik-selection-changed', (event) => event.detail.action.toUpperCase());",
        "createElement(QlikDashboard, { appId: 'app', onQlikSelectionChanged: (event) => event.detail.values });",
        "type DashboardProps = InstanceType<GlobalComponents['qlik-dashboard']>['$props'];",
        "const props: DashboardProps = { appId: 'app', auth: 'login' };",
        'export { login, props, VERSION, createImpersonationTokenHandler, startDevTenant, SessionPool, AuthClient };',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023', 'DOM'], types: ['node'], strict: true, noEmit: true, skipLibCheck: false },
        files: ['consumer.ts'],
      }),
    );
    writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module' }));
    const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', project]).catch((error: { stdout: string }) => error);
    assert.equal(result.stdout, '', 'tsc reports no errors');
  });
});
