import { css, html, nothing, type TemplateResult } from 'lit';
import type { EmbedKitError } from '../auth/errors.ts';
import { stringsFor, type KitStrings } from '../qlik/i18n.ts';

/** A Qlik element's `status`: the pooled session's, plus `idle` before sign-in (and, for `loading="lazy"`, before it nears the viewport). */
export type QlikElementStatus = 'idle' | 'connecting' | 'open' | 'suspended' | 'error' | 'closed';

/**
 * Custom properties shared by `<qlik-dashboard>` and `<qlik-object>`, with their defaults,
 * and the look of the status views (progress, reconnecting, error with retry).
 */
export const hostStyles = css`
  /* Defaults only on the outermost element: a dashboard's cells and a filter pane's listboxes
     inherit their parent's values, so the page's theme reaches them too. */
  :host(:not([data-nested]):not([part~='cell'])) {
    --qlik-font-family: system-ui, sans-serif;
    --qlik-text-color: #1f2328;
    --qlik-muted-color: #59636e;
    --qlik-background: #fff;
    --qlik-border-color: #d1d9e0;
    --qlik-radius: 6px;
    --qlik-padding: 0.75rem;
    --qlik-focus-color: #0969da;
    --qlik-selected-color: #009845;
    --qlik-error-color: #c62828;
    --qlik-chart-color-0: #4477aa;
    --qlik-chart-color-1: #ee6677;
    --qlik-chart-color-2: #228833;
    --qlik-chart-color-3: #ccbb44;
    --qlik-chart-color-4: #66ccee;
    --qlik-chart-color-5: #aa3377;
    --qlik-chart-color-6: #bbbbbb;
    --qlik-chart-color-7: #332288;
  }
  :host {
    display: block;
    position: relative;
    box-sizing: border-box;
    font-family: var(--qlik-font-family);
    color: var(--qlik-text-color);
  }
  :host([hidden]) {
    display: none;
  }
  button {
    font: inherit;
    padding: 0.25rem 0.75rem;
    border: 1px solid var(--qlik-border-color);
    border-radius: var(--qlik-radius);
    background: var(--qlik-background);
    color: inherit;
    cursor: pointer;
  }
  button:disabled {
    cursor: default;
    opacity: 0.6;
  }
  button:focus-visible,
  select:focus-visible,
  input:focus-visible {
    outline: 2px solid var(--qlik-focus-color);
    outline-offset: 1px;
  }
  .status {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    padding: 0.5rem;
    color: var(--qlik-muted-color);
  }
  .status progress {
    width: 6rem;
  }
  .suspended {
    position: absolute;
    inset: auto 0.5rem 0.5rem auto;
    background: var(--qlik-background);
    border: 1px solid var(--qlik-border-color);
    border-radius: var(--qlik-radius);
  }
  .error {
    flex-direction: column;
    align-items: flex-start;
    color: var(--qlik-error-color);
    border: 1px solid currentColor;
    border-radius: var(--qlik-radius);
  }
  .error p {
    margin: 0;
  }
  .error .hint {
    color: var(--qlik-text-color);
  }
`;

export interface StatusViewOptions {
  status: QlikElementStatus;
  /** True once the element found a sign-in (shown as "sign in" rather than "no sign-in found"). */
  hasAuth: boolean;
  /** Loading something after the session opened (the object, the sheet). */
  loading: boolean;
  error: EmbedKitError | undefined;
  retry: () => void;
  /** The UI strings in the element's language; default English. */
  strings?: KitStrings;
}

/**
 * The visible state: a progress indicator while connecting or loading, a notice while
 * suspended, and errors as text (never HTML) with their hint and a retry button.
 */
export function statusView(options: StatusViewOptions): TemplateResult | typeof nothing {
  const { status, hasAuth, loading, error, retry } = options;
  const t = options.strings ?? stringsFor('');
  if (error) {
    return html`<div class="status error" part="error" role="alert">
      <p class="message" part="error-message">${error.message}</p>
      ${error.hint ? html`<p class="hint" part="error-hint">${error.hint}</p>` : nothing}
      <button part="button retry-button" type="button" @click=${retry}>${t.retry}</button>
    </div>`;
  }
  switch (status) {
    case 'idle':
      return html`<div class="status" part="idle">
        ${hasAuth ? t.signIn : t.noSignIn}
      </div>`;
    case 'connecting':
      return progress(t.connecting);
    case 'suspended':
      return html`<div class="status suspended" part="suspended" role="status">${t.reconnecting}</div>`;
    case 'closed':
      return html`<div class="status" part="closed">
        ${t.disconnected}
        <button part="button retry-button" type="button" @click=${retry}>${t.reconnect}</button>
      </div>`;
    default:
      return loading ? progress(t.loading) : nothing;
  }
}

function progress(label: string): TemplateResult {
  return html`<div class="status" part="progress" role="status">
    <progress aria-label=${label}></progress><span>${label}</span>
  </div>`;
}
