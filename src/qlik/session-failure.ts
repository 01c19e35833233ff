import type { EmbedKitError } from '../auth/errors.ts';
import { engineClosedError } from './engine-closed.ts';
import { EngineConnectError, WebSocketTokenError, toEngineRequestError } from './errors.ts';
import type { LazySocket } from './lazy-socket.ts';

/** Close codes after which QLIK-PROTOCOL.md says to resume, plus the codes of a dropped network. */
const RESUMABLE_CODES = new Set([4003, 4004, 4007, 1001, 1005, 1006, 1011, 1012, 1013, 1014]);

export function isResumableCloseCode(code: number): boolean {
  return RESUMABLE_CODES.has(code);
}

export interface SessionFailure {
  /** The most specific typed error the evidence allows. */
  error: EmbedKitError;
  /** Whether another resume try may fix it (network trouble), or it is a refusal that will not change. */
  retryable: boolean;
}

/**
 * The one place that turns a failed open or resume into a typed error. The socket knows more
 * than the error enigma.js rejects with: why the token exchange failed, or the close code.
 */
export function classifySessionFailure(error: unknown, socket: LazySocket | undefined, context: { what: string; appId: string }): SessionFailure {
  if (socket?.failure !== undefined) {
    const failure = socket.failure;
    // Network trouble reaching the token endpoint is worth another try; refusals are not.
    const retryable = failure instanceof WebSocketTokenError && (failure.code === 'network_error' || failure.code === 'timeout' || failure.status >= 500);
    return { error: toEngineRequestError(failure, context.what), retryable };
  }
  if (socket?.opened && socket.closeInfo && socket.closeInfo.code !== 1000) {
    const { code, reason } = socket.closeInfo;
    return { error: engineClosedError(code, reason), retryable: isResumableCloseCode(code) };
  }
  if (socket && !socket.opened) {
    const origin = typeof location !== 'undefined' ? location.origin : "this page's origin";
    return {
      error: new EngineConnectError('engine_unreachable', `Could not connect to the engine for app ${context.appId}.`, {
        cause: error,
        hint:
          `The tenant refused the websocket. Most often this page's origin (${origin}) is not in the tenant's ` +
          'allowlist of trusted origins: add it. Also check that the app exists and the user may open it.',
      }),
      retryable: true,
    };
  }
  return { error: toEngineRequestError(error, context.what), retryable: true };
}
