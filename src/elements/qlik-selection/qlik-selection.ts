import { LitElement, css, nothing } from 'lit';

/**
 * A selection declared in markup, as a child of `<qlik-object>` or `<qlik-dashboard>`: applied
 * before the parent's first render (no flash of unfiltered data), and again whenever it changes;
 * removing it clears the field. Renders nothing.
 *
 * ```html
 * <qlik-object app-id="…" object-id="kpi-total-sales">
 *   <qlik-selection field="Region" values="Europe;Americas"></qlik-selection>
 *   <qlik-selection field="Year" values="2023"></qlik-selection>
 * </qlik-object>
 * ```
 *
 * @tagname qlik-selection
 * @summary A selection applied to the parent's app before it renders.
 */
export class QlikSelection extends LitElement {
  static override properties = {
    field: { type: String, reflect: true },
    values: { type: String, reflect: true },
    match: { type: String, reflect: true },
    state: { type: String, reflect: true },
  };

  static override styles = css`
    :host {
      display: none;
    }
  `;

  /** The field to select in. */
  declare field: string;
  /** Values separated by `;` (`Europe;Americas`); plain numbers (`2023`) select numeric values. */
  declare values: string | undefined;
  /** A Qlik search string (`Eur*`, `>1000`) to select by, instead of `values`. */
  declare match: string | undefined;
  /** An alternate state to select in; default the app's default state. */
  declare state: string | undefined;

  constructor() {
    super();
    this.field = '';
  }

  override render(): typeof nothing {
    return nothing;
  }
}
