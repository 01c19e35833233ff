export { createImpersonationTokenHandler, ImpersonationError } from './impersonation.ts';
export type { ImpersonationHandlerOptions, NodeHandler, UserLookup } from './impersonation.ts';
