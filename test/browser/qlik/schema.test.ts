import { expect } from '@open-wc/testing';
import { CORE_SCHEMA_TYPES, SCHEMA_VERSION, loadSchema, type QixSchema } from '../../../src/qlik/schema.ts';
import { CALLED_METHODS } from '../../support/qix-called-methods.ts';

// Fetched rather than imported: the test runner's esbuild target drops JSON import attributes.
const loadFull = async (): Promise<QixSchema> =>
  (await fetch(`/node_modules/enigma.js/schemas/${SCHEMA_VERSION}.json`).then((r) => r.json())) as QixSchema;


describe('QIX schema', () => {
  it('core is exactly the published schema\'s core structs, without enums (regenerate with npm run generate)', async () => {
    const [core, full] = await Promise.all([loadSchema('core'), loadFull()]);
    expect(Object.keys(core.structs).sort()).to.deep.equal([...CORE_SCHEMA_TYPES].sort());
    for (const type of CORE_SCHEMA_TYPES) expect(core.structs[type]).to.deep.equal(full.structs[type]);
    expect(core.enums).to.equal(undefined);
    expect(Object.keys(full.structs).length).to.be.greaterThan(CORE_SCHEMA_TYPES.length);
  });

  it('covers every method the kit calls', async () => {
    const core = await loadSchema('core');
    for (const [type, methods] of Object.entries(CALLED_METHODS)) {
      for (const method of methods) expect(core.structs[type], `${type}.${method}`).to.have.property(method);
    }
  });
});
