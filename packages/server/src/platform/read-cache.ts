import type { Database } from './db.js';

/**
 * Caches read results (list pages) until a table they read changes. Table generations are
 * bumped by database triggers on every write (migration 0007), so the check is one tiny query
 * and holds for every write path and every replica. The generation is read before the data:
 * a page read after a concurrent commit is then newer than its key, never older.
 */
const MAX_ENTRIES = 1000;

export class ReadCache {
  private readonly entries = new Map<string, { gens: string; value: unknown }>();
  hits = 0;
  misses = 0;

  constructor(private readonly database: Database) {}

  async get<T>(tables: readonly string[], key: string, load: () => Promise<T>): Promise<T> {
    const rows = await this.database.query<{ table_name: string; gen: string }>(
      'SELECT table_name, gen FROM table_generations WHERE table_name = ANY($1) ORDER BY table_name',
      [tables],
    );
    const gens = rows.map((r) => `${r.table_name}:${r.gen}`).join(',');
    const fullKey = `${tables.join(',')}|${key}`;
    const hit = this.entries.get(fullKey);
    if (hit && hit.gens === gens && rows.length === tables.length) {
      this.hits++;
      // refresh recency for the LRU order
      this.entries.delete(fullKey);
      this.entries.set(fullKey, hit);
      return hit.value as T;
    }
    this.misses++;
    const value = await load();
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(fullKey, { gens, value });
    return value;
  }
}
