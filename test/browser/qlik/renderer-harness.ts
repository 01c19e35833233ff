/** Renders one native renderer into a shadow root, with a generic object that records engine calls. */
import { fixtureSync, html } from '@open-wc/testing';
import { render, type TemplateResult } from 'lit';
import type { GenericObjectLayout, NxDataPage, NxPage, QixDoc, QixGenericObject } from '../../../src/qlik/qix-types.ts';
import type { QlikSelectionDetail } from '../../../src/elements/qlik-events.ts';
import { rendererFor } from '../../../src/elements/renderers/index.ts';
import { en } from '../../../src/qlik/strings/en.ts';
import type { ObjectRenderer, RendererHost } from '../../../src/elements/renderers/types.ts';
import { objectStyles } from '../../../src/elements/qlik-object/qlik-object.styles.ts';
import { rendererStyles } from '../../../src/elements/renderers/styles.ts';

export interface Call {
  method: string;
  args: unknown[];
}

/** A generic object's API that records calls; data pages come from `pages`. */
export function fakeModel(pages?: (page: NxPage) => NxDataPage): { model: QixGenericObject; calls: Call[] } {
  const calls: Call[] = [];
  const record =
    (method: string, result: (...args: unknown[]) => unknown = () => true) =>
    async (...args: unknown[]) => {
      calls.push({ method, args });
      return result(...args);
    };
  const model = {
    id: 'obj',
    getHyperCubeData: record('getHyperCubeData', (_path, requested) => (requested as NxPage[]).map((p) => pages?.(p) ?? { qArea: p, qMatrix: [] })),
    getListObjectData: record('getListObjectData', (_path, requested) => (requested as NxPage[]).map((p) => pages?.(p) ?? { qArea: p, qMatrix: [] })),
    selectHyperCubeValues: record('selectHyperCubeValues'),
    selectListObjectValues: record('selectListObjectValues'),
    searchListObjectFor: record('searchListObjectFor'),
    acceptListObjectSearch: record('acceptListObjectSearch'),
    abortListObjectSearch: record('abortListObjectSearch'),
    clearSelections: record('clearSelections'),
  };
  return { model: model as unknown as QixGenericObject, calls };
}

export interface Harness {
  root: HTMLElement;
  calls: Call[];
  selections: QlikSelectionDetail[];
  errors: unknown[];
  renderer: ObjectRenderer;
  update(layout: GenericObjectLayout): Promise<void>;
  $<E extends Element = Element>(selector: string): E;
  $$<E extends Element = Element>(selector: string): E[];
}

/** Renders one renderer into a shadow root that has the object and renderer styles, like `<qlik-object>` does. */
export async function mount(layout: GenericObjectLayout, pages?: (page: NxPage) => NxDataPage): Promise<Harness> {
  const el = fixtureSync<HTMLDivElement>(html`<div></div>`);
  const root = el.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = [objectStyles, rendererStyles].map((styles) => styles.styleSheet as CSSStyleSheet);
  const { model, calls } = fakeModel(pages);
  const selections: QlikSelectionDetail[] = [];
  const errors: unknown[] = [];
  const paint = () => render(html`<h3 id="title">${layout.title}</h3>${renderer.render({ title: 'title', strings: en, lang: '', interactions: 'select' })}`, root);
  const host: RendererHost = {
    objectId: layout.qInfo.qId,
    model,
    app: {} as QixDoc,
    requestUpdate: () => queueMicrotask(paint),
    async select(detail, call) {
      await call();
      selections.push(detail);
    },
    report: (error) => errors.push(error),
    nested: (objectId: string): TemplateResult => html`<nested-object data-id=${objectId}></nested-object>`,
  };
  const renderer: ObjectRenderer = rendererFor(layout.visualization ?? layout.qInfo.qType)(host);
  const harness: Harness = {
    root: el,
    calls,
    selections,
    errors,
    renderer,
    async update(next) {
      layout = next;
      await renderer.update(next, new AbortController().signal);
      paint();
    },
    $: (selector) => {
      const found = root.querySelector(selector);
      if (!found) throw new Error(`no ${selector}`);
      return found as never;
    },
    $$: (selector) => [...root.querySelectorAll(selector)] as never,
  };
  await harness.update(layout);
  return harness;
}

