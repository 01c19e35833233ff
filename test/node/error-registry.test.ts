/**
 * One registry of error codes (src/auth/error-registry.ts, its areas in src/auth/error-registry/):
 * every code the kit throws has an entry with a cause and a hint, each code lives in one area
 * only, and hints fit the step a code arrived at.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { ERROR_AREAS, ERROR_REGISTRY, hintFor } from '../../src/auth/error-registry.ts';
import { repoRoot } from '../../scripts/manifest.ts';
import { collectErrorCodes, raisedErrorCodes } from '../../scripts/generate-docs.ts';

test('every code the kit throws has a registry entry with a cause and a hint', () => {
  const raised = raisedErrorCodes();
  assert.ok(raised.size > 40, `the scan finds the kit's raise sites (found ${raised.size})`);
  const missing = [...raised.keys()].filter((code) => !Object.hasOwn(ERROR_REGISTRY, code));
  assert.deepEqual(missing, [], `codes thrown without a registry entry: ${missing.map((c) => `${c} (${raised.get(c)?.sources.join(', ')})`).join('; ')}`);
  for (const [code, entry] of Object.entries(ERROR_REGISTRY)) {
    assert.ok(entry.cause.trim().length > 10, `${code} has a cause`);
    assert.ok(entry.hint.trim().length > 10, `${code} has a hint`);
    for (const [site, hint] of Object.entries(entry.at ?? {})) assert.ok(hint.trim().length > 10, `${code} at ${site} has a hint`);
  }
});

test('the registry is its areas: every area file is joined in, and no code is written in two', async () => {
  const dir = `${repoRoot}src/auth/error-registry`;
  // Besides the areas, the folder holds the lookups: area.ts (types, hintIn) and lookup.ts (codes a server sent).
  const areaFiles = readdirSync(dir).filter((file) => file.endsWith('.ts') && !['area.ts', 'lookup.ts'].includes(file));
  const exported = await Promise.all(
    areaFiles.map(async (file) => Object.values((await import(`${dir}/${file}`)) as Record<string, unknown>).filter((value) => typeof value === 'object')),
  );
  assert.equal(areaFiles.length, Object.keys(ERROR_AREAS).length, `area files: ${areaFiles.join(', ')}`);
  for (const [index, values] of exported.entries()) {
    assert.ok(values.length === 1 && Object.values(ERROR_AREAS).includes(values[0] as never), `${areaFiles[index]} exports one area, and the registry joins it`);
  }
  const counts = new Map<string, string[]>();
  for (const [name, area] of Object.entries(ERROR_AREAS)) for (const code of Object.keys(area)) counts.set(code, [...(counts.get(code) ?? []), name]);
  const twice = [...counts].filter(([, areas]) => areas.length > 1).map(([code, areas]) => `${code} (${areas.join(', ')})`);
  assert.deepEqual(twice, [], 'codes written in more than one area');
  assert.equal(Object.keys(ERROR_REGISTRY).length, counts.size);
});

test('OAUTH-5 means different things at the code exchange and at the websocket-token exchange', () => {
  const atExchange = hintFor('OAUTH-5', { at: 'code-exchange' });
  for (const needed of ["credentials: 'include'", 'third-party cookies', 'JSON body', 'user_default']) assert.ok(atExchange.includes(needed), `code exchange hint names ${needed}`);
  assert.ok(!atExchange.includes('machine token'), 'no machine-token text at the code exchange');
  assert.match(hintFor('OAUTH-5', { at: 'websocket-token' }), /machine token/);
});

test('codes seen on real tenants have hints: OAUTH-29, AUTH-5, and object_not_found on a private sheet', () => {
  assert.match(hintFor('OAUTH-29'), /allowed origins.*Content Security Policy/);
  assert.match(hintFor('AUTH-5'), /Invite the user to the tenant/);
  assert.match(hintFor('object_not_found'), /publish the sheet/);
  assert.match(hintFor('issuer_mismatch'), /set the issuer option/);
});

test('the README error table is generated from the registry, one row per code', () => {
  const rows = collectErrorCodes();
  assert.deepEqual(rows.map((row) => row.code).sort(), Object.keys(ERROR_REGISTRY).sort());
  assert.ok(rows.every((row) => row.classes.length > 0 && row.fix.length > 0));
});
