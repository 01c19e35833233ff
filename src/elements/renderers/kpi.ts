import { html } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { cubeWith, numberOf, rowsOf, textOf } from '../../qlik/hypercube.ts';
import { fromLayout } from './types.ts';
import { emptyState } from './empty-state.ts';

/** KPI: the first measure's value as the engine formatted it (`qText`), with its label. */
export const kpiRenderer = fromLayout((layout, _host, { strings }) => {
  const cube = cubeWith(layout, 0, 1);
  if (!cube) return emptyState(strings.kpiNoMeasure);
  const measureIndex = cube.qDimensionInfo.length;
  const cell = rowsOf(cube.qDataPages)[0]?.[measureIndex];
  const label = cube.qMeasureInfo[0]?.qFallbackTitle ?? '';
  const value = numberOf(cell);
  const text = cell ? textOf(cell) : '-';
  // The value's length lets CSS pick the largest size at which it still fits the cell's width.
  return html`<div class="kpi-box"><figure class="kpi" part="kpi">
    <data class="kpi-value" part="kpi-value" style=${styleMap({ '--kpi-chars': String(Math.max(4, text.length)) })} value=${Number.isFinite(value) ? String(value) : ''}
      >${text}</data
    >
    ${label ? html`<figcaption class="kpi-label" part="kpi-label">${label}</figcaption>` : null}
  </figure></div>`;
});
