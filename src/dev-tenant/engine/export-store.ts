/**
 * Files made by ExportData, kept for a while and served to the user who made them at
 * `/tempcontent/{id}/{name}` (the dev tenant's HTTP server routes it here). Bounded in count
 * and bytes; the oldest go first.
 */
import { randomBytes } from 'node:crypto';
import type { ExportFile } from './export.ts';

export const TEMP_CONTENT_PREFIX = '/tempcontent/';

interface Stored {
  userId: string;
  file: ExportFile;
  expires: number;
  serveOnce: boolean;
}

export interface ExportStoreOptions {
  ttlMs?: number;
  maxBytes?: number;
  now?: () => number;
}

export class ExportStore {
  readonly #files = new Map<string, Stored>();
  readonly #ttlMs: number;
  readonly #maxBytes: number;
  readonly #now: () => number;

  constructor(options: ExportStoreOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 10 * 60_000;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#now = options.now ?? Date.now;
  }

  /** Keeps a file for `userId` (for one download when `serveOnce`); returns its URL path. */
  put(userId: string, file: ExportFile, serveOnce = false): string {
    const id = randomBytes(16).toString('base64url');
    this.#files.set(id, { userId, file, expires: this.#now() + this.#ttlMs, serveOnce });
    let bytes = 0;
    for (const stored of this.#files.values()) bytes += stored.file.body.length;
    for (const [key, stored] of this.#files) {
      if (bytes <= this.#maxBytes || key === id) break;
      bytes -= stored.file.body.length;
      this.#files.delete(key);
    }
    return `${TEMP_CONTENT_PREFIX}${id}/${encodeURIComponent(file.name)}`;
  }

  /** The file at a `/tempcontent/…` path, if it exists, has not expired and belongs to `userId`; `consume` counts as the one download of a serve-once file. */
  get(pathname: string, userId: string, consume = true): ExportFile | undefined {
    const id = pathname.slice(TEMP_CONTENT_PREFIX.length).split('/')[0] ?? '';
    const stored = this.#files.get(id);
    if (!stored) return undefined;
    if (stored.expires <= this.#now()) {
      this.#files.delete(id);
      return undefined;
    }
    if (stored.userId !== userId) return undefined;
    if (stored.serveOnce && consume) this.#files.delete(id);
    return stored.file;
  }

  clear(): void {
    this.#files.clear();
  }
}
