/**
 * Readings of counters the kernel keeps (CPU seconds, context switches), one per key (a PID, a
 * worker), from a start on: what each has counted since the start, and its previous reading for
 * a rate. Pure.
 */
export class CounterTrack<Key> {
  private readonly atStart = new Map<Key, number>();
  private readonly latest = new Map<Key, number>();

  /** The reading measuring starts from. */
  start(key: Key, value: number): void {
    this.atStart.set(key, value);
    this.latest.set(key, value);
  }

  /** Whether measuring has a start for this counter. */
  has(key: Key): boolean {
    return this.atStart.has(key);
  }

  /** Take a reading; returns the one before it (undefined for the first). */
  read(key: Key, value: number): number | undefined {
    const before = this.latest.get(key);
    this.latest.set(key, value);
    return before;
  }

  /** What one counter has counted since its start (0 when it has none). */
  sinceStart(key: Key): number {
    const latest = this.latest.get(key);
    return latest === undefined ? 0 : latest - (this.atStart.get(key) ?? latest);
  }

  /** The sum since the start over `keys`; null when one of them has no start or reading. */
  totalOver(keys: Iterable<Key>): number | null {
    let total = 0;
    for (const key of keys) {
      const start = this.atStart.get(key);
      const latest = this.latest.get(key);
      if (start === undefined || latest === undefined) return null;
      total += latest - start;
    }
    return total;
  }

  /** The sum since the start over every key that has one; null when none has. */
  total(): number | null {
    return this.atStart.size === 0 ? null : this.totalOver(this.atStart.keys());
  }
}
