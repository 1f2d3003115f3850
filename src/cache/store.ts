import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { BoundedMap } from '../core/bounded-map.js';
import { deepFreeze } from '../core/freeze.js';
import { makePrivateDir } from './cache-dir.js';
import { seal, unseal } from './sealed.js';

/** Entries are `<dir>/<area>/<2 hex>/<key>`, each a v8-serialized value sealed with its digest. */
const FORMAT = 'v2';

export interface CacheStats {
  hits: number;
  misses: number;
  writes: number;
}

/** A content hash of strings and buffers, for cache keys. */
export function contentKey(...parts: (string | Uint8Array)[]): string {
  const hash = createHash('sha256').update(FORMAT);
  for (const part of parts) hash.update('\0').update(part);
  return hash.digest('hex');
}

/**
 * Entries this process read or wrote, kept in memory (deserialized and frozen) while it lives,
 * weighed by serialized size: the daemon's runs skip the disk and the deserializing. Off unless
 * `keepInMemory`.
 */
const memory = new BoundedMap<string, unknown>();

/** Keeps up to `maxBytes` (serialized size) of recently used entries in memory; 0 turns it off. */
export function keepInMemory(maxBytes: number): void {
  memory.setLimit(maxBytes);
}

/** Keeps one entry, unless it alone would take more than a quarter of the memory. */
function remember(file: string, value: unknown, bytes: number): void {
  if (memory.enabled && bytes <= memory.capacity / 4) memory.set(file, deepFreeze(value), bytes);
}

/**
 * A content-addressed disk cache under fluxgate's cache directory. Keys are content hashes of
 * every input, so an entry is never stale, only unused. Safe under concurrent fluxgate processes:
 * an entry is written to a temporary file and renamed into place, so a reader sees all of it or
 * nothing. Each entry carries a digest of its content, checked on read: a damaged entry (or one
 * that does not deserialize) is deleted and is a miss, so the run writes it again. Entries are
 * private to the user (directories 0700, files 0600): rendered Secrets are in them.
 */
export class ContentStore {
  readonly stats: CacheStats = { hits: 0, misses: 0, writes: 0 };
  private readonly dir: string;

  constructor(root: string, area: string) {
    this.dir = path.join(root, area);
  }

  private file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), key);
  }

  get<T>(key: string): T | undefined {
    const file = this.file(key);
    const kept = memory.get(file);
    if (kept !== undefined) {
      this.stats.hits++;
      return kept as T;
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      this.stats.misses++;
      return undefined;
    }
    try {
      const payload = unseal(bytes);
      if (!payload) throw new Error('damaged cache entry');
      const value = deserialize(payload) as T;
      this.stats.hits++;
      remember(file, value, bytes.length);
      try {
        // Recently used entries survive pruning, which removes the least recently modified.
        const now = new Date();
        utimesSync(file, now, now);
      } catch {
        // read-only cache: fine
      }
      return value;
    } catch {
      rmSync(file, { force: true });
      this.stats.misses++;
      return undefined;
    }
  }

  set(key: string, value: unknown): void {
    const file = this.file(key);
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      makePrivateDir(path.dirname(file));
      const bytes = serialize(value);
      writeFileSync(temp, seal(bytes), { mode: 0o600 });
      renameSync(temp, file);
      this.stats.writes++;
      // A copy: the caller keeps using (and may change) its own value.
      if (memory.enabled) remember(file, deserialize(bytes), bytes.length);
    } catch {
      // A cache that cannot be written only costs the work next time.
      rmSync(temp, { force: true });
    }
  }
}

interface EntryStat {
  file: string;
  size: number;
  mtimeMs: number;
}

function entries(dir: string): EntryStat[] {
  const out: EntryStat[] = [];
  const walk = (at: string) => {
    let names: string[];
    try {
      names = readdirSync(at);
    } catch {
      return;
    }
    for (const name of names) {
      const file = path.join(at, name);
      const stat = statSync(file, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory()) walk(file);
      else out.push({ file, size: stat.size, mtimeMs: stat.mtimeMs });
    }
  };
  walk(dir);
  return out;
}

/** Bytes used by the cache directory. */
export function cacheSize(dir: string): { entries: number; bytes: number } {
  const all = entries(dir);
  return { entries: all.length, bytes: all.reduce((n, e) => n + e.size, 0) };
}

/**
 * Keeps the cache under `maxBytes`: removes the least recently used entries (oldest modification
 * time; a hit touches its entry) until it holds at most 80% of the limit. Leftover temporary files
 * older than an hour (a killed writer) go too.
 */
export function pruneCache(dir: string, maxBytes: number, now = Date.now()): { removed: number } {
  const all = entries(dir);
  let removed = 0;
  const remove = (e: EntryStat) => {
    rmSync(e.file, { force: true });
    removed++;
  };
  const live = all.filter((e) => {
    if (e.file.endsWith('.tmp') && now - e.mtimeMs > 3_600_000) {
      remove(e);
      return false;
    }
    return true;
  });
  let total = live.reduce((n, e) => n + e.size, 0);
  if (total <= maxBytes) return { removed };
  live.sort((a, b) => a.mtimeMs - b.mtimeMs);
  for (const e of live) {
    if (total <= maxBytes * 0.8) break;
    remove(e);
    total -= e.size;
  }
  return { removed };
}

/** `fluxgate cache clean`: removes every entry (the schema downloads and compiled policies too). */
export function cleanCache(dir: string): { entries: number; bytes: number } {
  const size = cacheSize(dir);
  rmSync(dir, { recursive: true, force: true });
  return size;
}
