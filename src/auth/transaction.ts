/**
 * The login transaction: what the callback needs to finish a sign-in this tab started.
 * This is the only module that touches Web Storage, and the transaction is the only thing the
 * kit ever stores there — never a token. sessionStorage is per tab and survives the redirect.
 */
import { AuthorizationResponseError, ConfigurationError } from './errors.ts';
import { hintIn } from './error-registry/area.ts';
import { TRANSACTION_ERRORS } from './error-registry/transaction.ts';

/** Web Storage key prefix of login transactions, by `state`. */
const PREFIX = 'embed-kit:auth:transaction:';

/** A sign-in that has not come back after ten minutes is abandoned. */
export const TRANSACTION_TTL_MS = 10 * 60 * 1000;

export interface LoginTransaction {
  /** The `state` sent to the authorization endpoint; also the storage key. */
  state: string;
  /** PKCE `code_verifier`, needed once at the token endpoint. */
  verifier: string;
  /** The exact `redirect_uri` sent, which the token request must repeat. */
  redirectUri: string;
  /** Same-origin path to go back to after sign-in. */
  returnPath: string;
  /** Epoch milliseconds when the sign-in started. */
  createdAt: number;
  /** Issuer the request was sent to, for the RFC 9207 `iss` check. */
  issuer?: string;
  nonce?: string;
  /** The client that started the sign-in: only it may exchange the code. */
  clientId?: string;
  /** The token endpoint that client exchanges codes at. */
  tokenEndpoint?: string;
}

export interface TransactionStorageOptions {
  /** Defaults to `sessionStorage`; tests pass their own. */
  storage?: Storage;
  /** Clock seam for expiry; defaults to `Date.now`. */
  now?: () => number;
}

/** `storage`, else the tab's session storage; `undefined` where storage is blocked. */
function availableStorage(storage: Storage | undefined): Storage | undefined {
  if (storage) return storage;
  try {
    // Reading `sessionStorage` itself throws in sandboxed frames and with storage blocked.
    return globalThis.sessionStorage ?? undefined;
  } catch {
    return undefined;
  }
}

function resolveStorage(storage: Storage | undefined): Storage {
  const available = availableStorage(storage);
  if (available) return available;
  throw new ConfigurationError('storage_unavailable', 'sessionStorage is not available in this context.', {
    hint: hintIn(TRANSACTION_ERRORS, 'storage_unavailable'),
  });
}

function isTransaction(value: unknown): value is LoginTransaction {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.state === 'string' &&
    typeof record.verifier === 'string' &&
    typeof record.redirectUri === 'string' &&
    typeof record.returnPath === 'string' &&
    typeof record.createdAt === 'number' &&
    ['issuer', 'nonce', 'clientId', 'tokenEndpoint'].every((name) => record[name] === undefined || typeof record[name] === 'string')
  );
}

function read(storage: Storage, key: string): LoginTransaction | undefined {
  const raw = storage.getItem(key);
  if (raw === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return isTransaction(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isExpired(transaction: LoginTransaction, now: number): boolean {
  // A creation time in the future means a tampered record or a clock jump; neither is trusted.
  return now - transaction.createdAt > TRANSACTION_TTL_MS || transaction.createdAt > now + 60_000;
}

function ownKeys(storage: Storage): string[] {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i += 1) {
    const key = storage.key(i);
    if (key?.startsWith(PREFIX)) keys.push(key);
  }
  return keys;
}

/** Drops abandoned transactions so sign-ins that never came back do not pile up. */
function sweep(storage: Storage, now: number): void {
  for (const key of ownKeys(storage)) {
    const transaction = read(storage, key);
    if (!transaction || isExpired(transaction, now)) storage.removeItem(key);
  }
}

/** Stores `transaction` under its state, first dropping expired ones. */
export function saveTransaction(transaction: LoginTransaction, options: TransactionStorageOptions = {}): void {
  if (!transaction.state) throw new TypeError('transaction.state must be a non-empty string');
  const storage = resolveStorage(options.storage);
  sweep(storage, (options.now ?? Date.now)());
  storage.setItem(PREFIX + transaction.state, JSON.stringify(transaction));
}

/**
 * Reads and removes the transaction for `state` in one synchronous step, so it can be
 * consumed only once even when two callers race for the same callback.
 * @throws {AuthorizationResponseError} `missing_transaction` or `transaction_expired`.
 */
export function takeTransaction(state: string, options: TransactionStorageOptions = {}): LoginTransaction {
  const storage = resolveStorage(options.storage);
  const key = PREFIX + state;
  const transaction = read(storage, key);
  storage.removeItem(key);
  if (!transaction || transaction.state !== state) {
    throw new AuthorizationResponseError(
      'missing_transaction',
      'No sign-in is waiting for this callback in this tab.',
      { hint: hintIn(TRANSACTION_ERRORS, 'missing_transaction') },
    );
  }
  if (isExpired(transaction, (options.now ?? Date.now)())) {
    throw new AuthorizationResponseError('transaction_expired', 'The sign-in expired before the callback arrived.', {
      hint: hintIn(TRANSACTION_ERRORS, 'transaction_expired'),
    });
  }
  return transaction;
}

/**
 * The transaction for `state` without taking it, so that a callback for another client stays
 * where it is. `undefined` also where storage is blocked: then no sign-in can be waiting.
 */
export function peekTransaction(state: string, options: TransactionStorageOptions = {}): LoginTransaction | undefined {
  const storage = availableStorage(options.storage);
  const transaction = storage && read(storage, PREFIX + state);
  return transaction?.state === state ? transaction : undefined;
}

/**
 * Whether this tab has a sign-in under way (an unexpired transaction for any state). An
 * automatic redirect then waits for the user, so that a server that keeps sending the user back
 * without an answer cannot start a redirect loop. `false` where storage is blocked.
 */
export function hasPendingTransaction(options: TransactionStorageOptions = {}): boolean {
  const storage = availableStorage(options.storage);
  if (!storage) return false;
  const now = (options.now ?? Date.now)();
  return ownKeys(storage).some((key) => {
    const transaction = read(storage, key);
    return transaction !== undefined && !isExpired(transaction, now);
  });
}
