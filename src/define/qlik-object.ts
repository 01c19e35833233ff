/** `import 'embed-kit/define/qlik-object'`: registers `<qlik-object>` (add `embed-kit/define/auth-login` for the sign-in). */
import { QlikObject } from '../elements/qlik-object/qlik-object.ts';
import { defineTag } from './tag.ts';

// Re-exported so that this entry's type declarations carry the events' `GlobalEventHandlersEventMap`.
export type { QlikErrorEvent, QlikSelectionChangedEvent, QlikSessionOpenEvent, QlikSessionResumedEvent, QlikSessionSuspendedEvent } from '../elements/qlik-events.ts';
export { QlikObject };

defineTag('qlik-object', QlikObject);

declare global {
  interface HTMLElementTagNameMap {
    'qlik-object': QlikObject;
  }
}
