/** Classes and types only; importing this registers nothing. Use `embed-kit/define` for that. */
export { AuthLogin } from './elements/auth-login/auth-login.ts';
export * from './elements/auth-login/events.ts';
export { QlikDashboard } from './elements/qlik-dashboard/qlik-dashboard.ts';
export { QlikObject, type ExportDataOptions, type ExportImageOptions } from './elements/qlik-object/qlik-object.ts';
export { QlikElement, type QlikRendererName, type QlikInteractions, type QlikLoading } from './elements/qlik-element.ts';
export { QlikSelection } from './elements/qlik-selection/qlik-selection.ts';
export { QlikVariable } from './elements/qlik-selection/qlik-variable.ts';
export * from './elements/qlik-events.ts';
export { authContext } from './elements/auth-context.ts';
export { VERSION } from './version.ts';
export * from './auth/index.ts';
export * from './qlik/index.ts';
