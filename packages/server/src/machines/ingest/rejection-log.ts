import { sql } from 'drizzle-orm';
import type { Database, Db } from '../../platform/db.js';
import { UNSTORABLE_TEXT } from '../../platform/storable-text.js';

/** One refused piece of machine data: an MQTT message, an event, a publish the broker refused. */
export interface Rejection {
  /** the MQTT username when known, else the event's source (connector, edge gateway), else the topic's publisher part */
  device: string;
  /** e.g. bad_payload, unknown_machine, disabled_machine, store_refused, topic_refused */
  reason: string;
  /** what was wrong, naming the field; never the payload itself or a credential */
  message: string;
  topic?: string | null;
  /** the machine code the data claimed to be from, when known */
  machine?: string | null;
  at?: Date;
}

export interface RejectionLogOptions {
  log?: (msg: string) => void;
  /** recent rejections kept per device (default 20) */
  keep?: number;
  /** how often buffered rejections are written (default 1 s) */
  flushMs?: number;
  /** log lines per 10 s before the rest is only counted (default 10) */
  logLines?: number;
}

export interface DeviceRejections {
  device: string;
  total: number;
  counts: Record<string, number>;
  lastAt: string;
  recent: { at: string; reason: string; message: string; topic: string | null; machine: string | null }[];
}

interface Count {
  device: string;
  reason: string;
  count: number;
  first: Date;
  last: Date;
}

interface Sample {
  device: string;
  reason: string;
  message: string;
  topic: string | null;
  machine: string | null;
  at: Date;
}

const LOG_WINDOW_MS = 10_000;
/** distinct (device, reason) pairs buffered between flushes; a flood of made-up names folds into one */
const MAX_PENDING = 1_000;
const OTHER = '(other devices)';
const UNSTORABLE_ALL = new RegExp(UNSTORABLE_TEXT.source, 'g');

/** Rejected input is untrusted: it must neither poison this table nor forge log lines. */
const clean = (s: string, max: number): string => {
  const out = s.replace(UNSTORABLE_ALL, '\ufffd').replace(/[\r\n\t]+/g, ' ');
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
};

/**
 * Counts and keeps the last reasons of rejected machine data per device, in the database so they
 * survive a restart and every instance sees them. `record` is synchronous and cheap (a flood of
 * bad messages must not slow the intake): rejections are buffered and written every second, and
 * on `stop`. Each rejection is logged, at most `logLines` lines per 10 s and then a count.
 */
export class RejectionLog {
  private counts = new Map<string, Count>();
  private samples = new Map<string, Sample[]>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private windowStart = 0;
  private windowLines = 0;
  private suppressed = 0;
  private lastFailure = 0;
  private readonly keep: number;
  private readonly logLines: number;
  private readonly log: (msg: string) => void;

