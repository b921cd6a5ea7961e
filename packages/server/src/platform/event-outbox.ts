import { sql } from 'drizzle-orm';
import type { Database } from './db.js';
import type { EventBus, KerfEvent } from './events.js';

export interface OutboxOptions {
  /** how often to look for events nobody announced (another instance's, or left by a crash) */
  pollMs?: number;
  /** events delivered per transaction */
  batch?: number;
  /** delivered events older than this are deleted (default 7 days) */
  retainMs?: number;
  log?: (msg: string) => void;
}

// After a command announces an event, its transaction commits a moment later: look again soon.
const AFTER_RECORD_MS = [0, 10, 50, 200];
const PURGE_EVERY_MS = 3_600_000;

/**
 * Delivers the `domain_events` outbox: rows with published_at NULL, oldest first, each batch in
 * one transaction that locks them (FOR UPDATE SKIP LOCKED, so drainers on several instances
 * share the work and never deliver a row twice), hands them to the bus (this process and the
 * fan-out) and marks them published. A crash before the mark commits leaves the rows pending:
 * the next drainer delivers them again and receivers drop the repeat by id, so a committed event
 * reaches every subscriber once.
 */
export class OutboxDrainer {
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout[] = [];
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private lastPurge = 0;
  private unlisten: (() => void) | undefined;
  private lastError = 0;
  delivered = 0;

  constructor(
    private readonly database: Database,
    private readonly bus: EventBus,
    private readonly options: OutboxOptions = {},
  ) {}

  start(): void {
    this.stopped = false;
    this.unlisten = this.bus.onRecorded(() => {
      for (const ms of AFTER_RECORD_MS) this.soon.push(setTimeout(() => this.kick(), ms).unref());
      if (this.soon.length > 64) this.soon.splice(0, this.soon.length - 64);
    });
    const poll = () => {
      if (this.stopped) return;
      this.kick();
      this.timer = setTimeout(poll, this.options.pollMs ?? 1_000).unref();
    };
    poll();
  }

  /** Stops looking and waits for a delivery in progress (its rows are then marked). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unlisten?.();
    clearTimeout(this.timer);
    for (const t of this.soon) clearTimeout(t);
    this.soon = [];
    await this.running;
  }

  /** Delivers everything pending now; resolves when nothing is left (tests, shutdown). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.deliverBatch();
      total += n;
      if (n < (this.options.batch ?? 500)) return total;
    }
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.drain();
          await this.purge();
        } while (this.again && !this.stopped);
      } catch (err) {
        // The database is away or the fan-out refused: the rows stay pending for the next look.
        if (Date.now() - this.lastError > 10_000) {
          this.lastError = Date.now();
          this.options.log?.(`kerf: event outbox is retrying: ${err instanceof Error ? err.message : String(err)}`);
        }
      } finally {
        this.running = undefined;
      }
    })();
  }

  private async deliverBatch(): Promise<number> {
    const batch = this.options.batch ?? 500;
    return this.database.db.transaction(async (tx) => {
      const result = await tx.execute(
        sql`SELECT id::text AS id, type, payload FROM domain_events WHERE published_at IS NULL
            ORDER BY id LIMIT ${batch} FOR UPDATE SKIP LOCKED`,
      );
      const rows = (result as unknown as { rows: unknown[] }).rows as {
        id: string;
        type: string;
        payload: Record<string, unknown>;
      }[];
      if (rows.length === 0) return 0;
      for (const row of rows) {
        await this.bus.deliverDurable(row.id, { ...row.payload, type: row.type } as KerfEvent);
      }
      await tx.execute(
        sql`UPDATE domain_events SET published_at = now() WHERE id = ANY(${`{${rows.map((r) => r.id).join(',')}}`}::bigint[])`,
      );
      this.delivered += rows.length;
      return rows.length;
    });
  }

  private async purge(): Promise<void> {
    if (Date.now() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = Date.now();
    const retainMs = this.options.retainMs ?? 7 * 86_400_000;
    await this.database.query(
      `DELETE FROM domain_events WHERE published_at IS NOT NULL AND published_at < now() - $1::interval`,
      [`${Math.round(retainMs / 1000)} seconds`],
    );
  }
}
