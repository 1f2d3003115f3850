/**
 * A bounded pool: at most `size` tasks run at once. Results keep the order of submission, so the
 * output never depends on which build finished first.
 */
export class Pool {
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!(size >= 1)) throw new RangeError(`pool size must be >= 1 (got ${size})`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }
}
