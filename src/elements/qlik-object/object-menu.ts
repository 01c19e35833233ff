import { css, html, nothing, type TemplateResult } from 'lit';
import type { KitStrings } from '../../qlik/i18n.ts';

export type ObjectMenuAction = 'csv' | 'xlsx' | 'image';

/**
 * The object menu (`part="menu"`): a disclosure with the export buttons. Only what the object
 * can do is offered: data for hypercubes, an image for charts.
 */
export function objectMenu(strings: KitStrings, can: { data: boolean; image: boolean }, act: (action: ObjectMenuAction) => void): TemplateResult | typeof nothing {
  if (!can.data && !can.image) return nothing;
  const item = (action: ObjectMenuAction, label: string) =>
    html`<li><button part="button menu-item" type="button" data-action=${action} @click=${(event: Event) => {
      (event.currentTarget as HTMLElement).closest('details')?.removeAttribute('open');
      act(action);
    }}>${label}</button></li>`;
  return html`<details part="menu" class="menu">
    <summary part="menu-button" aria-label=${strings.menu} title=${strings.menu}>⋯</summary>
    <ul>
      ${can.data ? item('csv', strings.exportCsv) : nothing} ${can.data ? item('xlsx', strings.exportXlsx) : nothing}
      ${can.image ? item('image', strings.exportImage) : nothing}
    </ul>
  </details>`;
}

export const menuStyles = css`
  .menu {
    position: absolute;
    top: 0.25rem;
    right: 0.25rem;
    z-index: 1;
  }
  .menu summary {
    list-style: none;
    cursor: pointer;
    padding: 0 0.5rem;
    border-radius: var(--qlik-radius);
    color: var(--qlik-muted-color);
  }
  .menu summary::-webkit-details-marker {
    display: none;
  }
  .menu summary:focus-visible {
    outline: 2px solid var(--qlik-focus-color);
  }
  .menu ul {
    position: absolute;
    right: 0;
    margin: 0;
    padding: 0.25rem;
    list-style: none;
    background: var(--qlik-background);
    border: 1px solid var(--qlik-border-color);
    border-radius: var(--qlik-radius);
    white-space: nowrap;
  }
  .menu button {
    width: 100%;
    text-align: start;
    border: none;
  }
  :host([menu='none']) .menu {
    display: none;
  }
  @media print {
    .menu {
      display: none;
    }
  }
`;
