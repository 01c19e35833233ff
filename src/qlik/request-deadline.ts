/**
 * A deadline for every engine request of an open session. Opening has its own (`openTimeoutMs`);
 * after it, an engine that goes quiet would leave `GetObject`, `GetLayout`, selections and data
 * calls pending for ever. Every generated method of enigma.js goes through the session's `send`,
 * so wrapping that one function covers the kit's calls and the page's own alike.
 */
import type { Clock } from '../auth/clock.ts';
import { hintIn } from '../auth/error-registry/area.ts';
import { QLIK_ERRORS } from '../auth/error-registry/qlik.ts';
import { EngineRequestError } from './errors.ts';
import type { EnigmaSession } from './qix-types.ts';

/** Methods that legitimately run as long as the work they start (a reload script, a save). */
const UNBOUNDED_METHODS = new Set(['DoReload', 'DoReloadEx', 'DoSave', 'SaveAs']);

/** A request as enigma.js's generated methods hand it to `Session.send`. */
interface EnigmaRequest {
  method: string;
  handle: number;
}

/** enigma.js tags the promise of a request with its JSON-RPC id (for `AbortRequest`). */
type SentRequest = Promise<unknown> & { requestId?: number };

interface Sender {
  send(request: EnigmaRequest): SentRequest;
}

export interface RequestDeadlineOptions {
  clock: Clock;
  /** No answer after this long rejects the call with `request_timeout`. `0` or `Infinity`: no deadline. */
  timeoutMs: number;
  /** Whether a request sent now gets the deadline (the session is open, not still opening). */
  applies(): boolean;
  appId: string;
}

/** Makes every request sent through `enigma` reject with a typed `request_timeout` when the engine does not answer in time. */
export function addRequestDeadline(enigma: EnigmaSession, options: RequestDeadlineOptions): void {
  const { clock, timeoutMs } = options;
  if (!(timeoutMs > 0 && Number.isFinite(timeoutMs))) return;
  const session = enigma as unknown as Sender;
  const send = session.send.bind(session);
  session.send = (request) => {
    const sent = send(request);
    if (UNBOUNDED_METHODS.has(request.method) || !options.applies()) return sent;
    let timer: unknown;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = clock.setTimeout(() => reject(requestTimeoutError(request.method, timeoutMs, options.appId)), timeoutMs);
    });
    const settled = () => clock.clearTimeout(timer);
    sent.then(settled, settled);
    const raced: SentRequest = Promise.race([sent, expired]);
    raced.requestId = sent.requestId;
    return raced;
  };
}

function requestTimeoutError(method: string, timeoutMs: number, appId: string): EngineRequestError {
  const seconds = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`;
  return new EngineRequestError('request_timeout', `The engine did not answer ${method} for app ${appId} within ${seconds}.`, { hint: hintIn(QLIK_ERRORS, 'request_timeout') });
}
