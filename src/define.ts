/**
 * Registers every embed-kit tag. Safe to load twice, which CMS pages often do: a tag that is
 * already defined is left alone, and a second copy of a different version says so once.
 */
import { AuthLogin } from './elements/auth-login/auth-login.ts';
import { QlikDashboard } from './elements/qlik-dashboard/qlik-dashboard.ts';
import { QlikObject } from './elements/qlik-object/qlik-object.ts';
import { QlikSelection } from './elements/qlik-selection/qlik-selection.ts';
import { QlikVariable } from './elements/qlik-selection/qlik-variable.ts';
import { VERSION } from './version.ts';

const tags: Array<[string, CustomElementConstructor]> = [
  ['auth-login', AuthLogin],
  ['qlik-dashboard', QlikDashboard],
  ['qlik-object', QlikObject],
  ['qlik-selection', QlikSelection],
  ['qlik-variable', QlikVariable],
];

const versionKey = Symbol.for('embed-kit/version');
const registry = globalThis as typeof globalThis & { [versionKey]?: string };
const loaded = registry[versionKey];
if (loaded && loaded !== VERSION) {
  console.warn(
    `embed-kit ${VERSION} was loaded on a page that already runs embed-kit ${loaded}; the elements of ${loaded} stay in use. Load one copy only.`,
  );
}
registry[versionKey] ??= VERSION;

for (const [tag, element] of tags) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}

declare global {
  interface HTMLElementTagNameMap {
    'auth-login': AuthLogin;
    'qlik-dashboard': QlikDashboard;
    'qlik-object': QlikObject;
    'qlik-selection': QlikSelection;
    'qlik-variable': QlikVariable;
  }
}
