/** `import 'embed-kit/define/qlik-object'`: registers `<qlik-object>` with `<qlik-selection>` and `<qlik-variable>` (add `embed-kit/define/auth-login` for the sign-in). */
import { QlikObject } from '../elements/qlik-object/qlik-object.ts';
import { QlikSelection } from '../elements/qlik-selection/qlik-selection.ts';
import { QlikVariable } from '../elements/qlik-selection/qlik-variable.ts';
import { defineTag } from './tag.ts';

// Re-exported so that this entry's type declarations carry the events' `GlobalEventHandlersEventMap`.
export type {
  QlikBookmarkAppliedEvent,
  QlikDataPointClickEvent,
  QlikErrorEvent,
  QlikRenderedEvent,
  QlikSelectionChangedEvent,
  QlikSessionOpenEvent,
  QlikSessionResumedEvent,
  QlikSessionSuspendedEvent,
  QlikVariableChangedEvent,
} from '../elements/qlik-events.ts';
export { QlikObject, QlikSelection, QlikVariable };

defineTag('qlik-object', QlikObject);
// The children that declare state in markup (`<qlik-selection>`, `<qlik-variable>`) come with it.
defineTag('qlik-selection', QlikSelection);
defineTag('qlik-variable', QlikVariable);

declare global {
  interface HTMLElementTagNameMap {
    'qlik-object': QlikObject;
    'qlik-selection': QlikSelection;
    'qlik-variable': QlikVariable;
  }
}
