/** `embed-kit/server`: Node only, no browser code. */
export { createImpersonationTokenHandler, ImpersonationError, IMPERSONATION_GRANT } from './impersonation.ts';
export type { ImpersonationErrorCode, ImpersonationHandlerOptions, NodeHandler, UserLookup } from './impersonation.ts';
