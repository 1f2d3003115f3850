/**
 * How long to wait before retrying a 429 or 5xx: the server's Retry-After (seconds or an
 * HTTP date, RFC 9110 section 10.2.3) when it gives one, else exponential backoff.
 */
export function retryDelay(
  attempt: number,
  retryAfter: string | null,
  baseMs: number,
  now = Date.now(),
): number {
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return baseMs * 2 ** attempt;
}

export function isRetryable(status: number): boolean {
  return status === 429 || status >= 500;
}

/** At most `limit` tasks at once. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
