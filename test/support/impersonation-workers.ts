/**
 * Starts N backend instances (./impersonation-worker.ts), each its own Node process, sharing
 * one Redis: what a site runs behind a load balancer.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { ImpersonationStats } from '../../src/server/index.ts';

export interface WorkerConfig {
  tenantUrl: string;
  clientId: string;
  clientSecret: string;
  redisSocket: string;
  keyPrefix: string;
  /** base64, 32 bytes. */
  encryptionKey: string;
  client?: 'redis' | 'ioredis';
  timeoutMs?: number;
  requestTimeoutMs?: number;
  cacheRetryMs?: number;
  commandTimeoutMs?: number;
  lockTtlMs?: number;
}

export type WorkerRequest = { id: number; op: 'stats' | 'evict' | 'revoke'; user?: string };
export type WorkerMessage =
  | { type: 'ready'; port: number }
  | { type: 'error'; code: string; message: string }
  | { type: 'reply'; id: number; result?: unknown; error?: string };

export interface Worker {
  readonly origin: string;
  readonly process: ChildProcess;
  /** Codes and messages its onError heard. */
  readonly errors: Array<{ code: string; message: string }>;
  stats(): Promise<ImpersonationStats>;
  evict(user: string): Promise<void>;
  revoke(user: string): Promise<boolean>;
  /** SIGKILL, as a crash; resolves once the process is gone. */
  kill(): Promise<void>;
}

const ENTRY = fileURLToPath(new URL('./impersonation-worker.ts', import.meta.url));

export function newEncryptionKey(): string {
  return randomBytes(32).toString('base64');
}

function startWorker(config: WorkerConfig): Promise<Worker> {
  const child = fork(ENTRY, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, EMBED_KIT_WORKER: JSON.stringify(config) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const errors: Array<{ code: string; message: string }> = [];
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  const call = (op: WorkerRequest['op'], user?: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, op, user } satisfies WorkerRequest);
    });
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => {
      reject(new Error(`worker exited (${code ?? signal}) before it was ready`));
      for (const waiter of pending.values()) waiter.reject(new Error('worker exited'));
    });
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'error') errors.push({ code: message.code, message: message.message });
      else if (message.type === 'reply') {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(message.error));
        else waiter?.resolve(message.result);
      } else {
        resolve({
          origin: `http://127.0.0.1:${message.port}`,
          process: child,
          errors,
          stats: () => call('stats') as Promise<ImpersonationStats>,
          evict: async (user) => void (await call('evict', user)),
          revoke: (user) => call('revoke', user) as Promise<boolean>,
          kill: () =>
            child.exitCode !== null || child.signalCode !== null
              ? Promise.resolve()
              : new Promise<void>((done) => {
                  child.once('exit', () => done());
                  child.kill('SIGKILL');
                }),
        });
      }
    });
  });
}

/** `count` instances with the same configuration; stop them with `stopWorkers`. */
export function startWorkers(count: number, config: WorkerConfig): Promise<Worker[]> {
  return Promise.all(Array.from({ length: count }, () => startWorker(config)));
}

export async function stopWorkers(workers: readonly Worker[]): Promise<void> {
  await Promise.all(workers.map((worker) => worker.kill()));
}
