/** Test doubles for the auth core: a recording fetch and an in-memory Storage; and the checks the auth tests share. */
import { expect } from '@open-wc/testing';
import { ConfigurationError } from '../../../src/auth/errors.ts';
import type { LoginTransaction } from '../../../src/auth/transaction.ts';

/** Where a login transaction is kept, written out here so the tests check the key, not reuse it. */
export const TRANSACTION_PREFIX = 'embed-kit:auth:transaction:';

export interface RecordedRequest {
  url: string;
  method: string;
  headers: Headers;
  body: string;
  credentials: RequestCredentials | undefined;
  signal: AbortSignal | undefined;
}

export type Responder = (request: RecordedRequest) => Response | Promise<Response>;

export interface FakeFetch {
  fetch: typeof fetch;
  calls: RecordedRequest[];
  /** Calls whose URL is `url`. */
  to(url: string): RecordedRequest[];
}

/** A fetch that records every call and answers with `responder`. */
export function fakeFetch(responder: Responder): FakeFetch {
  const calls: RecordedRequest[] = [];
  const fake = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const request: RecordedRequest = {
      url: input instanceof Request ? input.url : String(input),
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? init.body : '',
      credentials: init.credentials,
      signal: init.signal ?? undefined,
    };
    calls.push(request);
    return responder(request);
  };
  return { fetch: fake as typeof fetch, calls, to: (url) => calls.filter((call) => call.url === url) };
}

/** Routes by exact URL; anything else is a 404. */
export function routes(table: Record<string, Responder>): Responder {
  return (request) => table[request.url]?.(request) ?? json({ error: 'not_found' }, 404);
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** A request body read as form or JSON, whichever its Content-Type says. */
export function bodyOf(request: RecordedRequest): Record<string, string> {
  if (request.headers.get('Content-Type')?.startsWith('application/json')) {
    return JSON.parse(request.body) as Record<string, string>;
  }
  return Object.fromEntries(new URLSearchParams(request.body));
}

/** Never settles, like a server that accepted the connection and went quiet. */
export function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}

export class MemoryStorage implements Storage {
  #items = new Map<string, string>();
  [name: string]: unknown;

  get length(): number {
    return this.#items.size;
  }
  clear(): void {
    this.#items.clear();
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, String(value));
  }
  /** Everything stored, for asserting what is (not) there. */
  dump(): string {
    return JSON.stringify([...this.#items]);
  }
}

/** A responder that answers with `respond()` after `ms` (a server that is not instant, so calls can overlap). */
export function delayed(respond: () => Response, ms = 20): Responder {
  return () => new Promise((resolve) => setTimeout(() => resolve(respond()), ms));
}

/** Runs `body` and returns what it threw; fails the test when it did not throw. */
export async function rejection(body: () => unknown): Promise<unknown> {
  try {
    await body();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but it resolved');
}

/** The login transaction stored for `state`, or null. */
export function storedTransaction(storage: MemoryStorage, state: string): LoginTransaction {
  return JSON.parse(storage.getItem(TRANSACTION_PREFIX + state) ?? 'null') as LoginTransaction;
}

/** Runs `body` and returns the code of the `type` error it threw; fails the test otherwise. */
export function thrownCode(body: () => unknown, type: abstract new (...args: never[]) => { code: string }): string {
  try {
    body();
  } catch (error) {
    expect(error).to.be.instanceOf(type);
    return (error as { code: string }).code;
  }
  throw new Error(`expected a ${type.name}`);
}

/** Runs `body` and returns the code of the ConfigurationError it threw; fails the test otherwise. */
export function configurationCode(body: () => unknown): string {
  return thrownCode(body, ConfigurationError);
}
