import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { FullPolicy } from './config.js';

/** One event ready to publish: topic and payload are encoded once, at intake, so a replay sends the exact bytes. */
export interface BufferedMessage {
  topic: string;
  payload: string;
  /** Epoch ms the gateway received it (for the oldest-event age on /health). */
  receivedAt: number;
}

/** A stored row: `id` is the edge sequence, the publish and acknowledge order. */
export interface StoredMessage {
  id: number;
  topic: string;
  payload: string;
}

export interface AppendResult {
  accepted: number;
  /** Rows of older events deleted to make room (policy drop-oldest). */
  droppedOldest: number;
  /** New events refused (policy stop-intake). */
  rejected: number;
}

export interface BufferOptions {
  path: string;
  maxEvents?: number;
  maxBytes?: number;
  fullPolicy: FullPolicy;
}

/**
 * The on-disk store between the machines and the upstream broker: one SQLite table in WAL mode.
 * An append is one transaction, so when it returns the events survive a killed process (WAL with
 * synchronous=NORMAL loses nothing on a process crash; a power cut may lose the last commits).
 * Rows are deleted only once the broker has acknowledged them, by the publisher's low-water mark.
 */
export class EventBuffer {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[number, string, string]>;
  private readonly selectAfter: Database.Statement<[number, number]>;
  private readonly deleteUpTo: Database.Statement<[number]>;
  private readonly deleteOldest: Database.Statement<[number]>;
  private readonly selectOldest: Database.Statement<[]>;
  private readonly selectLastId: Database.Statement<[]>;
  private readonly appendTx: (messages: readonly BufferedMessage[]) => AppendResult;
  private count: number;
  private readonly pageSize: number;

  private constructor(private readonly options: BufferOptions) {
    mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    // auto_vacuum must be chosen before the first table exists; INCREMENTAL lets compact() give
    // freed pages back to the file system in small steps instead of one long VACUUM.
    this.db.pragma('auto_vacuum = INCREMENTAL');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('journal_size_limit = 67108864');
    this.db.pragma('cache_size = -32000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      received_at INTEGER NOT NULL,
      topic TEXT NOT NULL,
      payload TEXT NOT NULL
    )`);
    this.pageSize = this.db.pragma('page_size', { simple: true }) as number;
    this.insert = this.db.prepare('INSERT INTO events (received_at, topic, payload) VALUES (?, ?, ?)');
    this.selectAfter = this.db.prepare('SELECT id, topic, payload FROM events WHERE id > ? ORDER BY id LIMIT ?');
    this.deleteUpTo = this.db.prepare('DELETE FROM events WHERE id <= ?');
    this.deleteOldest = this.db.prepare('DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY id LIMIT ?)');
    this.selectOldest = this.db.prepare('SELECT received_at FROM events ORDER BY id LIMIT 1').pluck();
    this.selectLastId = this.db.prepare('SELECT max(id) FROM events').pluck();
    this.count = this.db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    this.appendTx = this.db.transaction((messages: readonly BufferedMessage[]) => this.appendInTx(messages));
  }

  static open(options: BufferOptions): EventBuffer {
    return new EventBuffer(options);
  }

  /** Persists events in one transaction, applying the full-policy; durable when it returns. */
  append(messages: readonly BufferedMessage[]): AppendResult {
    if (messages.length === 0) return { accepted: 0, droppedOldest: 0, rejected: 0 };
    return this.appendTx(messages);
  }

  private appendInTx(messages: readonly BufferedMessage[]): AppendResult {
    const { maxEvents, maxBytes, fullPolicy } = this.options;
    let take = messages.length;
    let droppedOldest = 0;
    if (fullPolicy === 'stop-intake') {
      if (maxEvents !== undefined) take = Math.max(0, Math.min(take, maxEvents - this.count));
      if (maxBytes !== undefined && this.usedBytes() >= maxBytes) take = 0;
    } else if (maxEvents !== undefined && this.count + take > maxEvents) {
      const excess = this.count + take - maxEvents;
      droppedOldest += this.dropOldest(Math.min(excess, this.count));
      // A single batch larger than the whole buffer keeps only its newest events.
      if (take > maxEvents) {
        droppedOldest += take - maxEvents;
        messages = messages.slice(take - maxEvents);
        take = maxEvents;
      }
    }
    for (let i = 0; i < take; i++) {
      const m = messages[i]!;
      this.insert.run(m.receivedAt, m.topic, m.payload);
    }
    this.count += take;
    if (fullPolicy === 'drop-oldest' && maxBytes !== undefined) {
      // Freed pages are reused by later inserts, so the file stays near maxBytes. Deleting rows frees
      // fewer whole pages than their bytes suggest, hence the loop; each step drops at least 1 % so
      // this does not run on every append.
      for (let used = this.usedBytes(); used > maxBytes && this.count > 0; used = this.usedBytes()) {
        const perRow = used / this.count;
        const rows = Math.max(Math.ceil((used - maxBytes) / perRow), Math.ceil(this.count / 100));
        droppedOldest += this.dropOldest(Math.min(rows, this.count));
      }
    }
    return { accepted: take, droppedOldest, rejected: messages.length - take };
  }

  private dropOldest(rows: number): number {
    if (rows <= 0) return 0;
    const changes = this.deleteOldest.run(rows).changes;
    this.count -= changes;
    return changes;
  }

  /** Rows after `afterId` in edge-sequence order. */
  readAfter(afterId: number, limit: number): StoredMessage[] {
    const rows = this.selectAfter.raw(true).all(afterId, limit) as [number, string, string][];
    return rows.map(([id, topic, payload]) => ({ id, topic, payload }));
  }

  /** Forgets every row up to and including `id` (all acknowledged upstream). */
  ackUpTo(id: number): number {
    const changes = this.deleteUpTo.run(id).changes;
    this.count -= changes;
    return changes;
  }

  depth(): number {
    return this.count;
  }

  /** Highest edge sequence stored now (0 when empty). */
  lastId(): number {
    return (this.selectLastId.get() as number | null) ?? 0;
  }

  /** Epoch ms the oldest buffered event was received, or null when empty. */
  oldestReceivedAt(): number | null {
    return (this.selectOldest.get() as number | undefined) ?? null;
  }

  /** Bytes of live pages (what the limit is checked against; free pages are reused). */
  usedBytes(): number {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    return (pages - free) * this.pageSize;
  }

  /** Bytes on disk: database file plus write-ahead log. */
  diskBytes(): number {
    let total = 0;
    for (const file of [this.options.path, `${this.options.path}-wal`]) {
      try {
        total += statSync(file).size;
      } catch {
        // the WAL file may not exist yet
      }
    }
    return total;
  }

  /**
   * Returns up to `pages` free pages to the file system and truncates the WAL. Called when the
   * backlog has drained, in small steps so the event loop is never held for long.
   * @returns free pages still left after this step
   */
  compact(pages = 2048): number {
    this.db.pragma(`incremental_vacuum(${Math.max(1, Math.floor(pages))})`);
    const left = this.db.pragma('freelist_count', { simple: true }) as number;
    if (left === 0) this.db.pragma('wal_checkpoint(TRUNCATE)');
    return left;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
