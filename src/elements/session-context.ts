import { createContext } from '@lit/context';
import type { ReactiveControllerHost } from 'lit';
import type { AuthSource } from '../auth/source.ts';
import type { SessionPool } from '../qlik/session-pool.ts';

/**
 * What a Qlik element hands the kit elements it renders (a dashboard's cells, a filter pane's
 * listboxes): the sign-in and the pool of its session, so they lease that same session. An
 * element that receives it is nested: the outer element is the voice of the session.
 */
export interface QlikSessionScope {
  readonly authSource: AuthSource | undefined;
  /** The pool the outer element uses; `undefined` for the page's shared pool. */
  readonly pool: SessionPool | undefined;
}

/** A `Symbol.for` key, so two copies of the bundle on one page agree, as with `authContext`. */
export const qlikSessionContext = createContext<QlikSessionScope | undefined>(Symbol.for('embed-kit/qlik-session'));

/** The element properties and methods the session controller uses. */
export interface QlikSessionHost extends ReactiveControllerHost, HTMLElement {
  appId: string;
  identity?: string;
  /** Id of the `<auth-login>` (or other AuthSource element) to use. */
  auth?: string;
  /** An AuthSource object set directly; wins over every lookup. */
  authSource?: AuthSource;
  /** The pool to use; default the page's shared pool. */
  pool?: SessionPool;
  /**
   * `native`, or a renderer plugin's name. A whole-element plugin (`qlik-embed`) draws on its
   * own: the controller finds the sign-in but opens no session. A plugin the page has not
   * imported is an error (`renderer_not_registered`).
   */
  renderer?: string;
  /** Where the host renders; kit elements in it share the host's session. */
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** What the error view's retry button calls. */
  retry(): void;
}
