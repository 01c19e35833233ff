/**
 * `embed-kit/dev-tenant` with its optional peers: a missing one is a typed error naming the
 * install command, and oidc-provider's "Unsupported runtime" notice is dropped on supported
 * Node releases only. (The packed tarball's browser-only install is checked in the consumers stage.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { isSupportedNode, MissingPeerDependencyError, missingPeers } from '../../src/dev-tenant/peers.ts';
import { repoRoot } from '../../scripts/manifest.ts';

const run = promisify(execFile);

test('missingPeers lists the peers that do not resolve, and the error names the install command', () => {
  const missing = missingPeers((name) => {
    if (name === 'ws') throw Object.assign(new Error(`Cannot find package '${name}'`), { code: 'ERR_MODULE_NOT_FOUND' });
    return `file:///x/node_modules/${name}/index.js`;
  });
  assert.deepEqual(missing, ['ws']);
  const error = new MissingPeerDependencyError(missing);
  assert.equal(error.code, 'missing_peer_dependency');
  assert.match(error.message, /embed-kit\/dev-tenant needs ws/);
  assert.match(error.hint, /npm install --save-dev ws/);
  assert.deepEqual(missingPeers(), [], 'this repository has them (devDependencies)');
});

test('isSupportedNode follows engines (>=20.19)', () => {
  assert.deepEqual(['20.18.3', '20.19.0', '22.1.0', '18.20.0'].map(isSupportedNode), [false, true, true, false]);
});

test('loading the dev tenant prints no "Unsupported runtime" on this Node, while oidc-provider alone does below Node 22', async () => {
  const load = async (code: string) =>
    (await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: repoRoot })).stderr;
  const ours = await load("const m = await import('./src/dev-tenant/public.ts'); const t = await m.startDevTenant({ port: 0 }); await t.close();");
  assert.doesNotMatch(ours, /Unsupported runtime/);
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) assert.match(await load("await import('oidc-provider');"), /Unsupported runtime/, 'the filter has something to drop');
});
