import type { EmbedKitError } from '../auth/errors.ts';
import type { QlikMeasureValue } from '../qlik/hypercube.ts';
import type { QlikSelectionDetail } from '../qlik/selections.ts';

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

export type { QlikSelectionAction, QlikSelectionDetail } from '../qlik/selections.ts';
export type { QlikMeasureValue } from '../qlik/hypercube.ts';

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

export interface QlikRenderedDetail {
  /** The object (or sheet) rendered; empty when the element had none to show. */
  objectId: string;
  /** Its type (`kpi`, `barchart`, `sheet`…); empty when it failed before the type was known. */
  type: string;
  /** Milliseconds from asking the engine to the DOM showing the result. */
  durationMs: number;
  /** Set when what was rendered is an error. */
  error?: EmbedKitError;
}

/**
 * Fired after every render: the first, each update after a selection, and error paths too (an
 * object not found, a session that could not open), so a page can always wait for it.
 */
export class QlikRenderedEvent extends Event {
  static readonly type = 'qlik-rendered';
  readonly detail: QlikRenderedDetail;
  constructor(detail: QlikRenderedDetail) {
    super(QlikRenderedEvent.type, init);
    this.detail = detail;
  }
}

export interface QlikDataPointClickDetail {
  objectId: string;
  /** The dimension's field (or label). */
  field: string;
  /** The clicked value's text. */
  value: string;
  measureValues: QlikMeasureValue[];
}

/**
 * Fired when the user activates a data point (a bar, a slice, a line's point). Cancelable: the
 * default action is selecting the value; `preventDefault()` keeps the selections as they are.
 */
export class QlikDataPointClickEvent extends Event {
  static readonly type = 'qlik-data-point-click';
  readonly detail: QlikDataPointClickDetail;
  constructor(detail: QlikDataPointClickDetail) {
    super(QlikDataPointClickEvent.type, { ...init, cancelable: true });
    this.detail = detail;
  }
}

/** Fired after a bookmark was applied (by `applyBookmark()` or the `bookmark` attribute). */
export class QlikBookmarkAppliedEvent extends Event {
  static readonly type = 'qlik-bookmark-applied';
  constructor(readonly bookmarkId: string) {
    super(QlikBookmarkAppliedEvent.type, init);
  }
}

/** Fired after the element set a variable (by `setVariable()` or a `<qlik-variable>` child), with its new value. */
export class QlikVariableChangedEvent extends Event {
  static readonly type = 'qlik-variable-changed';
  constructor(
    readonly name: string,
    readonly text: string,
    readonly number: number,
  ) {
    super(QlikVariableChangedEvent.type, init);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'qlik-session-open': QlikSessionOpenEvent;
    'qlik-session-suspended': QlikSessionSuspendedEvent;
    'qlik-session-resumed': QlikSessionResumedEvent;
    'qlik-selection-changed': QlikSelectionChangedEvent;
    'qlik-error': QlikErrorEvent;
    'qlik-rendered': QlikRenderedEvent;
    'qlik-data-point-click': QlikDataPointClickEvent;
    'qlik-bookmark-applied': QlikBookmarkAppliedEvent;
    'qlik-variable-changed': QlikVariableChangedEvent;
  }
}
