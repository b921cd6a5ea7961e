import { sql } from 'drizzle-orm';
import type { MachineState } from '@kerf/connectors';
import type { Db } from '../../platform/db.js';
import { invalid } from '../../platform/errors.js';
import type { Bucket } from '../schemas.js';

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;
const iso = (t: Date | string) => new Date(t).toISOString();

export const MAX_POINTS = 10_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BUCKET_MS: Record<Exclude<Bucket, 'raw'>, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': HOUR,
  '1d': DAY,
};

export interface Window {
  from: Date;
  to: Date;
}

/** Validates ?from&to (defaults: `defaultSpanMs` before now), naming the bad field. */
export function windowOf(from: string | undefined, to: string | undefined, defaultSpanMs: number): Window {
  const end = to ? new Date(to) : new Date();
  const start = from ? new Date(from) : new Date(end.getTime() - defaultSpanMs);
  if (Number.isNaN(end.getTime())) throw invalid('to', 'is not a valid time');
  if (Number.isNaN(start.getTime())) throw invalid('from', 'is not a valid time');
  if (start >= end) throw invalid('from', 'must be before to');
  if (end.getTime() - start.getTime() > 400 * DAY) throw invalid('from', 'the range may span at most 400 days');
  return { from: start, to: end };
}

export function autoBucket(w: Window): Bucket {
  const span = w.to.getTime() - w.from.getTime();
  if (span <= 6 * HOUR) return 'raw';
  return span <= 14 * DAY ? '1h' : '1d';
}

export interface RawPoint {
  time: string;
  value: number | string | null;
  source: string;
  sequence: number;
}
export interface BucketPoint {
  time: string;
  samples: number;
  avg: number | null;
  min: number | null;
  max: number | null;
  last: number | string | null;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export async function rawPoints(
  db: Db,
  machineId: string,
  metric: string,
  w: Window,
): Promise<{ points: RawPoint[]; truncated: boolean }> {
  const rows = rowsOf<{
    time: Date;
    value_num: number | null;
    value_text: string | null;
    source: string;
    sequence: string;
  }>(
    await db.execute(sql`
      SELECT time, value_num, value_text, source, sequence FROM machine_metrics
      WHERE machine_id = ${machineId} AND metric = ${metric} AND time >= ${w.from.toISOString()}::timestamptz
        AND time < ${w.to.toISOString()}::timestamptz
      ORDER BY time LIMIT ${MAX_POINTS + 1}`),
  );
  return {
    truncated: rows.length > MAX_POINTS,
    points: rows.slice(0, MAX_POINTS).map((r) => ({
      time: iso(r.time),
      value: r.value_num !== null ? Number(r.value_num) : r.value_text,
      source: r.source,
      sequence: Number(r.sequence),
    })),
  };
}

export async function bucketPoints(
  db: Db,
  machineId: string,
  metric: string,
  w: Window,
  bucket: Exclude<Bucket, 'raw'>,
): Promise<BucketPoint[]> {
  const span = w.to.getTime() - w.from.getTime();
  if (span / BUCKET_MS[bucket] > MAX_POINTS) {
    throw invalid(
      'bucket',
      `${bucket} buckets over this range give more than ${MAX_POINTS} points; use a larger bucket`,
    );
  }
  const from = w.from.toISOString();
  const to = w.to.toISOString();
  let rows: {
    t: Date;
    samples: number | string;
    avg: number | null;
    min: number | null;
    max: number | null;
    last_num: number | null;
    last_text: string | null;
  }[];
  if (bucket === '1h' || bucket === '1d') {
    // Long ranges read the hourly rollup, never the raw rows.
    const unit = bucket === '1h' ? 'hour' : 'day';
    rows = rowsOf(
      await db.execute(sql`
        SELECT date_trunc(${unit}, bucket) AS t, sum(samples) AS samples,
          sum(sum_num) / nullif(sum(num_samples), 0) AS avg, min(min_num) AS min, max(max_num) AS max,
          (array_agg(last_num ORDER BY last_time DESC))[1] AS last_num,
          (array_agg(last_text ORDER BY last_time DESC))[1] AS last_text
        FROM machine_metrics_hourly
        WHERE machine_id = ${machineId} AND metric = ${metric}
          AND bucket >= date_trunc(${unit}, ${from}::timestamptz) AND bucket < ${to}::timestamptz
        GROUP BY 1 ORDER BY 1`),
    );
  } else {
    const interval = `${BUCKET_MS[bucket] / 60_000} minutes`;
    rows = rowsOf(
      await db.execute(sql`
        SELECT date_bin(${interval}::interval, time, TIMESTAMPTZ '2000-01-01') AS t, count(*) AS samples,
          avg(value_num) AS avg, min(value_num) AS min, max(value_num) AS max,
          (array_agg(value_num ORDER BY time DESC))[1] AS last_num,
          (array_agg(value_text ORDER BY time DESC))[1] AS last_text
        FROM machine_metrics
        WHERE machine_id = ${machineId} AND metric = ${metric}
          AND time >= ${from}::timestamptz AND time < ${to}::timestamptz
        GROUP BY 1 ORDER BY 1`),
    );
  }
  return rows.map((r) => ({
    time: iso(r.t),
    samples: Number(r.samples),
    avg: num(r.avg),
    min: num(r.min),
    max: num(r.max),
    last: r.last_num !== null ? Number(r.last_num) : r.last_text,
  }));
}

export interface StateInterval {
  state: MachineState;
  startedAt: string;
  endedAt: string | null;
  jobId: string | null;
  source: string;
}

/** Intervals overlapping the window (not clipped) and the seconds of each state inside it. */
export async function stateIntervals(
  db: Db,
  machineId: string,
  w: Window,
  now = new Date(),
): Promise<{ intervals: StateInterval[]; totals: Partial<Record<MachineState, number>> }> {
  const rows = rowsOf<{
    state: MachineState;
    started_at: Date;
    ended_at: Date | null;
    job_id: string | null;
    source: string;
  }>(
    await db.execute(sql`
      SELECT state, started_at, ended_at, job_id, source FROM machine_state_events
      WHERE machine_id = ${machineId} AND started_at < ${w.to.toISOString()}::timestamptz
        AND (ended_at IS NULL OR ended_at > ${w.from.toISOString()}::timestamptz)
      ORDER BY started_at LIMIT ${MAX_POINTS}`),
  );
  const totals: Partial<Record<MachineState, number>> = {};
  const until = Math.min(w.to.getTime(), now.getTime());
  const intervals = rows.map((r) => {
    const start = Math.max(new Date(r.started_at).getTime(), w.from.getTime());
    const end = Math.min(r.ended_at ? new Date(r.ended_at).getTime() : until, w.to.getTime());
    if (end > start) totals[r.state] = (totals[r.state] ?? 0) + (end - start) / 1000;
    return {
      state: r.state,
      startedAt: iso(r.started_at),
      endedAt: r.ended_at ? iso(r.ended_at) : null,
      jobId: r.job_id,
      source: r.source,
    };
  });
  return { intervals, totals };
}
