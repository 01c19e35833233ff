/**
 * What every owner of sign-in state has in common (`AuthClient`, `BackendTokenSource`): the
 * status, the last error, the subscribers, and typed events. The owners decide when these
 * change; everything else only reads them or subscribes.
 */
import type { EmbedKitError } from './errors.ts';
import { notifyListeners } from './listeners.ts';
import type { AuthSnapshot, AuthStatus } from './source.ts';

/** The events every owner dispatches; each owner adds its own. */
export interface SignInStateEventMap {
  error: CustomEvent<EmbedKitError>;
  'status-change': CustomEvent<{ status: AuthStatus; previous: AuthStatus }>;
}

type Detail<E> = E extends CustomEvent<infer D> ? D : never;
type Listener<E> = ((event: E) => void) | { handleEvent(event: E): void } | null;

export abstract class SignInState<M extends SignInStateEventMap> extends EventTarget {
  readonly #listeners = new Set<(snapshot: AuthSnapshot) => void>();
  #status: AuthStatus = 'signed-out';
  #error: EmbedKitError | undefined;

  /** `signed-out`, `redirecting`, `exchanging`, `signed-in` or `error`. */
  get status(): AuthStatus {
    return this.#status;
  }

  /** The last failure; cleared by a new sign-in or a sign-out. */
  get error(): EmbedKitError | undefined {
    return this.#error;
  }

  /** Epoch milliseconds when the access token expires, when known. */
  abstract get expiresAt(): number | undefined;

  /** Called on every status change and token refresh. Returns the unsubscribe function. */
  subscribe(listener: (snapshot: AuthSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  override addEventListener<K extends keyof M & string>(type: K, listener: Listener<M[K]>, options?: boolean | AddEventListenerOptions): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
    super.addEventListener(type, listener, options);
  }

  override removeEventListener<K extends keyof M & string>(type: K, listener: Listener<M[K]>, options?: boolean | EventListenerOptions): void;
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void {
    super.removeEventListener(type, listener, options);
  }

  protected setError(error: EmbedKitError | undefined): void {
    this.#error = error;
  }

  protected setStatus(status: AuthStatus): void {
    const previous = this.#status;
    if (previous === status) return;
    this.#status = status;
    this.notify();
    this.dispatch('status-change', { status, previous } as Detail<M['status-change']>);
  }

  /** Tells subscribers the current status and expiry. */
  protected notify(): void {
    const snapshot: AuthSnapshot = { status: this.#status };
    if (this.expiresAt !== undefined) snapshot.expiresAt = this.expiresAt;
    notifyListeners(this.#listeners, snapshot);
  }

  protected dispatch<K extends keyof M & string>(type: K, detail: Detail<M[K]>): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
