/**
 * Reads custom-elements.json (written by `npm run manifest`) into the shape the generators
 * need: one entry per registered tag with its attributes, properties, events, slots, parts and
 * CSS properties. The README tables, the React wrappers and the Vue types all come from here.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ClassMethod, CustomElementDeclaration, CustomElementField, Declaration, Package } from 'custom-elements-manifest/schema.d.ts';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const MANIFEST_PATH = `${repoRoot}custom-elements.json`;

/** The published custom-elements-manifest schema, as the analyzer writes it. */
export type Manifest = Package;
interface Named {
  name: string;
  description?: string;
}

export interface ElementAttribute {
  name: string;
  property: string | undefined;
  type: string;
  default: string | undefined;
  description: string;
  reflects: boolean;
}
export interface ElementProperty {
  name: string;
  type: string;
  default: string | undefined;
  description: string;
  attribute: string | undefined;
  readonly: boolean;
}
export interface ElementMethod {
  name: string;
  signature: string;
  description: string;
}
export interface ElementEvent {
  name: string;
  /** The event class, e.g. `AuthSignedInEvent`. */
  className: string;
  /** Repo-relative module that declares the event class. */
  module: string;
  description: string;
}
export interface ElementDoc {
  tagName: string;
  className: string;
  /** Repo-relative module that declares the class, e.g. `src/elements/auth-login/auth-login.ts`. */
  module: string;
  summary: string;
  attributes: ElementAttribute[];
  properties: ElementProperty[];
  methods: ElementMethod[];
  events: ElementEvent[];
  slots: Named[];
  parts: Named[];
  cssProperties: Array<Named & { default?: string }>;
}

export function readManifest(path = MANIFEST_PATH): Manifest {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch (error) {
    throw new Error(`Cannot read ${path}: run \`npm run manifest\` first.`, { cause: error });
  }
}

/** `auth-signed-in` → `onAuthSignedIn`, the prop name React and Vue use for a listener. */
export function listenerProp(eventName: string): string {
  return `on${eventName.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, letter: string) => letter.toUpperCase())}`;
}

const oneLine = (text: string | undefined) => (text ?? '').replace(/\s*\n\s*/g, ' ').trim();

function isCustomElement(declaration: Declaration): declaration is CustomElementDeclaration {
  return declaration.kind === 'class' && 'customElement' in declaration && declaration.customElement === true;
}

/** Every registered element, in tag order. Throws when the manifest lacks what the docs need. */
export function elementsOf(manifest: Manifest): ElementDoc[] {
  const elements: ElementDoc[] = [];
  for (const module of manifest.modules) {
    for (const declaration of (module.declarations ?? []).filter(isCustomElement)) {
      if (!declaration.tagName) continue;
      const members = (declaration.members ?? []).filter((m) => !m.static && m.privacy !== 'private' && m.privacy !== 'protected');
      const fields = members.filter((m): m is CustomElementField => m.kind === 'field');
      elements.push({
        tagName: declaration.tagName,
        className: declaration.name,
        module: module.path,
        summary: oneLine(declaration.summary ?? declaration.description),
        attributes: (declaration.attributes ?? []).map((attribute) => {
          const field = fields.find((f) => f.name === attribute.fieldName);
          return {
            name: attribute.name,
            property: attribute.fieldName,
            type: attribute.type?.text ?? field?.type?.text ?? 'string',
            default: attribute.default ?? field?.default,
            description: oneLine(attribute.description ?? field?.description),
            reflects: field?.reflects === true,
          };
        }),
        properties: fields.map((field) => ({
          name: field.name,
          type: field.type?.text ?? 'unknown',
          default: field.default,
          description: oneLine(field.description),
          attribute: field.attribute,
          readonly: field.readonly === true,
        })),
        methods: members
          .filter((m): m is ClassMethod => m.kind === 'method')
          .map((method) => ({
            name: method.name,
            signature: `${method.name}(${(method.parameters ?? []).map((p) => `${p.name}${p.optional ? '?' : ''}: ${p.type?.text ?? 'unknown'}`).join(', ')}): ${method.return?.type?.text ?? 'void'}`,
            description: oneLine(method.description),
          })),
        events: (declaration.events ?? []).map((event) => {
          const reference = event.type?.references?.[0];
          if (!reference?.module) throw new Error(`${declaration.tagName}: event ${event.name} has no event class in the manifest.`);
          return { name: event.name, className: reference.name, module: reference.module, description: oneLine(event.description) };
        }),
        slots: (declaration.slots ?? []).map((s) => ({ name: s.name, description: oneLine(s.description) })),
        parts: (declaration.cssParts ?? []).map((p) => ({ name: p.name, description: oneLine(p.description) })),
        cssProperties: (declaration.cssProperties ?? []).map((p) => ({ name: p.name, description: oneLine(p.description), ...(p.default ? { default: p.default } : {}) })),
      });
    }
  }
  if (elements.length === 0) throw new Error('The manifest describes no registered element; run `npm run manifest`.');
  return elements.sort((a, b) => a.tagName.localeCompare(b.tagName));
}
