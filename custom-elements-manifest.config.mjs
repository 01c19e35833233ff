/**
 * `npm run manifest` writes custom-elements.json from the elements' JSDoc. The README tables,
 * the React wrappers and the Vue types are generated from that file, so it is the one place
 * where the public surface of the elements is described.
 *
 * Three fixes on top of the analyzer's Lit support:
 * - tag names come from each class's `@tagname` JSDoc tag (element modules define nothing), and
 *   a build fails when an element class has none;
 * - events keep only the documented `@event`s, each typed with the event class whose
 *   `static type` is that name (the analyzer also guesses events from `dispatchEvent` calls);
 * - private and `_`-prefixed members are not public API, so they are dropped.
 */

/** @typedef {import('custom-elements-manifest/schema').Package} Package */

/** Event classes carry their name in `static readonly type = '…'`. */
function typedEvents() {
  return {
    name: 'embed-kit:typed-events',
    packageLinkPhase({ customElementsManifest }) {
      /** @type {Map<string, { name: string; module: string }>} */
      const eventClasses = new Map();
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          const type = declaration.kind === 'class' && declaration.members?.find((m) => m.static && m.name === 'type');
          if (type?.default) eventClasses.set(type.default.replace(/^['"]|['"]$/g, ''), { name: declaration.name, module: module.path });
        }
      }
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          if (!declaration.customElement || !declaration.events) continue;
          // Documented events have a description; guessed ones are named after variables.
          declaration.events = declaration.events
            .filter((event) => event.name && event.description)
            .map((event) => {
              const eventClass = eventClasses.get(event.name);
              if (!eventClass) throw new Error(`${declaration.name} documents @event ${event.name}, but no event class has that static type.`);
              return { ...event, type: { text: eventClass.name, references: [{ name: eventClass.name, module: eventClass.module }] } };
            });
        }
      }
    },
  };
}

function publicApiOnly() {
  const isPublic = (item) => item.privacy !== 'private' && item.privacy !== 'protected' && !item.name.startsWith('_') && !item.name.startsWith('#');
  return {
    name: 'embed-kit:public-api-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          if (declaration.members) declaration.members = declaration.members.filter(isPublic);
          if (declaration.attributes) declaration.attributes = declaration.attributes.filter((a) => !a.fieldName?.startsWith('_'));
        }
      }
    },
  };
}

/** Modules in path order: the analyzer lists them in the order the file system returns them, which differs between machines. */
function stableModuleOrder() {
  return {
    name: 'embed-kit:stable-module-order',
    packageLinkPhase({ customElementsManifest }) {
      customElementsManifest.modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },
  };
}

/** Element modules define nothing, so the analyzer learns tag names only from `@tagname`; insist on it. */
function requireTagNames() {
  return {
    name: 'embed-kit:require-tag-names',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          if (declaration.customElement && !declaration.tagName && module.path.match(/src\/elements\/([^/]+)\/\1\.ts$/)) {
            throw new Error(`${module.path}: ${declaration.name} has no @tagname JSDoc tag.`);
          }
        }
      }
    },
  };
}

export default {
  globs: ['src/elements/**/*.ts'],
  exclude: ['**/*.test.ts', '**/*.styles.ts'],
  outdir: '.',
  litelement: true,
  // The manifest is linked from package.json by hand; the analyzer would rewrite the whole file.
  packagejson: false,
  plugins: [typedEvents(), publicApiOnly(), requireTagNames(), stableModuleOrder()],
};
