import { LitElement, css, nothing } from 'lit';

/**
 * A variable value declared in markup, as a child of `<qlik-object>` or `<qlik-dashboard>`, for
 * what-if pages: set before the parent's first render and again whenever `value` changes.
 * Renders nothing.
 *
 * ```html
 * <qlik-object app-id="…" object-id="kpi-target">
 *   <qlik-variable name="vGrowth" value="0.15"></qlik-variable>
 * </qlik-object>
 * ```
 *
 * @tagname qlik-variable
 * @summary A variable value set on the parent's app before it renders.
 */
export class QlikVariable extends LitElement {
  static override properties = {
    name: { type: String, reflect: true },
    value: { type: String, reflect: true },
  };

  static override styles = css`
    :host {
      display: none;
    }
  `;

  /** The variable's name. */
  declare name: string;
  /** Its value; a plain number (`0.15`) is set as a number, anything else as text. */
  declare value: string;

  constructor() {
    super();
    this.name = '';
    this.value = '';
  }

  override render(): typeof nothing {
    return nothing;
  }
}
