import type { Config } from '../../platform/config.js';
import type { Database } from '../../platform/db.js';
import { claimPeriod } from '../../platform/periodic.js';

export type StorageLayout = 'plain' | 'partitioned' | 'timescaledb';

const RAW_TABLES = [
  { table: 'machine_metrics', column: 'time' },
  { table: 'machine_state_events', column: 'started_at' },
] as const;
const DAY = 86_400_000;
/** daily partitions kept ready ahead of today */
export const DAYS_AHEAD = 7;

const dayName = (ms: number) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
const dayIso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const startOfDay = (ms: number) => Math.floor(ms / DAY) * DAY;

export async function storageLayout(database: Database): Promise<StorageLayout> {
  const rows = await database.query<{ layout: StorageLayout }>('SELECT layout FROM machine_storage');
  return rows[0]?.layout ?? 'plain';
}

/**
 * Creates the daily partition holding `dayMs` if it is missing. Rows that already landed in the
 * default partition for that day move into it in the same transaction (a partition cannot be
 * attached while the default holds rows of its range).
 */
export async function ensurePartition(
  database: Database,
  table: string,
  column: string,
  dayMs: number,
): Promise<boolean> {
  const name = `${table}_p${dayName(dayMs)}`;
  const exists = await database.query<{ r: string | null }>('SELECT to_regclass($1)::text AS r', [name]);
  if (exists[0]?.r) return false;
  const from = dayIso(dayMs);
  const to = dayIso(dayMs + DAY);
  await database.exec(`BEGIN;
    CREATE TABLE ${name} (LIKE ${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
    INSERT INTO ${name} SELECT * FROM ${table}_default WHERE ${column} >= '${from}' AND ${column} < '${to}';
    DELETE FROM ${table}_default WHERE ${column} >= '${from}' AND ${column} < '${to}';
    ALTER TABLE ${table} ATTACH PARTITION ${name} FOR VALUES FROM ('${from}') TO ('${to}');
    COMMIT;`);
  return true;
}

/** Drops daily partitions (and default-partition rows) older than the retention. */
export async function dropExpired(
  database: Database,
  table: string,
  column: string,
  cutoffMs: number,
): Promise<string[]> {
  const parts = await database.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = $1::regclass`,
    [table],
  );
  const dropped: string[] = [];
  const cutoffName = dayName(cutoffMs);
  for (const { name } of parts) {
    const m = /_p(\d{8})$/.exec(name);
    // A partition goes when its whole day is before the cutoff.
    if (m && m[1]! < cutoffName) {
      await database.exec(`DROP TABLE ${name}`);
      dropped.push(name);
    }
  }
  await database.query(`DELETE FROM ${table}_default WHERE ${column} < $1`, [new Date(cutoffMs).toISOString()]);
  return dropped;
}

export interface MaintenanceResult {
  layout: StorageLayout;
  created: string[];
  dropped: string[];
  deleted: number;
}

/** One maintenance pass: partitions ahead, retention. Safe to run again (idempotent). */
export async function maintainHistory(
  database: Database,
  retentionDays: number,
  nowMs = Date.now(),
): Promise<MaintenanceResult> {
  const layout = await storageLayout(database);
  const result: MaintenanceResult = { layout, created: [], dropped: [], deleted: 0 };
  const cutoff = startOfDay(nowMs) - retentionDays * DAY;
  if (layout === 'partitioned') {
    for (const { table, column } of RAW_TABLES) {
      for (let d = -1; d <= DAYS_AHEAD; d++) {
        const day = startOfDay(nowMs) + d * DAY;
        if (await ensurePartition(database, table, column, day)) result.created.push(`${table}_p${dayName(day)}`);
      }
      result.dropped.push(...(await dropExpired(database, table, column, cutoff)));
    }
  } else if (layout === 'timescaledb') {
    await setupTimescale(database, retentionDays);
  } else {
    for (const { table, column } of RAW_TABLES) {
      const rows = await database.query<{ n: number }>(
        `WITH d AS (DELETE FROM ${table} WHERE ${column} < $1 RETURNING 1) SELECT count(*)::int AS n FROM d`,
        [new Date(cutoff).toISOString()],
      );
      result.deleted += rows[0]?.n ?? 0;
    }
  }
  return result;
}

/**
 * TimescaleDB: compression after 2 days, retention, and a continuous hourly aggregate beside our
 * own rollup table (created here because it cannot be created inside a migration's transaction).
 * Not exercised by the test suite (the extension is not installed here).
 */
async function setupTimescale(database: Database, retentionDays: number): Promise<void> {
  await database.exec(`
    ALTER TABLE machine_metrics SET (timescaledb.compress, timescaledb.compress_segmentby = 'machine_id, metric');
    SELECT add_compression_policy('machine_metrics', INTERVAL '2 days', if_not_exists => true);
    SELECT add_retention_policy('machine_metrics', INTERVAL '${retentionDays} days', if_not_exists => true);
    SELECT add_retention_policy('machine_state_events', INTERVAL '${retentionDays} days', if_not_exists => true);`);
  await database.exec(`
    CREATE MATERIALIZED VIEW IF NOT EXISTS machine_metrics_hourly_ts WITH (timescaledb.continuous) AS
      SELECT machine_id, metric, time_bucket(INTERVAL '1 hour', time) AS bucket, count(*) AS samples,
        avg(value_num) AS avg_num, min(value_num) AS min_num, max(value_num) AS max_num
      FROM machine_metrics GROUP BY 1, 2, 3 WITH NO DATA;`);
  await database.exec(`SELECT add_continuous_aggregate_policy('machine_metrics_hourly_ts',
      start_offset => INTERVAL '3 hours', end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '30 minutes',
      if_not_exists => true);`);
}

export interface HistoryMaintenance {
  stop: () => void;
}

/** Runs maintenance now and every hour; with several instances one of them does each hour's pass. */
export async function startHistoryMaintenance(
  database: Database,
  config: Pick<Config, 'machineRetentionDays'>,
  log: (msg: string) => void,
): Promise<HistoryMaintenance> {
  // The first pass of a process always runs: partitions for today should exist before ingest.
  const pass = async () => {
    const r = await maintainHistory(database, config.machineRetentionDays);
    if (r.created.length || r.dropped.length) {
      log(`kerf: machine history: created ${r.created.length} partitions, dropped ${r.dropped.length}`);
    }
  };
  // Two instances starting together may race on a partition: the loser logs, the next pass fixes it.
  await pass().catch((err: unknown) => log(`kerf: machine history maintenance failed: ${String(err)}`));
  const timer = setInterval(() => {
    const hour = new Date().toISOString().slice(0, 13);
    claimPeriod(database, 'machine-history', hour)
      .then((mine) => (mine ? pass() : undefined))
      .catch((err: unknown) => log(`kerf: machine history maintenance failed: ${String(err)}`));
  }, 3_600_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
