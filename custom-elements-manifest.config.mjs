/**
 * `npm run manifest` writes custom-elements.json from the elements' JSDoc. The README tables,
 * the React wrappers and the Vue types are generated from that file, so it is the one place
 * where the public surface of the elements is described.
 *
 * Three fixes on top of the analyzer's Lit support:
 * - tag names come from the `tags` list in src/define.ts (element modules define nothing);
 * - events keep only the documented `@event`s, each typed with the event class whose
 *   `static type` is that name (the analyzer also guesses events from `dispatchEvent` calls);
 * - private and `_`-prefixed members are not public API, so they are dropped.
 */

/** @typedef {import('custom-elements-manifest/schema').Package} Package */

const DEFINE_MODULE = 'src/define.ts';

/** Reads `const tags = [['auth-login', AuthLogin], …]` and the imports behind those names. */
function tagsFromDefine() {
  return {
    name: 'embed-kit:tags-from-define',
    analyzePhase({ ts, node, moduleDoc, context }) {
      if (moduleDoc.path !== DEFINE_MODULE) return;
      if (ts.isImportDeclaration(node) && node.importClause?.namedBindings && ts.isNamedImports(node.importClause.namedBindings)) {
        const from = node.moduleSpecifier.text.replace(/^\.\//, 'src/');
        for (const element of node.importClause.namedBindings.elements) {
          context.defineImports = { ...context.defineImports, [element.name.text]: from };
        }
      }
      if (ts.isVariableDeclaration(node) && node.name.getText() === 'tags' && node.initializer && ts.isArrayLiteralExpression(node.initializer)) {
        context.tags = node.initializer.elements.filter(ts.isArrayLiteralExpression).map(({ elements: [tag, element] }) => ({ tag: tag.text, className: element.getText() }));
      }
    },
    packageLinkPhase({ customElementsManifest, context }) {
      const tags = /** @type {{ tag: string; className: string }[]} */ (context.tags ?? []);
      if (tags.length === 0) throw new Error(`No tags found in ${DEFINE_MODULE}: the manifest would describe no element.`);
      const imports = /** @type {Record<string, string>} */ (context.defineImports ?? {});
      for (const { tag, className } of tags) {
        const path = imports[className];
        const module = customElementsManifest.modules.find((m) => m.path === path);
        const declaration = module?.declarations?.find((d) => d.name === className);
        if (!module || !declaration) throw new Error(`${DEFINE_MODULE} registers ${className}, but ${path} does not declare it.`);
        declaration.tagName = tag;
        // A subclass of a kit base class (QlikElement) is an element too; the analyzer marks only direct LitElement subclasses.
        declaration.customElement = true;
        const define = customElementsManifest.modules.find((m) => m.path === DEFINE_MODULE);
        if (define) {
          define.exports = (define.exports ?? []).filter((e) => e.kind !== 'custom-element-definition' || e.name !== 'tag');
          define.exports.push({ kind: 'custom-element-definition', name: tag, declaration: { name: className, module: path } });
        }
      }
    },
  };
}

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

export default {
  globs: ['src/elements/**/*.ts', DEFINE_MODULE],
  exclude: ['**/*.test.ts', '**/*.styles.ts'],
  outdir: '.',
  litelement: true,
  // The manifest is linked from package.json by hand; the analyzer would rewrite the whole file.
  packagejson: false,
  plugins: [tagsFromDefine(), typedEvents(), publicApiOnly(), stableModuleOrder()],
};
