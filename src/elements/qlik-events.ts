import type { EmbedKitError } from '../auth/errors.ts';

const init = { bubbles: true, composed: true } as const;

/** Fired when the element's engine session is open and its app (`element.app`) is usable. */
export class QlikSessionOpenEvent extends Event {
  static readonly type = 'qlik-session-open';
  constructor(readonly appId: string) {
    super(QlikSessionOpenEvent.type, init);
  }
}

/**
 * Fired when the engine session is suspended: `initiator` is `network` (the socket dropped;
 * the kit resumes on its own when the close code allows) or `manual` (`session.suspend()`).
 */
export class QlikSessionSuspendedEvent extends Event {
  static readonly type = 'qlik-session-suspended';
  constructor(
    readonly initiator: 'network' | 'manual',
    readonly code: number,
    readonly reason: string,
  ) {
    super(QlikSessionSuspendedEvent.type, init);
  }
}

/** Fired when a suspended session is open again, with its selections when the engine kept them. */
export class QlikSessionResumedEvent extends Event {
  static readonly type = 'qlik-session-resumed';
  constructor() {
    super(QlikSessionResumedEvent.type, init);
  }
}

export type QlikSelectionAction = 'select' | 'search' | 'clear' | 'clear-field' | 'clear-all';

export interface QlikSelectionDetail {
  action: QlikSelectionAction;
  /** The object the user acted on, when there was one. */
  objectId?: string;
  /** Field or dimension label, when known. */
  field?: string;
  /** The values' texts (`qText`), for `select`. */
  values?: string[];
}

/** Fired after the user changed selections through the element (the engine has accepted it). */
export class QlikSelectionChangedEvent extends Event {
  static readonly type = 'qlik-selection-changed';
  readonly detail: QlikSelectionDetail;
  constructor(detail: QlikSelectionDetail) {
    super(QlikSelectionChangedEvent.type, init);
    this.detail = detail;
  }
}

/** Fired with the typed error when opening, resuming or an engine call fails. */
export class QlikErrorEvent extends Event {
  static readonly type = 'qlik-error';
  constructor(readonly error: EmbedKitError) {
    super(QlikErrorEvent.type, init);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'qlik-session-open': QlikSessionOpenEvent;
    'qlik-session-suspended': QlikSessionSuspendedEvent;
    'qlik-session-resumed': QlikSessionResumedEvent;
    'qlik-selection-changed': QlikSelectionChangedEvent;
    'qlik-error': QlikErrorEvent;
  }
}
