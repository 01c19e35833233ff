import { css } from 'lit';

export const dashboardStyles = css`
  :host {
    --qlik-dashboard-row-height: 3.5rem;
    --qlik-dashboard-gap: 0.5rem;
    container-type: inline-size;
  }
  .dashboard {
    display: flex;
    flex-direction: column;
    gap: var(--qlik-dashboard-gap);
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
  }
  h2 {
    margin: 0;
    font-size: 1.25rem;
  }
  label {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
  }
  select {
    font: inherit;
  }
  .selections {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    min-height: 2rem;
  }
  .selections ul {
    display: contents;
    list-style: none;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 0.25rem;
    padding: 0.125rem 0.25rem 0.125rem 0.5rem;
    border: 1px solid var(--qlik-border-color);
    border-left: 4px solid var(--qlik-selected-color);
    border-radius: var(--qlik-radius);
    max-width: 20rem;
  }
  .chip .field {
    font-weight: 600;
  }
  .chip .values {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .chip button {
    padding: 0 0.4rem;
    border: none;
  }
  .none {
    color: var(--qlik-muted-color);
  }
  .grid {
    display: grid;
    gap: var(--qlik-dashboard-gap);
  }
  .grid > * {
    min-width: 0;
  }
  @container (max-width: 40rem) {
    .grid {
      grid-template-columns: 1fr !important;
      grid-template-rows: none !important;
    }
    .grid > * {
      grid-column: auto !important;
      grid-row: auto !important;
    }
  }
  /* Print: one object per page, in the sheet's order, without the controls. */
  @media print {
    .grid {
      display: block;
    }
    .grid > * {
      break-inside: avoid;
      break-after: page;
    }
    [part='sheet-picker'],
    [part~='clear-all-button'],
    .chip button {
      display: none;
    }
  }
`;
