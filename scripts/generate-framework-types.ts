/**
 * Writes the framework typings from custom-elements.json, so nothing about an element is typed
 * twice by hand:
 * - `src/react/index.ts`: a `@lit/react` component per tag (`embed-kit/react`); props set the
 *   element's properties and `onAuthSignedIn`-style props listen to its events, typed with the
 *   event classes;
 * - `src/vue/components.d.ts`: Vue `GlobalComponents` entries (`embed-kit/vue`), so templates
 *   type-check tags, props and `@auth-signed-in` listeners.
 *
 * `node --import tsx scripts/generate-framework-types.ts` (part of `npm run build`);
 * `--dist` also copies the Vue types into dist/types/vue/. A node test fails when the files
 * are stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { elementsOf, readManifest, listenerProp, repoRoot, type ElementDoc, type Manifest } from './manifest.ts';

export const REACT_OUTPUT = 'src/react/index.ts';
export const VUE_OUTPUT = 'src/vue/components.d.ts';
const VUE_DIST_OUTPUT = 'dist/types/vue/components.d.ts';

const HEADER = '// Generated from custom-elements.json by scripts/generate-framework-types.ts. Do not edit.';

/** Import specifier from one repo-relative file to another, keeping the `.ts` extension. */
function importPath(from: string, to: string): string {
  const path = relative(dirname(from), to);
  return path.startsWith('.') ? path : `./${path}`;
}

const comment = (text: string, indent = '') => (text ? `${indent}/** ${text.replace(/\*\//g, '*\\/')} */\n` : '');

/** Groups `import type { A, B }` by module, sorted, so the output is stable. */
function typeImports(from: string, names: Array<{ name: string; module: string }>, extension: 'ts' | 'js'): string[] {
  const byModule = new Map<string, Set<string>>();
  for (const { name, module } of names) {
    const specifier = importPath(from, module).replace(/\.ts$/, `.${extension}`);
    byModule.set(specifier, (byModule.get(specifier) ?? new Set()).add(name));
  }
  return [...byModule]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([specifier, set]) => `import type { ${[...set].sort().join(', ')} } from '${specifier}';`);
}

export function renderReactWrappers(manifest: Manifest): string {
  const elements = elementsOf(manifest);
  const classImports = elements
    .map((element) => `import { ${element.className} as ${element.className}Element } from '${importPath(REACT_OUTPUT, element.module)}';`)
    .sort();
  const eventTypes = typeImports(
    REACT_OUTPUT,
    elements.flatMap((element) => element.events.map((event) => ({ name: event.className, module: event.module }))),
    'ts',
  );
  const components = elements.map((element) => {
    const events = element.events.map((event) => `    ${listenerProp(event.name)}: '${event.name}' as EventName<${event.className}>,`);
    return [
      comment(`\`<${element.tagName}>\`: ${element.summary}`).trimEnd(),
      `export const ${element.className} = createComponent({`,
      '  react: React,',
      `  tagName: '${element.tagName}',`,
      `  elementClass: ${element.className}Element,`,
      ...(events.length ? ['  events: {', ...events, '  },'] : []),
      `  displayName: '${element.className}',`,
      '});',
    ].join('\n');
  });
  return [
    // A client module: Next.js's App Router renders it on the client (and pre-renders it), never as a Server Component.
    "'use client';",
    HEADER,
    '/**',
    ' * React components for the embed-kit elements (`embed-kit/react`), made with `@lit/react` (an optional',
    ' * peer dependency: install it with React): props set the element\'s properties, and `on<Event>` props',
    ' * (`onAuthSignedIn`) listen to its events. Importing this module registers the tags.',
    ' */',
    "import * as React from 'react';",
    "import { createComponent, type EventName } from '@lit/react';",
    "import '../define.ts';",
    ...classImports,
    ...eventTypes,
    '',
    '// React\'s server build has no hooks: say what to do instead of failing inside @lit/react.',
    "if (typeof React.useRef !== 'function') {",
    "  throw new Error(\"embed-kit/react: these components use the browser's custom elements and must run as client components. In a Server Component, render them from a file that starts with 'use client'.\");",
    '}',
    '',
    components.join('\n\n'),
    '',
  ].join('\n');
}

/** Props a template may set: attribute-backed and writable properties, plus listeners. */
function vueProps(element: ElementDoc): string[] {
  const props = element.properties
    .filter((property) => !property.readonly)
    .map((property) => `${comment(property.description, '  ')}  ${property.name}?: ${element.className}['${property.name}'];`);
  const listeners = element.events.map((event) => `${comment(event.description, '  ')}  ${listenerProp(event.name)}?: (event: ${event.className}) => void;`);
  return [...props, ...listeners];
}

export function renderVueTypes(manifest: Manifest): string {
  const elements = elementsOf(manifest);
  // `.js` specifiers resolve to the sources here and to the emitted .d.ts files in dist/types.
  const imports = typeImports(
    VUE_OUTPUT,
    elements.flatMap((element) => [{ name: element.className, module: element.module }, ...element.events.map((event) => ({ name: event.className, module: event.module }))]),
    'js',
  );
  const propTypes = elements.map((element) => [`interface ${element.className}Props {`, ...vueProps(element), '}'].join('\n'));
  const entries = elements.map((element) => `${comment(element.summary, '    ')}    '${element.tagName}': DefineComponent<${element.className}Props>;`);
  return [
    HEADER,
    '/**',
    ' * Vue `GlobalComponents` types for the embed-kit elements (`embed-kit/vue`). Vue still has to',
    ' * treat the tags as custom elements (`compilerOptions.isCustomElement`); these types let',
    ' * vue-tsc check their props and `@auth-signed-in`-style listeners.',
    ' */',
    "import type { DefineComponent } from 'vue';",
    ...imports,
    '',
    propTypes.join('\n\n'),
    '',
    "declare module 'vue' {",
    '  interface GlobalComponents {',
    entries.join('\n'),
    '  }',
    '}',
    '',
    'export {};',
    '',
  ].join('\n');
}

export function writeFrameworkTypes(options: { dist?: boolean } = {}): string[] {
  const manifest = readManifest();
  const vueTypes = renderVueTypes(manifest);
  const outputs: Array<[string, string]> = [
    [REACT_OUTPUT, renderReactWrappers(manifest)],
    [VUE_OUTPUT, vueTypes],
  ];
  // tsc does not copy hand-placed .d.ts files, so the build copies this one next to the others.
  if (options.dist) outputs.push([VUE_DIST_OUTPUT, vueTypes]);
  for (const [path, text] of outputs) {
    mkdirSync(dirname(`${repoRoot}${path}`), { recursive: true });
    writeFileSync(`${repoRoot}${path}`, text);
  }
  return outputs.map(([path]) => path);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const path of writeFrameworkTypes({ dist: process.argv.includes('--dist') })) console.log(`wrote ${path}`);
}
