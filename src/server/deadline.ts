/** Hard deadlines that do not depend on the work honouring an abort signal. */

/**
 * Settles like `work`, or rejects with `timeout()` after `ms`. The timer's rejection waits for
 * the I/O already pending: in a process starved of CPU the timer and the answer fall due together,
 * and an answer that did arrive in time should win. `onTimeout` runs before the rejection (abort
 * the request, drop a shared entry). `work` is not cancelled; its later rejection is swallowed.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, timeout: () => Error, onTimeout?: () => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        setImmediate(() => {
          onTimeout?.();
          reject(timeout());
        }),
      Math.max(0, ms),
    );
  });
  work.catch(() => undefined);
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
