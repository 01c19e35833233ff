/**
 * The page the renderer journeys drive: `window.__RENDERERS__` (set by an init script) names
 * the app and the objects to show, and with which renderer. The page registers the nebula
 * plugin and every chart package the Sales app needs, as a consumer's page would, and records
 * the elements' events.
 */
import '../../../src/define.ts';
import { registerNebulaTypes } from '../../../src/renderers/nebula.ts';
import '../../../src/renderers/qlik-embed.ts';
import { SALES_CHART_LOADERS } from '../../support/nebula-charts.ts';
import { drawnIn, isDrawn } from '../../support/nebula-drawn.ts';

export interface RenderersPageConfig {
  auth: Record<string, string>;
  appId: string;
  /** One `<qlik-object>` per entry, in order; a string is an object id with the page's renderer. */
  objects: (string | { objectId: string; renderer: string; lang?: string })[];
  renderer: string;
  /** `interactions` for every object on the stage (default: none set, i.e. `select`). */
  interactions?: string;
  /** Side-by-side pages: a heading before the object at each index, and the grid's columns (default 3). */
  headings?: Record<number, string>;
  columns?: number;
  /** nebula.js chart types not to register (their objects show a placeholder naming the package). */
  unregistered?: string[];
  /** nebula.js chart types registered with a loader that fails, as a missing package would. */
  failing?: string[];
  /** nebula.js chart types registered with a chart needing more dimensions than any object has (nebula.js shows its error view). */
  incomplete?: string[];
  /** A style sheet for the page (a theme rule, as a page would write it). */
  css?: string;
  /** A `<qlik-dashboard>` with this renderer after the objects. */
  dashboard?: string;
  /** Load the dev tenant's qlik-embed stand-in (`<host>/qlik-embed/main.js`) first, as a page loads Qlik's loader. */
  qlikEmbedStandIn?: boolean;
}

interface RenderersWindow {
  __RENDERERS__?: RenderersPageConfig;
  __events: { type: string; target: string; objectId: string; detail?: unknown; code?: string }[];
  __nebulaDrawn: NebulaDrawnProbe;
}

export interface NebulaDrawnProbe {
  drawnIn: typeof drawnIn;
  isDrawn: typeof isDrawn;
}

const win = window as unknown as RenderersWindow;
const config = win.__RENDERERS__ ?? { auth: {}, appId: '', objects: [], renderer: 'native' };
win.__events = [];
// For the journey's `drawings()`: what each nebula.js chart has drawn.
win.__nebulaDrawn = { drawnIn, isDrawn };

const failing = (type: string) => () => Promise.reject(new TypeError(`Failed to resolve module specifier for ${type}`));
/** A nebula.js chart that needs five dimensions: nebula.js shows its "incomplete visualization" error view instead. */
const incomplete = () =>
  Promise.resolve({
    qae: { properties: { qHyperCubeDef: {} }, data: { targets: [{ path: '/qHyperCubeDef', dimensions: { min: 5, max: 5 }, measures: { min: 1, max: 1 } }] } },
    component: () => undefined,
  });
registerNebulaTypes(
  Object.fromEntries(
    Object.entries(SALES_CHART_LOADERS)
      .filter(([type]) => !config.unregistered?.includes(type))
      .map(([type, load]) => [type, config.failing?.includes(type) ? failing(type) : config.incomplete?.includes(type) ? incomplete : load]),
  ),
);

const login = document.getElementById('login') as HTMLElement;
for (const [name, value] of Object.entries(config.auth)) login.setAttribute(name, value);
document.getElementById('native-kpi')?.setAttribute('app-id', config.appId);

if (config.qlikEmbedStandIn) {
  const script = Object.assign(document.createElement('script'), { src: `${config.auth.host}/qlik-embed/main.js` });
  await new Promise((resolve, reject) => {
    script.addEventListener('load', resolve);
    script.addEventListener('error', () => reject(new Error(`could not load ${script.src}`)));
    document.head.append(script);
  });
}

if (config.css) document.head.append(Object.assign(document.createElement('style'), { textContent: config.css }));

const stage = document.getElementById('stage') as HTMLElement;
if (config.columns) stage.style.gridTemplateColumns = `repeat(${config.columns}, minmax(0, 1fr))`;
config.objects.forEach((entry, i) => {
  const heading = config.headings?.[i];
  if (heading) stage.append(Object.assign(document.createElement('h2'), { textContent: heading }));
  const { objectId, renderer, lang } = typeof entry === 'string' ? { objectId: entry, renderer: config.renderer, lang: undefined } : entry;
  const element = document.createElement('qlik-object');
  element.setAttribute('app-id', config.appId);
  element.setAttribute('object-id', objectId);
  element.setAttribute('renderer', renderer);
  if (lang) element.setAttribute('lang', lang);
  if (config.interactions) element.setAttribute('interactions', config.interactions);
  stage.append(element);
});

if (config.dashboard) {
  const dashboard = document.createElement('qlik-dashboard');
  dashboard.setAttribute('app-id', config.appId);
  dashboard.setAttribute('renderer', config.dashboard);
  dashboard.style.gridColumn = '1 / -1';
  stage.append(dashboard);
}

for (const type of ['qlik-error', 'qlik-selection-changed', 'qlik-session-open']) {
  document.addEventListener(type, (event) => {
    const target = event.composedPath()[0] as Element;
    win.__events.push({
      type,
      target: target.localName,
      objectId: target.getAttribute('object-id') ?? '',
      detail: (event as Event & { detail?: unknown }).detail,
      code: (event as Event & { error?: { code?: string } }).error?.code,
    });
  });
}
