import { css } from 'lit';

/**
 * Styles of the native renderers. They render into `<qlik-object>`'s shadow root, so these
 * are part of its styles; kept here, apart from the renderers, so the element does not load
 * d3 to get its CSS. Colours come from custom properties set on `:host`.
 */
export const rendererStyles = css`
  .empty {
    margin: 0;
    color: var(--qlik-muted-color);
  }
  .placeholder {
    display: grid;
    place-items: center;
    min-height: 4rem;
    height: 100%;
    border: 1px dashed var(--qlik-border-color);
    border-radius: var(--qlik-radius);
    color: var(--qlik-muted-color);
    padding: 0.5rem;
    text-align: center;
  }

  /* KPI: the value shrinks with a narrow cell instead of overflowing it. */
  .kpi-box {
    container-type: inline-size;
    height: 100%;
  }
  .kpi {
    margin: 0;
    display: grid;
    place-content: center;
    text-align: center;
    height: 100%;
    min-width: 0;
  }
  .kpi-value {
    font-size: min(var(--qlik-kpi-font-size, 2.5rem), calc(100cqi / var(--kpi-chars, 8) / 0.68));
    font-weight: 600;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  .kpi-label {
    color: var(--qlik-muted-color);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  /* Charts: drawn at the measured box's pixel size, so text keeps this size. */
  .chart {
    position: relative;
    flex: 1 1 auto;
    height: 100%;
    min-height: var(--qlik-chart-min-height, 10rem);
  }
  .chart svg {
    position: absolute;
    inset: 0;
    display: block;
    overflow: visible;
    font: inherit;
    font-size: 12px;
  }
  .axis .grid {
    stroke: var(--qlik-border-color);
    stroke-width: 1;
  }
  .axis .baseline {
    stroke: var(--qlik-muted-color);
  }
  .axis .tick,
  .value-label {
    fill: var(--qlik-muted-color);
  }
  .legend-label,
  .legend-value {
    fill: var(--qlik-text-color);
  }
  .bar,
  .slice,
  .point {
    cursor: pointer;
    outline: none;
  }
  .bar:focus-visible,
  .slice:focus-visible,
  .point:focus-visible {
    stroke: var(--qlik-focus-color);
    stroke-width: 3;
  }
  .bar[data-state='S'],
  .slice[data-state='S'],
  .point[data-state='S'] {
    stroke: var(--qlik-selected-color);
    stroke-width: 2;
  }
  .line,
  .legend-line {
    fill: none;
    stroke-width: 2;
  }
  .point {
    fill-opacity: 0.8;
  }
  .bubble {
    fill-opacity: 0.45;
  }
  .slice {
    stroke: var(--qlik-background);
    stroke-width: 1;
  }
  .s0 { stroke: var(--qlik-chart-color-0); }
  .s1 { stroke: var(--qlik-chart-color-1); }
  .s2 { stroke: var(--qlik-chart-color-2); }
  .s3 { stroke: var(--qlik-chart-color-3); }
  .s4 { stroke: var(--qlik-chart-color-4); }
  .s5 { stroke: var(--qlik-chart-color-5); }
  .s6 { stroke: var(--qlik-chart-color-6); }
  .s7 { stroke: var(--qlik-chart-color-7); }
  .c0 { fill: var(--qlik-chart-color-0); }
  .c1 { fill: var(--qlik-chart-color-1); }
  .c2 { fill: var(--qlik-chart-color-2); }
  .c3 { fill: var(--qlik-chart-color-3); }
  .c4 { fill: var(--qlik-chart-color-4); }
  .c5 { fill: var(--qlik-chart-color-5); }
  .c6 { fill: var(--qlik-chart-color-6); }
  .c7 { fill: var(--qlik-chart-color-7); }

  /* nebula.js: the chart fills this box (it is drawn in a slotted light-DOM child). */
  .nebula {
    position: relative;
    height: 100%;
    min-height: var(--qlik-chart-min-height, 10rem);
  }
  .placeholder-hint {
    font-size: 0.875em;
  }

  /* Table */
  .table-wrap {
    flex: 0 1 auto;
    min-height: 0;
    overflow: auto;
    max-height: var(--qlik-table-max-height, 24rem);
  }
  table {
    border-collapse: collapse;
    width: 100%;
    font-variant-numeric: tabular-nums;
  }
  th,
  td {
    padding: 0.25rem 0.5rem;
    border-bottom: 1px solid var(--qlik-border-color);
    text-align: start;
  }
  thead th {
    position: sticky;
    top: 0;
    background: var(--qlik-background);
  }
  .num {
    text-align: end;
  }
  .totals td,
  .totals th {
    font-weight: 600;
  }
  .pager {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    margin-top: 0.5rem;
  }
  .range {
    color: var(--qlik-muted-color);
  }

  /* Listbox and filter pane */
  .filterpane {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    height: 100%;
  }
  .filterpane > qlik-object {
    flex: 1 1 10rem;
    min-width: 8rem;
  }
  .listbox-tools {
    display: flex;
    gap: 0.25rem;
    margin-bottom: 0.25rem;
  }
  .listbox-tools input {
    flex: 1;
    min-width: 0;
    font: inherit;
  }
  .values {
    list-style: none;
    margin: 0;
    padding: 0;
    max-height: var(--qlik-listbox-max-height, 12rem);
    overflow: auto;
  }
  .value {
    padding: 0.25rem 0.5rem;
    border-bottom: 1px solid var(--qlik-background);
    cursor: pointer;
    background: var(--qlik-possible-background, #fff);
  }
  .value[data-state='S'],
  .value[data-state='L'] {
    background: var(--qlik-selected-color);
    color: var(--qlik-selected-text-color, #fff);
  }
  .value[data-state='A'] {
    background: var(--qlik-alternative-background, #ddd);
  }
  .value[data-state='X'],
  .value[data-state='XS'],
  .value[data-state='XL'] {
    background: var(--qlik-excluded-background, #a9a9a9);
    color: var(--qlik-excluded-text-color, #222);
  }
  .value:focus-visible {
    outline: 2px solid var(--qlik-focus-color);
    outline-offset: -2px;
  }

  /* Text */
  .text p {
    margin: 0 0 0.5em;
  }
`;
