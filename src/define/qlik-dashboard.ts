/**
 * `import 'embed-kit/define/qlik-dashboard'`: registers `<qlik-dashboard>`, and `<qlik-object>`,
 * which draws its cells (add `embed-kit/define/auth-login` for the sign-in).
 */
import { QlikDashboard } from '../elements/qlik-dashboard/qlik-dashboard.ts';
import { defineTag } from './tag.ts';
import './qlik-object.ts';

// The qlik-object entry's types come along: the events' `GlobalEventHandlersEventMap` included.
export type * from './qlik-object.ts';
export { QlikDashboard };

defineTag('qlik-dashboard', QlikDashboard);

declare global {
  interface HTMLElementTagNameMap {
    'qlik-dashboard': QlikDashboard;
  }
}
