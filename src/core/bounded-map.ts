/**
 * A map that keeps its most recently used entries while their weights total at most `limit`
 * (a count when every weight is 1, bytes when weights are sizes). Limit 0 keeps nothing.
 */
export class BoundedMap<K, V> {
  private readonly entries = new Map<K, { value: V; weight: number }>();
  private total = 0;

  constructor(private limit = 0) {}

  get enabled(): boolean {
    return this.limit > 0;
  }

  get capacity(): number {
    return this.limit;
  }

  /** A new limit; 0 empties the map and keeps nothing more. */
  setLimit(limit: number): void {
    this.limit = limit;
    if (limit === 0) {
      this.entries.clear();
      this.total = 0;
    }
    this.trim();
  }

  /** The value, now the most recently used. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Keeps a value (replacing the key's), then drops the least recently used beyond the limit. */
  set(key: K, value: V, weight = 1): void {
    this.delete(key);
    if (this.limit === 0 || weight > this.limit) return;
    this.entries.set(key, { value, weight });
    this.total += weight;
    this.trim();
  }

  delete(key: K): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.total -= entry.weight;
  }

  private trim(): void {
    for (const [key, entry] of this.entries) {
      if (this.total <= this.limit) break;
      this.entries.delete(key);
      this.total -= entry.weight;
    }
  }
}
