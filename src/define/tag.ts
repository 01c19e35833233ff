import { VERSION } from '../version.ts';

const versionKey = Symbol.for('embed-kit/version');
let checked = false;

/**
 * Registers `element` as `tag`, unless the tag is already defined (a CMS page that loads the kit
 * twice keeps the first copy's elements). The first call of each copy of the kit also says
 * once when another version got to the page first. Outside a browser (server-side rendering
 * without a DOM shim) there is nothing to register, and importing stays harmless.
 */
export function defineTag(tag: string, element: CustomElementConstructor): void {
  if (typeof customElements === 'undefined') return;
  if (!checked) {
    checked = true;
    const scope = globalThis as typeof globalThis & { [versionKey]?: string };
    const loaded = scope[versionKey];
    if (loaded && loaded !== VERSION) {
      console.warn(
        `embed-kit ${VERSION} was loaded on a page that already runs embed-kit ${loaded}; the elements of ${loaded} stay in use. Load one copy only.`,
      );
    }
    scope[versionKey] ??= VERSION;
  }
  if (!customElements.get(tag)) customElements.define(tag, element);
}
