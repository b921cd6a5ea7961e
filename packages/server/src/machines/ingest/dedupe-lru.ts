/**
 * Remembers the most recent dedupe keys so redeliveries are dropped before they reach the
 * database; the unique index catches whatever has fallen out of it (restarts, long gaps).
 */
export class DedupeLru {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity: number) {}

  /** true when the key was new (and is now remembered) */
  add(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.capacity) {
      // A Set iterates in insertion order: the first key is the oldest.
      const oldest = this.keys.values().next().value as string;
      this.keys.delete(oldest);
    }
    return true;
  }

  forget(key: string): void {
    this.keys.delete(key);
  }

  get size(): number {
    return this.keys.size;
  }
}

/** (machine, source, epoch, sequence): the epoch keeps a restarted counter's sequences apart (ADR 0010). */
export const dedupeKey = (machineId: string, source: string, epoch: number, sequence: number): string =>
  `${machineId}\u0000${source}\u0000${epoch}\u0000${sequence}`;
