/**
 * One registry of error codes (src/auth/error-registry.ts, its areas in src/auth/error-registry/):
 * every code the kit throws has an entry with a cause and a hint, each code lives in one area
 * only, and hints fit the step a code arrived at.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { ERROR_AREAS, ERROR_REGISTRY, hintFor } from '../../src/auth/error-registry.ts';
import { SERVER_ERRORS } from '../../src/auth/error-registry/server.ts';
import { EmbedKitError } from '../../src/auth/errors.ts';
import { repoRoot } from '../../scripts/manifest.ts';
import { collectErrorCodes, raisedErrorCodes, raiseSitesInSource } from '../../scripts/generate-docs.ts';

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

/** The members of `ImpersonationErrorCode` in src/server/errors.ts: every code the constructor accepts. */
function impersonationErrorCodes(): string[] {
  const file = 'src/server/errors.ts';
  const source = ts.createSourceFile(file, readFileSync(join(repoRoot, file), 'utf8'), ts.ScriptTarget.Latest);
  const alias = source.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'ImpersonationErrorCode');
  assert.ok(alias && ts.isUnionTypeNode(alias.type), 'ImpersonationErrorCode is a union of string literals');
  return alias.type.types.map((member) => (ts.isLiteralTypeNode(member) && ts.isStringLiteral(member.literal) ? member.literal.text : assert.fail(`not a code: ${member.getText(source)}`)));
}

test("every code embed-kit/server's ImpersonationError can be raised with has a server entry with a cause and a hint, and a README row", () => {
  const sites = raiseSitesInSource().filter((site) => site.className === 'ImpersonationError');
  // Every raise site names its code in the source, none passes it in a variable the scan cannot read.
  const written = readdirSync(join(repoRoot, 'src/server'))
    .filter((file) => file.endsWith('.ts'))
    .reduce((sum, file) => sum + (readFileSync(join(repoRoot, 'src/server', file), 'utf8').match(/new ImpersonationError\(/g)?.length ?? 0), 0);
  assert.ok(sites.length > 10 && sites.length === written, `the scan reads every raise site in src/server (${sites.length} of ${written})`);
  const raised = new Set(sites.flatMap((site) => site.codes));
  const declared = impersonationErrorCodes();
  assert.deepEqual([...raised].sort(), [...declared].sort(), 'the codes raised are the codes ImpersonationErrorCode declares');
  const missing = declared.filter((code) => !Object.hasOwn(SERVER_ERRORS, code));
  assert.deepEqual(missing, [], 'server codes without an entry in src/auth/error-registry/server.ts');
  const rows = new Map(collectErrorCodes().map((row) => [row.code, row]));
  for (const code of declared) {
    const entry = SERVER_ERRORS[code as keyof typeof SERVER_ERRORS];
    assert.ok(entry.cause.trim().length > 20, `${code} has a cause`);
    assert.ok(entry.hint.trim().length > 20, `${code} has a hint`);
    assert.ok(rows.get(code)?.classes.includes('ImpersonationError'), `the README's row for ${code} names ImpersonationError`);
  }
});

/** Repo-relative files a module loads with it: its static, non-type imports and re-exports, transitively. */
function loadedWith(file: string): Set<string> {
  const seen = new Set<string>();
  const visit = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    const source = ts.createSourceFile(path, readFileSync(join(repoRoot, path), 'utf8'), ts.ScriptTarget.Latest);
    for (const statement of source.statements) {
      let specifier: ts.Expression | undefined;
      if (ts.isImportDeclaration(statement)) {
        const clause = statement.importClause;
        const bindings = clause?.namedBindings;
        // Only-type imports vanish in the build; so does `import { type A, type B }`.
        const typeOnly =
          clause !== undefined &&
          (clause.isTypeOnly || (!clause.name && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.every((element) => element.isTypeOnly)));
        if (!typeOnly) specifier = statement.moduleSpecifier;
      } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) {
        specifier = statement.moduleSpecifier;
      }
      if (specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith('.')) visit(relative(repoRoot, join(repoRoot, dirname(path), specifier.text)));
    }
  };
  visit(file);
  return seen;
}

/** Classes that are an `EmbedKitError`, from the `class A extends B` declarations in the source. */
function embedKitErrorClasses(files: string[]): Set<string> {
  const parents = new Map<string, string>();
  for (const file of files) for (const [, name, parent] of readFileSync(join(repoRoot, file), 'utf8').matchAll(/class (\w+) extends (\w+)/g)) parents.set(name!, parent!);
  const is = (name: string | undefined): boolean => name === 'EmbedKitError' || (name !== undefined && is(parents.get(name)));
  return new Set([...parents.keys(), 'EmbedKitError'].filter(is));
}

test('no EmbedKitError is raised without a hint: the raise site gives one, or its module loads the area that holds the code', () => {
  const sites = raiseSitesInSource();
  const typed = embedKitErrorClasses([...new Set(sites.map((site) => site.file))]);
  const areaFile = (code: string): string | undefined => {
    const name = Object.entries(ERROR_AREAS).find(([, area]) => Object.hasOwn(area, code))?.[0];
    return name && `src/auth/error-registry/${name}.ts`;
  };
  const hintless = sites.filter((site) => typed.has(site.className) && !site.hinted);
  const empty = hintless.flatMap((site) => site.codes.filter((code) => !loadedWith(site.file).has(areaFile(code) ?? '')).map((code) => `${code} (${site.className} in ${site.file})`));
  assert.deepEqual(empty, [], 'raised with an empty hint');
  // What those modules get, by the fallback where errors are made: the registry's hint.
  for (const site of hintless) for (const code of site.codes) assert.equal(new EmbedKitError(code, 'm').hint, hintFor(code), code);
  assert.equal(new EmbedKitError('session_closed', 'm', { hint: 'Given.' }).hint, 'Given.', 'a hint given wins');
  assert.ok(typed.has('EngineRequestError') && typed.has('BackendTokenError') && !typed.has('ImpersonationError'), 'the class scan sees the hierarchy');
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
