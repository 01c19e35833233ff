/** `embed-kit/server`: Node only, no browser code. */
export { createImpersonationTokenHandler, REFRESH_HEADER } from './impersonation.ts';
export type { ImpersonationHandlerOptions, ImpersonationTokenHandler, NodeHandler } from './impersonation.ts';
export { ImpersonationError } from './errors.ts';
export type { ImpersonationErrorCode } from './errors.ts';
export { IMPERSONATION_GRANT } from './upstream.ts';
export type { Clock, UserLookup } from './upstream.ts';
export { memoryTokenCache } from './token-cache.ts';
export type { CachedToken, MemoryTokenCacheOptions, SingleFlightResult, TokenCache } from './token-cache.ts';
export { redisTokenCache, TokenCacheUnavailableError } from './redis-token-cache.ts';
export type { RedisClientLike, RedisTokenCacheOptions } from './redis-token-cache.ts';
export type { ImpersonationStats } from './token-broker.ts';
