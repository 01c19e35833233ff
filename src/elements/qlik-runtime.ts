/**
 * What a Qlik element needs only once it has a session: the page's session pool (and with it the
 * websocket-token exchange, the engine URL, the socket, suspend and resume), the app API, the
 * state declared in markup, sheets and object views. It loads in one piece, through
 * `loadQlikRuntime()` (runtime-loader.ts), when the first element signed in asks for a session,
 * so a page pays for it only then: the elements register and draw their signed-out state without it.
 */
export { sharedSessionPool } from '../qlik/session-pool.ts';
export * as actions from '../qlik/app-actions.ts';
export { subscribeSelections } from '../qlik/selections.ts';
export { applyInitialState, applyStateChange, parseValues, parseVariableValue } from '../qlik/initial-state.ts';
export { listSheets, openSheet } from '../qlik/sheets.ts';
export { ObjectView } from '../qlik/object-view.ts';