  constructor(
    private readonly database: Database,
    private readonly options: RejectionLogOptions = {},
  ) {
    this.keep = options.keep ?? 20;
    this.logLines = options.logLines ?? 10;
    this.log = options.log ?? (() => undefined);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.options.flushMs ?? 1_000);
    this.timer.unref();
  }

  /** Writes what is buffered and stops the timer. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
    this.logSuppressed(Date.now());
  }

  record(r: Rejection): void {
    const at = r.at ?? new Date();
    let device = clean(r.device || '(unknown)', 200);
    const reason = clean(r.reason, 40);
    const key = `${device}\u0000${reason}`;
    let count = this.counts.get(key);
    if (!count && this.counts.size >= MAX_PENDING) {
      device = OTHER;
      count = this.counts.get(`${OTHER}\u0000${reason}`);
    }
    if (count) {
      count.count++;
      count.last = at;
    } else {
      count = { device, reason, count: 1, first: at, last: at };
      this.counts.set(`${device}\u0000${reason}`, count);
    }
    const sample: Sample = {
      device,
      reason,
      message: clean(r.message, 500),
      topic: r.topic ? clean(r.topic, 300) : null,
      machine: r.machine ? clean(r.machine, 200) : null,
      at,
    };
    const list = this.samples.get(device) ?? [];
    if (list.length === 0) this.samples.set(device, list);
    list.push(sample);
    if (list.length > this.keep) list.shift();
    this.logLine(sample);
  }

  /** Writes the buffered rejections (the API calls it first, so an answer includes the latest). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.counts.size === 0) return;
    const counts = [...this.counts.values()];
    const samples = [...this.samples.values()].flat();
    this.counts = new Map();
    this.samples = new Map();
    this.flushing = this.write(counts, samples).then(
      () => undefined,
      (err: unknown) => {
        // The database is away: keep them for the next flush (the buffer stays bounded).
        for (const c of counts) {
          const key = `${c.device}\u0000${c.reason}`;
          const now = this.counts.get(key);
          if (now) {
            now.count += c.count;
            now.first = c.first;
          } else this.counts.set(key, c);
        }
        const failed = new Map<string, Sample[]>();
        for (const s of samples) failed.set(s.device, [...(failed.get(s.device) ?? []), s]);
        for (const [device, older] of failed)
          this.samples.set(device, [...older, ...(this.samples.get(device) ?? [])].slice(-this.keep));
        if (Date.now() - this.lastFailure > LOG_WINDOW_MS) {
          this.lastFailure = Date.now();
          this.log(`kerf: machine ingest: recording rejections failed, will retry: ${(err as Error).message}`);
        }
      },
    );
    try {
      await this.flushing;
    } finally {
      this.flushing = undefined;
    }
  }

  private async write(counts: Count[], samples: Sample[]): Promise<void> {
    const countRows = JSON.stringify(
      counts.map((c) => ({ d: c.device, r: c.reason, n: c.count, f: c.first.toISOString(), l: c.last.toISOString() })),
    );
    const sampleRows = JSON.stringify(
      samples.map((s) => ({
        d: s.device,
        r: s.reason,
        m: s.message,
        t: s.topic,
        c: s.machine,
        a: s.at.toISOString(),
      })),
    );
    const devices = JSON.stringify([...new Set(samples.map((s) => s.device))]);
    await this.database.db.transaction(async (tx) => {
      await tx.execute(sql`
        INSERT INTO machine_ingest_rejections AS x (device, reason, count, first_at, last_at)
        SELECT d, r, n, f, l FROM json_to_recordset(${countRows}::json)
          AS j(d text, r text, n bigint, f timestamptz, l timestamptz)
        ORDER BY d, r
        ON CONFLICT (device, reason) DO UPDATE SET count = x.count + excluded.count,
          last_at = GREATEST(x.last_at, excluded.last_at)`);
      await tx.execute(sql`
        INSERT INTO machine_ingest_rejection_samples (device, reason, message, topic, machine, at)
        SELECT d, r, m, t, c, a FROM json_to_recordset(${sampleRows}::json)
          AS j(d text, r text, m text, t text, c text, a timestamptz)
        ORDER BY a`);
      await tx.execute(sql`
        DELETE FROM machine_ingest_rejection_samples WHERE id IN (
          SELECT id FROM (
            SELECT id, row_number() OVER (PARTITION BY device ORDER BY id DESC) AS rn
            FROM machine_ingest_rejection_samples
            WHERE device IN (SELECT json_array_elements_text(${devices}::json))
          ) ranked WHERE rn > ${this.keep})`);
    });
  }

  private logLine(s: Sample): void {
    const now = Date.now();
    if (now - this.windowStart >= LOG_WINDOW_MS) {
      this.logSuppressed(now);
      this.windowStart = now;
      this.windowLines = 0;
    }
    if (this.windowLines >= this.logLines) {
      this.suppressed++;
      return;
    }
    this.windowLines++;
    const where = [s.machine && `machine ${s.machine}`, s.topic && `topic ${s.topic}`].filter(Boolean).join(', ');
    this.log(`kerf: machine data rejected (${s.reason}) from ${s.device}${where ? ` (${where})` : ''}: ${s.message}`);
  }

  private logSuppressed(now: number): void {
    if (this.suppressed === 0) return;
    const seconds = Math.max(1, Math.round((now - this.windowStart) / 1000));
    this.log(
      `kerf: machine data rejected: ${this.suppressed} more in the last ${seconds} s not logged (GET /api/v1/machine-ingest/rejections)`,
    );
    this.suppressed = 0;
  }
}

/** Devices with rejections, the most recent first, with their counts by reason and last reasons. */
export async function listRejections(db: Db, options: { device?: string; limit: number }): Promise<DeviceRejections[]> {
  const rows = (
    (await db.execute(sql`
      WITH devices AS (
        SELECT device, sum(count)::bigint AS total, max(last_at) AS last_at,
          json_object_agg(reason, count) AS counts
        FROM machine_ingest_rejections
        WHERE ${options.device ?? null}::text IS NULL OR device = ${options.device ?? null}::text
        GROUP BY device ORDER BY max(last_at) DESC, device LIMIT ${options.limit}
      )
      SELECT d.device, d.total, d.last_at, d.counts,
        coalesce((SELECT json_agg(json_build_object('at', s.at, 'reason', s.reason, 'message', s.message,
          'topic', s.topic, 'machine', s.machine) ORDER BY s.id DESC)
          FROM machine_ingest_rejection_samples s WHERE s.device = d.device), '[]'::json) AS recent
      FROM devices d ORDER BY d.last_at DESC, d.device`)) as unknown as {
      rows: { device: string; total: string | number; last_at: Date | string; counts: unknown; recent: unknown }[];
    }
  ).rows;
  const parse = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
  return rows.map((r) => ({
    device: r.device,
    total: Number(r.total),
    counts: Object.fromEntries(
      Object.entries(parse<Record<string, number | string>>(r.counts)).map(([k, v]) => [k, Number(v)]),
    ),
    lastAt: new Date(r.last_at).toISOString(),
    recent: parse<{ at: string; reason: string; message: string; topic: string | null; machine: string | null }[]>(
      r.recent,
    ).map((s) => ({ ...s, at: new Date(s.at).toISOString() })),
  }));
}
