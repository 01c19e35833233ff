/**
 * JSON-RPC 2.0 as the QIX engine speaks it: errors are `{ code, parameter, message }` with the
 * engine's `LocalizedErrorCode` numbers, and params may be positional (what enigma.js sends)
 * or named.
 */
import { isRecord, type JsonObject } from './json.ts';

/** The engine's error codes used here (names from the schema's `LocalizedErrorCode` enum). */
export const ErrorCode = {
  GENERIC_NOT_FOUND: 2,
  GENERIC_ALREADY_EXISTS: 3,
  GENERIC_INVALID_PATH: 4,
  GENERIC_INVALID_PARAMETERS: 8,
  APP_NOT_FOUND: 1003,
  APP_NOT_OPEN: 1017,
  HC_RESULT_TOO_LARGE: 6001,
  CALC_INVALID_DEF: 7000,
  JSON_RPC_INVALID_REQUEST: -32600,
  JSON_RPC_METHOD_NOT_FOUND: -32601,
  JSON_RPC_INVALID_PARAMETERS: -32602,
  JSON_RPC_INTERNAL_ERROR: -32603,
  JSON_RPC_PARSE_ERROR: -32700,
} as const;

export class QixError extends Error {
  override readonly name = 'QixError';
  readonly code: number;
  readonly parameter: string;

  constructor(code: number, message: string, parameter = '') {
    super(message);
    this.code = code;
    this.parameter = parameter;
  }

  toJSON(): { code: number; parameter: string; message: string } {
    return { code: this.code, parameter: this.parameter, message: this.message };
  }
}

export function methodNotFound(type: string, method: string): QixError {
  return new QixError(ErrorCode.JSON_RPC_METHOD_NOT_FOUND, `JSON-RPC method not found: ${type}.${method}`, method);
}

export function invalidParams(parameter: string, detail: string): QixError {
  return new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, `Invalid method parameter(s): ${detail}`, parameter);
}

/** A request as read off the wire, after the envelope checks. */
export interface RpcRequest {
  id: number | string | null | undefined;
  handle: number;
  method: string;
  params: unknown;
  delta: boolean;
}

/** Reads the envelope of a parsed message; throws a QixError for an invalid request. */
export function readRequest(message: unknown): RpcRequest {
  if (!isRecord(message)) throw new QixError(ErrorCode.JSON_RPC_INVALID_REQUEST, 'Invalid request: expected a JSON object', 'request');
  const { id, handle, method, params, delta } = message;
  if (id !== undefined && id !== null && typeof id !== 'number' && typeof id !== 'string') {
    throw new QixError(ErrorCode.JSON_RPC_INVALID_REQUEST, 'Invalid request: id must be a number or string', 'id');
  }
  if (typeof method !== 'string' || method === '') throw new QixError(ErrorCode.JSON_RPC_INVALID_REQUEST, 'Invalid request: method is missing', 'method');
  if (typeof handle !== 'number' || !Number.isInteger(handle)) throw new QixError(ErrorCode.JSON_RPC_INVALID_REQUEST, 'Invalid request: handle must be an integer', 'handle');
  if (params !== undefined && !Array.isArray(params) && !isRecord(params)) {
    throw new QixError(ErrorCode.JSON_RPC_INVALID_PARAMETERS, 'Invalid method parameter(s): params must be an array or an object', 'params');
  }
  return { id, handle, method, params: params ?? [], delta: delta === true };
}

/**
 * A method's parameters by name, whichever way they were sent. Getters check the type and
 * throw JSON-RPC "invalid params" naming the parameter.
 */
export class Params {
  readonly #values: Map<string, unknown>;

  constructor(params: unknown, names: readonly string[]) {
    this.#values = new Map();
    if (Array.isArray(params)) {
      names.forEach((name, i) => {
        if (i < params.length && params[i] !== undefined && params[i] !== null) this.#values.set(name, params[i]);
      });
    } else if (isRecord(params)) {
      for (const name of names) if (params[name] !== undefined && params[name] !== null) this.#values.set(name, params[name]);
    }
  }

  #get<T>(name: string, fallback: T | undefined, check: (v: unknown) => v is T, what: string): T {
    const value = this.#values.get(name);
    if (value === undefined) {
      if (fallback === undefined) throw invalidParams(name, `${name} is required`);
      return fallback;
    }
    if (!check(value)) throw invalidParams(name, `${name} must be ${what}`);
    return value;
  }

  string(name: string, fallback?: string): string {
    return this.#get(name, fallback, (v): v is string => typeof v === 'string', 'a string');
  }

  boolean(name: string, fallback?: boolean): boolean {
    return this.#get(name, fallback, (v): v is boolean => typeof v === 'boolean', 'a boolean');
  }

  integer(name: string, fallback?: number): number {
    return this.#get(name, fallback, (v): v is number => typeof v === 'number' && Number.isInteger(v), 'an integer');
  }

  number(name: string, fallback?: number): number {
    return this.#get(name, fallback, (v): v is number => typeof v === 'number' && Number.isFinite(v), 'a number');
  }

  object(name: string, fallback?: JsonObject): JsonObject {
    return this.#get(name, fallback, isRecord, 'an object');
  }

  array(name: string, fallback?: unknown[]): unknown[] {
    return this.#get(name, fallback, (v): v is unknown[] => Array.isArray(v), 'an array');
  }
}
