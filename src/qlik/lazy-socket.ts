/** The part of the browser `WebSocket` that enigma.js uses; tests pass fakes with this shape. */
export type WebSocketLike = Pick<WebSocket, 'readyState' | 'onopen' | 'onclose' | 'onerror' | 'onmessage' | 'send' | 'close'>;

/** Opens a real socket to a ready URL. Defaults to `url => new WebSocket(url)`. */
export type CreateSocket = (url: string) => WebSocketLike;

/** Close code for a socket that ended without a close frame (RFC 6455 §7.4.1). */
const ABNORMAL_CLOSURE = 1006;

interface CloseInfo {
  code: number;
  reason: string;
}

/**
 * What enigma.js gets from `createSocket`. enigma creates sockets synchronously and passes
 * the URL it was configured with, but every new socket needs a new websocket token, which
 * takes a request. So this stands in for the socket at once, resolves the URL (fetching the
 * token), then opens the real socket and forwards its events. It behaves like a socket that
 * took longer to connect: `CONNECTING` until then, `error` + `close` if the URL cannot be made.
 */
export class LazySocket {
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;

  onopen: ((event: Event) => void) | null = null;
  onclose: ((event: CloseEvent | CloseInfo) => void) | null = null;
  onerror: ((event: Event | { type: 'error'; error: unknown }) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;

  /** Set when the URL could not be made (e.g. the token exchange failed): the typed error. */
  failure: unknown = undefined;
  /** True once the real socket opened. */
  opened = false;
  /** How the socket closed, once it has. */
  closeInfo: CloseInfo | undefined = undefined;

  /** Settles with `closeInfo` when the socket has closed, however it closed. */
  readonly closed: Promise<CloseInfo>;

  #socket: WebSocketLike | undefined;
  #state = 0;
  #settleClosed: (info: CloseInfo) => void = () => undefined;
  readonly #abort = new AbortController();

  constructor(
    resolveUrl: (signal: AbortSignal) => Promise<string>,
    createSocket: CreateSocket,
    hooks: { opened?: () => void; closed?: (wasOpen: boolean) => void } = {},
  ) {
    this.closed = new Promise((resolve) => (this.#settleClosed = resolve));
    resolveUrl(this.#abort.signal).then(
      (url) => {
        if (this.#state !== this.CONNECTING) return;
        let socket: WebSocketLike;
        try {
          socket = createSocket(url);
        } catch (error) {
          this.#fail(error);
          return;
        }
        this.#socket = socket;
        socket.onopen = (event) => {
          this.#state = this.OPEN;
          this.opened = true;
          hooks.opened?.();
          this.onopen?.(event);
        };
        socket.onerror = (event) => this.onerror?.(event);
        socket.onmessage = (event) => this.onmessage?.(event);
        socket.onclose = (event) => {
          this.#state = this.CLOSED;
          this.closeInfo = { code: event.code, reason: event.reason };
          this.#settleClosed(this.closeInfo);
          hooks.closed?.(this.opened);
          this.onclose?.(event);
        };
      },
      (error: unknown) => {
        if (this.#state === this.CONNECTING) this.#fail(error);
      },
    );
  }

  get readyState(): number {
    return this.#socket && this.#state !== this.CLOSED ? this.#socket.readyState : this.#state;
  }

  send(data: string): void {
    if (!this.#socket) throw new DOMException('Still connecting', 'InvalidStateError');
    this.#socket.send(data);
  }

  close(code = 1000, reason = ''): void {
    if (this.#state === this.CLOSED || this.#state === this.CLOSING) return;
    if (this.#socket) {
      this.#state = this.CLOSING;
      this.#socket.close(code, reason);
      return;
    }
    // Closed before a real socket existed: stop making the URL and end like a socket
    // closed while connecting does, with error then close, so enigma's pending open settles.
    this.#abort.abort();
    this.#state = this.CLOSED;
    this.closeInfo = { code, reason };
    this.#settleClosed(this.closeInfo);
    queueMicrotask(() => {
      this.onerror?.({ type: 'error', error: new DOMException('Closed before connecting', 'AbortError') });
      this.onclose?.({ code, reason });
    });
  }

  #fail(error: unknown): void {
    this.#state = this.CLOSED;
    this.failure = error;
    this.closeInfo = { code: ABNORMAL_CLOSURE, reason: error instanceof Error ? error.message : String(error) };
    this.#settleClosed(this.closeInfo);
    this.onerror?.({ type: 'error', error });
    this.onclose?.(this.closeInfo);
  }
}
