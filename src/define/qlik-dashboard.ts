/**
 * `import 'embed-kit/define/qlik-dashboard'`: registers `<qlik-dashboard>`, and `<qlik-object>`,
 * which draws its cells (add `embed-kit/define/auth-login` for the sign-in).
 */
import { QlikDashboard } from '../elements/qlik-dashboard/qlik-dashboard.ts';
import { defineTag } from './tag.ts';
import './qlik-object.ts';

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
export { QlikDashboard };

defineTag('qlik-dashboard', QlikDashboard);

declare global {
  interface HTMLElementTagNameMap {
    'qlik-dashboard': QlikDashboard;
  }
}
