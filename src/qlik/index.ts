/** The framework-free Qlik session layer: websocket tokens, engine URLs and the session pool. */
export {
  exchangeForWebSocketToken,
  clearWebSocketTokenCache,
  TOKEN_EXCHANGE_GRANT,
  ACCESS_TOKEN_TYPE,
  type ExchangeForWebSocketTokenOptions,
  type WebSocketTokenPurpose,
} from './websocket-token.ts';
export { buildEngineUrl, redactEngineUrl, tenantUrl, type EngineUrlOptions } from './engine-url.ts';
export {
  SessionPool,
  PooledSession,
  SessionLease,
  sharedSessionPool,
  isResumableCloseCode,
  type SessionPoolOptions,
  type AcquireOptions,
  type SessionStatus,
  type SessionEvents,
  type PoolEvents,
  type EnigmaFactory,
} from './session-pool.ts';
export { LazySocket, type CreateSocket, type WebSocketLike } from './lazy-socket.ts';
export { listSheets, openSheet, sheetFromLayout, type SheetInfo } from './sheets.ts';
export { watchSelections, subscribeSelections, type SelectionsWatch } from './selections.ts';
export { loadSchema, CORE_SCHEMA_TYPES, SCHEMA_VERSION, type SchemaChoice, type QixSchema } from './schema.ts';
export * from './app-actions.ts';
export { applyInitialState, applyStateChange, applySelection, parseValues, parseVariableValue, type InitialState, type SelectionSpec, type VariableSpec, type AppliedState } from './initial-state.ts';
export { hyperCubeCsv, exportXlsx, csvField, csvLine, cubeHeader, type ExportFormat, type XlsxExportOptions } from './export-data.ts';
export { registerStrings, loadStrings, stringsFor, onStringsChanged, formatString, BUNDLED_LANGUAGES, type KitStrings, type KitStringKey } from './i18n.ts';
export {
  QlikApiError,
  WebSocketTokenError,
  EngineClosedError,
  EngineConnectError,
  EngineRequestError,
  toEngineRequestError,
} from './errors.ts';
export { engineClosedError, CLOSE_CODE_TEXT } from './engine-closed.ts';
export type * from './qix-types.ts';
