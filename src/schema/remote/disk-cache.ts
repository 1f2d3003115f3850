import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makePrivateDir } from '../../cache/cache-dir.js';
import { seal, unseal } from '../../cache/sealed.js';

/** One cached response, keyed by URL. */
export interface CacheEntry {
  url: string;
  etag?: string;
  lastModified?: string;
  /** When it was last fetched or revalidated (ms since the epoch). */
  checkedAt: number;
  body: string;
}

/**
 * Schema files fetched from remote locations, under `$XDG_CACHE_HOME/fluxgate/schemas`.
 * Writes are atomic (a temporary file renamed over the entry), so concurrent fluxgate
 * processes never read half an entry; an entry whose digest does not match its content, or that
 * does not parse, is deleted and refetched.
 */
export class DiskCache {
  constructor(private readonly dir: string) {}

  private file(url: string): string {
    return path.join(this.dir, `${createHash('sha256').update(url).digest('hex')}.json`);
  }

  read(url: string): CacheEntry | undefined {
    const file = this.file(url);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      return undefined;
    }
    try {
      const payload = unseal(bytes);
      if (!payload) throw new Error('damaged entry');
      const entry = JSON.parse(payload.toString('utf8')) as CacheEntry;
      if (entry.url !== url || typeof entry.body !== 'string') throw new Error('not an entry');
      JSON.parse(entry.body);
      return entry;
    } catch {
      rmSync(file, { force: true });
      return undefined;
    }
  }

  write(entry: CacheEntry): void {
    const file = this.file(entry.url);
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      makePrivateDir(this.dir);
      writeFileSync(temp, seal(Buffer.from(JSON.stringify(entry))), { mode: 0o600 });
      renameSync(temp, file);
    } catch {
      // A cache that cannot be written only costs a refetch next time.
      rmSync(temp, { force: true });
    }
  }
}
