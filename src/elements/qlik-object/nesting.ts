/**
 * Objects inside objects (a filter pane's listboxes, a container's charts) render as nested
 * `<qlik-object>`s. An app whose object lists itself (or an ancestor) as a child would nest
 * without end, one engine request per level; this guard stops that with a typed error in the cell.
 */
import { html, type TemplateResult } from 'lit';
import { hintIn } from '../../auth/error-registry/area.ts';
import { OBJECT_ERRORS } from '../../auth/error-registry/objects.ts';
import { EngineRequestError } from '../../qlik/errors.ts';

/** Objects nest at most this deep. */
const MAX_NESTING = 8;

/** Object ids from `element` up through the elements of the same tag it is nested in. */
export function ancestorObjectIds(element: HTMLElement & { objectId: string }): string[] {
  const ids = [element.objectId];
  for (let root = element.getRootNode(); root instanceof ShadowRoot && root.host.localName === element.localName; root = root.host.getRootNode()) {
    ids.push((root.host as HTMLElement & { objectId: string }).objectId);
  }
  return ids;
}

/** The error for nesting `objectId` under `ancestors` (innermost first), or `undefined` when it may nest. */
export function nestingError(ancestors: readonly string[], objectId: string): EngineRequestError | undefined {
  if (ancestors.includes(objectId)) {
    const path = [...ancestors].reverse().join(' → ');
    return new EngineRequestError('object_nesting', `Object ${objectId} is its own ancestor (${path} → ${objectId}); it is not nested again.`, {
      hint: hintIn(OBJECT_ERRORS, 'object_nesting'),
    });
  }
  if (ancestors.length >= MAX_NESTING) {
    return new EngineRequestError('object_nesting', `Objects nest deeper than ${MAX_NESTING} levels; ${objectId} is not shown.`, {
      hint: hintIn(OBJECT_ERRORS, 'object_nesting'),
    });
  }
  return undefined;
}

/** The cell shown instead of a nested object that may not nest. */
export function nestingErrorView(error: EngineRequestError): TemplateResult {
  return html`<div part="error nesting-error" role="alert"><strong part="error-message">${error.message}</strong> <span part="error-hint">${error.hint}</span> <code>${error.code}</code></div>`;
}
