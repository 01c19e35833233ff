/**
 * Issue 9's seam for a `<qlik-dashboard>` page: the elements register and draw their signed-out
 * state from the code loaded up front, and the session runtime (pool, websocket-token exchange,
 * app API, sheets, the Qlik error texts), the renderers' styles and the object menu load with
 * `import()` when a session or an object needs them. Bundled here with esbuild as a consumer's
 * bundler would; size-budgets.test.ts checks the sizes, and `npm run bench` reports them (bench-consumers.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build } from 'esbuild';
import { repoRoot } from '../../scripts/manifest.ts';

const LAZY = [
  'src/qlik/session-pool.ts',
  'src/qlik/pooled-session.ts',
  'src/qlik/websocket-token.ts',
  'src/qlik/engine-url.ts',
  'src/qlik/lazy-socket.ts',
  'src/qlik/engine-closed.ts',
  'src/qlik/app-actions.ts',
  'src/qlik/initial-state.ts',
  'src/qlik/sheets.ts',
  'src/qlik/object-view.ts',
  'src/auth/error-registry/qlik.ts',
  'src/auth/error-registry/oauth.ts',
  'src/elements/renderers/styles.ts',
  'src/elements/qlik-object/object-menu.ts',
  'src/elements/qlik-object/object-export.ts',
];

test('a <qlik-dashboard> page loads the session runtime, the renderers\' styles and the object menu lazily', async () => {
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: ['src/define/auth-login.ts', 'src/define/qlik-dashboard.ts'],
    bundle: true,
    splitting: true,
    format: 'esm',
    outdir: 'out',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = result.metafile.outputs;
  const entry = Object.keys(outputs).find((file) => outputs[file]?.entryPoint === 'src/define/qlik-dashboard.ts');
  assert.ok(entry, 'the dashboard entry was built');
  const eager = new Set<string>();
  const visit = (file: string): void => {
    if (eager.has(file)) return;
    eager.add(file);
    for (const imported of outputs[file]?.imports ?? []) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(entry);
  const inputsOf = (files: Iterable<string>) => new Set([...files].flatMap((file) => Object.keys(outputs[file]?.inputs ?? {})));
  const eagerInputs = inputsOf(eager);
  const allInputs = inputsOf(Object.keys(outputs));
  for (const up of ['src/elements/qlik-dashboard/qlik-dashboard.ts', 'src/elements/qlik-object/qlik-object.ts', 'src/elements/session-controller.ts', 'src/elements/qlik-status.ts']) {
    assert.ok(eagerInputs.has(up), `${up} loads up front`);
  }
  for (const lazy of LAZY) {
    assert.ok(allInputs.has(lazy), `${lazy} is in the build`);
    assert.ok(!eagerInputs.has(lazy), `${lazy} loads lazily, not up front`);
  }
});
