import { createContext } from '@lit/context';
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
