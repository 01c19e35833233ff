/**
 * The nebula.js page of the fidelity journey: Qlik's own enigma.js, stardust and sn-* charts,
 * unmodified, bundled by the journey with esbuild. The journey drives it through `window.nebula`.
 */
import enigma from 'enigma.js';
import schema from 'enigma.js/schemas/12.2027.0.json';
import { embed, type stardust } from '@nebula.js/stardust';
import barchart from '@nebula.js/sn-bar-chart';
import combochart from '@nebula.js/sn-combo-chart';
import filterpane from '@nebula.js/sn-filter-pane';
import kpi from '@nebula.js/sn-kpi';
import linechart from '@nebula.js/sn-line-chart';
import piechart from '@nebula.js/sn-pie-chart';
import pivotTable from '@nebula.js/sn-pivot-table';
import scatterplot from '@nebula.js/sn-scatter-plot';
import table from '@nebula.js/sn-table';
import { drawnIn, type Drawn } from '../../../support/nebula-drawn.ts';

export type { Drawn };

const TYPES: Record<string, unknown> = {
  barchart,
  combochart,
  filterpane,
  kpi,
  linechart,
  piechart,
  'pivot-table': pivotTable,
  scatterplot,
  table,
};

interface Harness {
  /** Opens the app over `url` (an engine URL with `?accessToken=`). */
  open(url: string): Promise<string[]>;
  /** Renders a stored object by id into a fresh box; resolves once nebula has rendered it. */
  renderId(id: string): Promise<void>;
  /**
   * Renders a stored sheet. Stardust 7.4's (experimental) sheet calls `options.onInitialRender()`
   * once every cell has rendered, without checking that it was given, so it is given here.
   */
  renderSheet(id: string): Promise<void>;
  /** Renders a chart created on the fly from fields. */
  renderFields(type: string, fields: Array<string | { qLibraryId: string; type: 'dimension' | 'measure' }>, key: string, properties?: object): Promise<void>;
  /** What the box with `key` has drawn. */
  drawn(key: string): Drawn;
  /** The property tree nebula generates for a type and fields (the shape Qlik's editor saves). */
  generateProperties(type: string, fields: string[]): Promise<object>;
}

let nebbie: stardust.Embed | undefined;

function box(key: string): HTMLElement {
  const element = document.createElement('div');
  element.dataset.key = key;
  element.style.cssText = key.startsWith('sheet-') ? 'width: 1200px; height: 720px; position: relative;' : 'width: 640px; height: 400px; position: relative;';
  document.body.append(element);
  return element;
}

function rendered(render: (element: HTMLElement) => Promise<unknown>, key: string): Promise<void> {
  const element = box(key);
  return new Promise<void>((resolve, reject) => {
    render(element).then(() => resolve(), reject);
  });
}

const harness: Harness = {
  async open(url) {
    const session = enigma.create({ schema, url });
    const global = (await session.open()) as unknown as { openDoc(id: string): Promise<unknown> };
    const appId = decodeURIComponent(new URL(url).pathname.split('/')[2] ?? '');
    const app = await global.openDoc(appId);
    nebbie = embed(app as never, {
      types: Object.entries(TYPES).map(([name, chart]) => ({ name, load: () => Promise.resolve(chart) })) as stardust.TypeInfo[],
      context: { theme: 'light', language: 'en-US' },
    });
    return Object.keys(TYPES);
  },
  renderId(id) {
    return rendered((element) => nebbie!.render({ element, id }), id);
  },
  renderSheet(id) {
    const options = { onInitialRender: () => undefined };
    return rendered((element) => nebbie!.render({ element, id, options }), id);
  },
  renderFields(type, fields, key, properties) {
    return rendered((element) => nebbie!.render({ element, type, fields: fields as stardust.Field[], ...(properties ? { properties } : {}) }), key);
  },
  drawn(key) {
    const element = document.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
    if (!element) return { inkPixels: 0, svgShapes: 0, text: '', error: `no box ${key}` };
    return drawnIn(element);
  },
  generateProperties(type, fields) {
    return nebbie!.generateProperties({ type, fields });
  },
};

(window as unknown as { nebula: Harness }).nebula = harness;
