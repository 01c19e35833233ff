/**
 * The QIX schema enigma.js generates its API from. Two choices, both from enigma.js's
 * `schemas/12.2027.0.json`:
 *
 * - `core` (default): every method of every type Qlik Cloud hands out (Global, Doc,
 *   GenericObject/Dimension/Measure/Bookmark/Variable, Field, Variable), without the enums
 *   and the QlikView-era sheet-object structs that enigma never reads on Qlik Cloud.
 * - `full`: the published file, loaded on demand as its own chunk.
 *
 * `core` is derived, not hand-edited: `npm run generate` (scripts/generate-schema.ts)
 * regenerates it and a browser test checks it against the full file.
 */
import type { QixSchema } from './schema-types.ts';

export type SchemaChoice = 'core' | 'full';

export const SCHEMA_VERSION = '12.2027.0';

/** The struct types kept in the core schema. */
export const CORE_SCHEMA_TYPES = [
  'Global',
  'Doc',
  'GenericObject',
  'GenericDimension',
  'GenericMeasure',
  'GenericBookmark',
  'GenericVariable',
  'Field',
  'Variable',
] as const;

export type { QixSchema } from './schema-types.ts';

export async function loadSchema(choice: SchemaChoice = 'core'): Promise<QixSchema> {
  if (choice === 'full') {
    const module = await import('enigma.js/schemas/12.2027.0.json', { with: { type: 'json' } });
    return module.default as QixSchema;
  }
  // A JS module rather than JSON, so it loads the same bundled or not.
  return (await import('./schema-core.ts')).coreSchema;
}
