import { css } from 'lit';

/**
 * The look of `<qlik-object>` before its content loads: frame, title, status. The renderers'
 * styles and the menu's come with the content (object-content.ts).
 */
export const objectStyles = css`
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .frame {
    box-sizing: border-box;
    height: 100%;
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
    padding: var(--qlik-padding);
    background: var(--qlik-background);
    border: 1px solid var(--qlik-border-color);
    border-radius: var(--qlik-radius);
    min-width: 0;
  }
  h3 {
    margin: 0;
    font-size: 1rem;
    font-weight: 600;
  }
  .subtitle,
  .footnote {
    margin: 0;
    color: var(--qlik-muted-color);
    font-size: 0.875em;
  }
  .content {
    flex: 1;
    min-height: 0;
    min-width: 0;
    /* A column, so a renderer's main box (chart, table) can take the height the cell gives. */
    display: flex;
    flex-direction: column;
  }
  /* Nested objects (filter pane listboxes) sit inside this frame: no second border. */
  :host([data-nested]) .frame {
    border: none;
    padding: 0;
  }
  /* Interactions "none": a static picture, no pointer or keyboard use. */
  :host([interactions='none']) .content {
    pointer-events: none;
  }
  :host([interactions='passive']) .content [role='button'],
  :host([interactions='passive']) .content [role='option'] {
    cursor: default;
  }
  @media print {
    :host(:not([data-nested])) {
      break-inside: avoid;
      break-after: page;
    }
    [part~='retry-button'] {
      display: none;
    }
  }
`;
