import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { AuthSource } from '../auth/source.ts';
import { EmbedKitError } from '../auth/errors.ts';
import { hintIn } from '../auth/error-registry/area.ts';
import { QLIK_ERRORS } from '../auth/error-registry/qlik.ts';
import { TOKEN_ERRORS } from '../auth/error-registry/tokens.ts';
import { QlikErrorEvent } from './qlik-events.ts';
import { statusView } from './qlik-status.ts';
import type { RendererView, RenderTarget } from './renderers/registry.ts';

/** qlik-embed's `ui` for each kind of target. */
const UI: Record<RenderTarget['kind'], string> = { object: 'analytics/chart', sheet: 'analytics/sheet', app: 'classic/app' };

let loading: Promise<unknown> | undefined;

/**
 * Loads `@qlik/embed-web-components` once. Its module defines `<qlik-embed>` without checking
 * first, so it is skipped when the tag already exists (another copy, or the page's own script).
 */
export function loadQlikEmbed(): Promise<unknown> {
  if (customElements.get('qlik-embed')) return Promise.resolve();
  loading ??= import('@qlik/embed-web-components').catch((error: unknown) => {
    loading = undefined;
    throw new EmbedKitError('qlik_embed_not_loaded', 'Could not load @qlik/embed-web-components.', { cause: error, hint: hintIn(QLIK_ERRORS, 'qlik_embed_not_loaded') });
  });
  return loading;
}

/**
 * The `qlik-embed` plugin's view: renders `<qlik-embed>` for real tenants, signed in through
 * our own sign-in. qlik-embed reads its configuration from attributes only, so the token hook
 * is a global function named in `get-access-token` (its documented contract:
 * `getAccessToken(): Promise<string>`, looked up on `globalThis`). Each element registers its
 * own uniquely named function, which asks the sign-in for a fresh token on every call, and
 * removes it when disconnected.
 */
export class QlikEmbedView implements ReactiveController, RendererView {
  /** Set when loading the package failed. */
  error: EmbedKitError | undefined;
  readonly #host: ReactiveControllerHost & HTMLElement;
  #functionName: string | undefined;
  #auth: AuthSource | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  /** The global name of this element's token function, once rendered. */
  get tokenFunctionName(): string | undefined {
    return this.#functionName;
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    if (this.#functionName) Reflect.deleteProperty(globalThis, this.#functionName);
    this.#functionName = undefined;
  }

  /** `<qlik-embed>` for `target`, after the error view when the package could not be loaded. */
  render(auth: AuthSource, target: RenderTarget): TemplateResult {
    this.#auth = auth;
    if (!this.#functionName) {
      this.#functionName = `embedKitGetAccessToken_${crypto.randomUUID().replaceAll('-', '')}`;
      (globalThis as Record<string, unknown>)[this.#functionName] = (): Promise<string> => {
        if (!this.#auth) return Promise.reject(new EmbedKitError('not_signed_in', 'Not signed in.', { hint: hintIn(TOKEN_ERRORS, 'not_signed_in') }));
        return this.#auth.getAccessToken();
      };
      loadQlikEmbed().then(
        () => undefined,
        (error: unknown) => {
          this.error = error instanceof EmbedKitError ? error : new EmbedKitError('qlik_embed_not_loaded', String(error), { hint: hintIn(QLIK_ERRORS, 'qlik_embed_not_loaded') });
          this.#host.dispatchEvent(new QlikErrorEvent(this.error));
          this.#host.requestUpdate();
        },
      );
    }
    return html`${this.error ? statusView({ status: 'error', hasAuth: true, loading: false, error: this.error, retry: () => this.#host.requestUpdate() }) : nothing}
      <qlik-embed
        ui=${UI[target.kind]}
        app-id=${target.appId}
        object-id=${target.objectId || nothing}
        identity=${target.identity || nothing}
        host=${auth.host ?? nothing}
        client-id=${auth.clientId ?? nothing}
        auth-type="Oauth2"
        get-access-token=${this.#functionName}
      ></qlik-embed>`;
  }
}
