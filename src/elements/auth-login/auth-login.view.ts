/** What `<auth-login>` shows: a template of its state, with no state of its own. */
import { html, nothing, type TemplateResult } from 'lit';
import type { EmbedKitError } from '../../auth/errors.ts';
import type { AuthStatus } from '../../auth/source.ts';

export interface AuthLoginView {
  status: AuthStatus;
  error: EmbedKitError | undefined;
  userName: string | undefined;
  /** Tokens come from a backend: Retry instead of Sign in, and no sign-out button. */
  backend: boolean;
  signIn(): void;
  signOut(): void;
}

export function renderAuthLogin(view: AuthLoginView): TemplateResult {
  const { status, error } = view;
  // Templates ship as written, so they keep to single spaces between parts; line breaks go inside ${…}.
  const button = (part: string, label: string, click: () => void) =>
    html`<button part="button ${part}" type="button" @click=${click}>${label}</button>`;
  let main: TemplateResult;
  if (status === 'signed-in') {
    const name = view.userName;
    main = html`<slot name="signed-in"><span part="signed-in">Signed in${
      name ? html` as <span part="user-name">${name}</span>` : nothing
    }</span></slot> <slot name="sign-out">${
      // With a backend, the site's own sign-out ends the session; put it in this slot.
      view.backend ? nothing : button('sign-out', 'Sign out', view.signOut)
    }</slot>`;
  } else if (status === 'redirecting' || status === 'exchanging') {
    main = html`<span part="status" role="status">${status === 'redirecting' ? 'Redirecting to sign in…' : 'Signing in…'}</span>`;
  } else if (view.backend) {
    main = html`${
      status === 'signed-out' ? html`<span part="signed-out">Signed out</span>` : nothing
    } <slot name="sign-in">${button('sign-in', 'Retry', view.signIn)}</slot>`;
  } else {
    main = html`<slot name="sign-in">${button('sign-in', 'Sign in', view.signIn)}</slot>`;
  }
  return html`<div part="base"> ${main} ${
    error
      ? html`<slot name="error"><div part="error" role="alert"> <strong>${error.message}</strong> ${
          error.hint ? html`<span>${error.hint}</span>` : nothing
        } <code>${error.code}</code> </div></slot>`
      : nothing
  } </div>`;
}
