import { readFile } from 'node:fs/promises';
import type { Dispatcher } from 'undici';
import { type CacheEntry, DiskCache } from './disk-cache.js';
import { isRetryable, retryDelay, Semaphore } from './retry.js';

export interface FetcherOptions {
  cacheDir: string;
  /** Never touch the network: only the disk cache and local files. */
  offline?: boolean;
  timeoutMs?: number;
  retries?: number;
  concurrency?: number;
  /** A cached entry younger than this is used without revalidation. */
  maxAgeMs?: number;
  /** Backoff base when the server gives no Retry-After. */
  backoffMs?: number;
  /** Longest wait honoured for one Retry-After. */
  maxDelayMs?: number;
  dispatcher?: Dispatcher;
  debug?: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

export type FetchResult =
  | { status: 'ok'; body: string }
  | { status: 'not-found' }
  | { status: 'error'; message: string };

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Fetches schema files (undici): disk cache first, revalidated with ETag/Last-Modified once
 * stale, bounded concurrency, a timeout per request, retries with backoff on 429/5xx and
 * network errors honouring Retry-After. Requests for one URL in one run are made once.
 */
export class SchemaFetcher {
  private readonly cache: DiskCache;
  private readonly semaphore: Semaphore;
  private readonly inflight = new Map<string, Promise<FetchResult>>();
  private readonly o: Required<Omit<FetcherOptions, 'dispatcher' | 'debug'>> & FetcherOptions;

  constructor(options: FetcherOptions) {
    this.o = {
      offline: false,
      timeoutMs: 10_000,
      retries: 3,
      concurrency: 8,
      maxAgeMs: 24 * 3600_000,
      backoffMs: 500,
      maxDelayMs: 30_000,
      sleep: sleepFor,
      ...options,
    };
    this.cache = new DiskCache(options.cacheDir);
    this.semaphore = new Semaphore(this.o.concurrency);
  }

  get(url: string): Promise<FetchResult> {
    let pending = this.inflight.get(url);
    if (!pending) {
      pending = /^https?:\/\//.test(url) ? this.semaphore.run(() => this.remote(url)) : readLocal(url);
      this.inflight.set(url, pending);
    }
    return pending;
  }

  private async remote(url: string): Promise<FetchResult> {
    const cached = this.cache.read(url);
    if (cached && (this.o.offline || Date.now() - cached.checkedAt < this.o.maxAgeMs)) {
      this.o.debug?.(`schema cache hit ${url}`);
      return { status: 'ok', body: cached.body };
    }
    if (this.o.offline) return { status: 'not-found' };
    let last = 'no attempt';
    for (let attempt = 0; attempt <= this.o.retries; attempt++) {
      let retryAfter: string | null = null;
      try {
        const headers: Record<string, string> = { accept: 'application/json' };
        if (cached?.etag) headers['if-none-match'] = cached.etag;
        if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;
        // Loaded on the first fetch: most runs use bundled schemas only.
        const { fetch } = await import('undici');
        const response = await fetch(url, {
          headers,
          signal: AbortSignal.timeout(this.o.timeoutMs),
          ...(this.o.dispatcher ? { dispatcher: this.o.dispatcher } : {}),
        });
        if (response.status === 304 && cached) {
          await response.body?.cancel();
          this.o.debug?.(`schema revalidated ${url}`);
          this.cache.write({ ...cached, checkedAt: Date.now() });
          return { status: 'ok', body: cached.body };
        }
        if (response.ok) {
          const body = await response.text();
          JSON.parse(body);
          this.cache.write(entryOf(url, response.headers, body));
          return { status: 'ok', body };
        }
        await response.body?.cancel();
        if (response.status === 404 || response.status === 410) return { status: 'not-found' };
        last = `HTTP ${response.status}`;
        if (!isRetryable(response.status)) break;
        retryAfter = response.headers.get('retry-after');
      } catch (error) {
        const name = (error as Error).name;
        last = name === 'TimeoutError' ? `timed out after ${this.o.timeoutMs} ms` : (error as Error).message;
        if (error instanceof SyntaxError) break;
      }
      if (attempt < this.o.retries) {
        const delay = Math.min(retryDelay(attempt, retryAfter, this.o.backoffMs), this.o.maxDelayMs);
        this.o.debug?.(`schema fetch ${url}: ${last}, retry in ${delay} ms`);
        await this.o.sleep(delay);
      }
    }
    return { status: 'error', message: `${url}: ${last}` };
  }
}

function entryOf(url: string, headers: Headers, body: string): CacheEntry {
  const entry: CacheEntry = { url, checkedAt: Date.now(), body };
  const etag = headers.get('etag');
  const lastModified = headers.get('last-modified');
  if (etag) entry.etag = etag;
  if (lastModified) entry.lastModified = lastModified;
  return entry;
}

async function readLocal(file: string): Promise<FetchResult> {
  try {
    const body = await readFile(file, 'utf8');
    JSON.parse(body);
    return { status: 'ok', body };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR'
      ? { status: 'not-found' }
      : { status: 'error', message: `${file}: ${(error as Error).message}` };
  }
}
