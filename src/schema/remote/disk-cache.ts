import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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
 * processes never read half an entry; an entry that does not parse is deleted and refetched.
 */
export class DiskCache {
  constructor(private readonly dir: string) {}

  private file(url: string): string {
    return path.join(this.dir, `${createHash('sha256').update(url).digest('hex')}.json`);
  }

  read(url: string): CacheEntry | undefined {
    const file = this.file(url);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const entry = JSON.parse(text) as CacheEntry;
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
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(temp, JSON.stringify(entry));
      renameSync(temp, file);
    } catch {
      // A cache that cannot be written only costs a refetch next time.
      rmSync(temp, { force: true });
    }
  }
}
