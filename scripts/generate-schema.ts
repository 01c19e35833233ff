/**
 * Writes src/qlik/schema-core.ts, the core QIX schema the kit ships, from enigma.js's published
 * schema file. Part of `npm run generate`; a browser test checks the result against the file.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CORE_SCHEMA_TYPES, SCHEMA_VERSION } from '../src/qlik/schema.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface PublishedSchema {
  structs: Record<string, Record<string, unknown>>;
  enums?: unknown;
}

export async function readFullSchema(): Promise<PublishedSchema> {
  return JSON.parse(await readFile(`${root}node_modules/enigma.js/schemas/${SCHEMA_VERSION}.json`, 'utf8')) as PublishedSchema;
}

export async function writeCoreSchema(): Promise<string> {
  const full = await readFullSchema();
  const lines = CORE_SCHEMA_TYPES.map((type) => `    ${type}: ${JSON.stringify(full.structs[type])},`);
  const source = [
    `// Generated from enigma.js/schemas/${SCHEMA_VERSION}.json by scripts/generate-schema.ts (\`npm run generate\`).`,
    '// Do not edit: a browser test checks it against the published file.',
    "import type { QixSchema } from './schema-types.ts';",
    '',
    'export const coreSchema: QixSchema = {',
    '  structs: {',
    ...lines,
    '  },',
    '};',
    '',
  ].join('\n');
  const path = `${root}src/qlik/schema-core.ts`;
  await writeFile(path, source);
  return path;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) console.log(`wrote ${await writeCoreSchema()}`);
