import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MachineEvent } from '@kerf/connectors';
import { loadConfig } from '../../platform/config.js';
import { openDatabase, type Database } from '../../platform/db.js';
import { EventBus } from '../../platform/events.js';
import { migrate } from '../../platform/migrate.js';
import { startMachines, type MachinesRuntime } from '../runtime.js';
import { Ingest } from './ingest.js';
import { sample } from '../test-machines.js';
import { postgresBinDir, requirePrerequisite } from '../../test/postgres-binaries.js';

/**
 * A real PostgreSQL restart under the ingest writer: a private PostgreSQL cluster is stopped
 * (fast: backends are terminated, idle pool connections die) while events keep arriving, then
 * started again. The existing ingest test only renames a table away, which never breaks a connection.
 */
const BIN = postgresBinDir() ?? '';
const haveInitdb = requirePrerequisite(
  BIN !== '',
  "PostgreSQL's initdb and pg_ctl (Debian package postgresql; found via pg_config --bindir, PATH or KERF_PG_BINDIR)",
);

let dir = '';
let port = 0;
let database: Database | undefined;
let rt: MachinesRuntime | undefined;
const ingestErrors: string[] = [];

// Async, so events keep arriving while pg_ctl waits for PostgreSQL to stop or start.
const asPostgres = async (cmd: string, args: string[]): Promise<void> => {
  await promisify(execFile)('runuser', ['-u', 'postgres', '--', `${BIN}/${cmd}`, ...args]);
};
const pgCtl = (...args: string[]): Promise<void> => asPostgres('pg_ctl', ['-D', join(dir, 'data'), ...args]);
const startPostgres = (): Promise<void> =>
  pgCtl(
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    '-l',
    join(dir, 'postgres.log'),
    '-w',
    'start',
  );

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const url = () => `postgres://postgres@127.0.0.1:${port}/postgres`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!haveInitdb)('ingest across a real PostgreSQL restart', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kerf-pg-restart-'));
    chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), 0);
    port = await freePort();
    await asPostgres('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await startPostgres();
    database = await openDatabase({ databaseUrl: url(), poolSize: 4 });
    await migrate(database);
    await database.exec(`
      INSERT INTO departments (id, name) VALUES ('weld', 'Weld');
      INSERT INTO machines (code, name, department_id, protocol) VALUES
        ('WELD-01', 'WELD-01 machine', 'weld', 'mqtt'), ('WELD-02', 'WELD-02 machine', 'weld', 'mqtt');`);
    const config = { ...loadConfig({}), redisUrl: undefined, mqttEnabled: false };
    rt = await startMachines(
      { database, config, events: new EventBus() },
      { mqtt: false, maintenance: false, log: (msg) => ingestErrors.push(msg) },
    );
  }, 30_000);

  afterAll(async () => {
    try {
      // stop() writes what is queued: bounded, so a failed test with the database down cannot hang here.
      if (rt) await Promise.race([rt.stop(), sleep(5_000)]);
      await database?.close();
    } finally {
      if (dir) {
        await pgCtl('-m', 'immediate', 'stop').catch(() => undefined); // already stopped after a failure
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }, 30_000);

  it('stores every event exactly once when PostgreSQL stops mid-stream and comes back', async () => {
    const ingest = rt!.ingest;
    const machines = ['WELD-01', 'WELD-02'];
    const perTick = 10;
    const ticks = 200; // one tick every 25 ms: 5 s of stream
    let submitted = 0;
    let duplicatesSent = 0;
    let sequence = 0;
    const sent: MachineEvent[] = [];
    const errorsBefore = ingest.counters.writeErrors;

    let storedWhileDown = { first: -1, last: -1 };
    let queuedWhileDown = 0;
    let down = false;
    let blockedWrites = 0;
    const restart = (async () => {
      await sleep(1_000);
      // Hold the writer inside its transaction (its status upsert waits for this lock), so the
      // stop hits a batch half-written rather than, by luck, an idle pool.
      const locker = new pg.Client({ connectionString: url() });
      locker.on('error', () => undefined); // killed by the stop like every other backend
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE machine_status IN SHARE ROW EXCLUSIVE MODE');
      for (let i = 0; i < 100 && blockedWrites === 0; i++) {
        await sleep(20);
        const r = await locker.query<{ n: string }>('SELECT count(*) AS n FROM pg_locks WHERE NOT granted');
        blockedWrites = Number(r.rows[0]!.n);
      }
      await pgCtl('-m', 'fast', '-w', 'stop');
      await locker.end().catch(() => undefined);
      // Read after the stop: a batch in flight has either committed or been aborted by now.
      storedWhileDown = { first: ingest.counters.stored, last: -1 };
      down = true;
      await sleep(2_500);
      storedWhileDown.last = ingest.counters.stored;
      down = false;
      await startPostgres();
    })();

    for (let tick = 0; tick < ticks; tick++) {
      const batch: MachineEvent[] = [];
      for (let k = 0; k < perTick; k++) {
        const code = machines[sequence % machines.length]!;
        batch.push(sample(code, sequence, sequence % 1000));
        sequence++;
      }
      // Redeliveries, as a QoS 1 publisher without an ack would send: a few recent events again.
      if (tick % 4 === 0 && sent.length > 0) {
        const again = sent.slice(-3).map((e) => ({ ...e }));
        batch.push(...again);
        duplicatesSent += again.length;
      }
      sent.push(...batch.slice(0, perTick));
      const r = ingest.submit(batch);
      expect(r.dropped).toBe(0);
      submitted += batch.length;
      if (down) queuedWhileDown = Math.max(queuedWhileDown, ingest.queued);
      await sleep(25);
    }
    await restart;
    await ingest.flushed();

    const c = ingest.counters;
    const rows = await database!.query<{ n: string; distinct_n: string; min_q: string; max_q: string }>(
      `SELECT count(*) AS n, count(DISTINCT (machine_id, source, sequence)) AS distinct_n,
         min(sequence) AS min_q, max(sequence) AS max_q FROM machine_metrics`,
    );
    const { n, distinct_n, min_q, max_q } = rows[0]!;
    const rollup = await database!.query<{ samples: string }>(
      'SELECT coalesce(sum(samples), 0) AS samples FROM machine_metrics_hourly',
    );
    const summary = {
      submitted,
      stored: c.stored,
      duplicates: c.duplicates,
      duplicatesSent,
      rejected: c.rejected,
      dropped: c.dropped,
      pending: c.pending,
      rows: Number(n),
      distinctRows: Number(distinct_n),
      rollupSamples: Number(rollup[0]!.samples),
      writeErrors: c.writeErrors - errorsBefore,
      storedWhileDown,
      queuedWhileDown,
      blockedWrites,
      batches: c.batches,
    };
    console.log('postgres restart:', summary, ingestErrors);

    // The outage really hit the writer mid-stream and mid-transaction: rows before it, failed writes and a growing queue
    // during it, nothing written while the database was down.
    expect(blockedWrites).toBeGreaterThan(0);
    expect(summary.writeErrors).toBeGreaterThan(0);
    expect(storedWhileDown.first).toBeGreaterThan(0);
    expect(storedWhileDown.last).toBe(storedWhileDown.first);
    expect(queuedWhileDown).toBeGreaterThan(100);
    // Every event ends in exactly one counter.
    expect(c.received).toBe(submitted);
    expect(c.stored + c.duplicates).toBe(submitted);
    expect(c.rejected).toBe(0);
    expect(c.dropped).toBe(0);
    expect(c.pending).toBe(0);
    expect(c.duplicates).toBe(duplicatesSent);
    expect(c.stored).toBe(sequence);
    // The database agrees: one row per sequence, none twice, none missing.
    expect(summary.rows).toBe(sequence);
    expect(summary.distinctRows).toBe(sequence);
    expect(Number(min_q)).toBe(0);
    expect(Number(max_q)).toBe(sequence - 1);
    expect(summary.rollupSamples).toBe(sequence);

    // Redeliveries after a Kerf restart (empty LRU) of everything sent around the outage reach the
    // unique index: rows written by the retried batches are refused like any other.
    const fresh = new Ingest(database!, rt!.registry, rt!.cache, new EventBus());
    fresh.start();
    const replay = sent.slice(storedWhileDown.first - 100, storedWhileDown.first + 1_000).map((e) => ({ ...e }));
    fresh.submit(replay);
    await fresh.flushed();
    await fresh.stop();
    expect(fresh.counters).toMatchObject({ received: replay.length, stored: 0, duplicates: replay.length });
    const after = await database!.query<{ n: string }>('SELECT count(*) AS n FROM machine_metrics');
    expect(Number(after[0]!.n)).toBe(sequence);
  }, 30_000);
});
