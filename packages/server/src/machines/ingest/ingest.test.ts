import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MachineEvent } from '@kerf/connectors';
import type { KerfEvent } from '../../platform/events.js';
import { testApp, type TestApp } from '../../test/harness.js';
import type { MachinesRuntime } from '../runtime.js';
import { sample, seedMachines, stateEvent, TEST_T0 } from '../test-machines.js';

let t: TestApp;
let rt: MachinesRuntime;
const seen: KerfEvent[] = [];

beforeAll(async () => {
  t = await testApp();
  await seedMachines(t.app, t.tokens.admin);
  rt = t.machines;
  t.events.subscribe((e) => seen.push(e));
});
afterAll(async () => t?.close());

const count = async (sql: string) => Number((await t.database.query<{ n: string }>(sql))[0]!.n);

describe('ingest', () => {
  it('accounts for every event: stored + duplicates + rejected = offered', async () => {
    const events: MachineEvent[] = [];
    for (let i = 0; i < 300; i++) events.push(sample('WELD-01', i, i * 10));
    const duplicates = events.slice(0, 40).map((e) => ({ ...e }));
    const malformed = [
      { ...sample('WELD-01', 900, 1), timestamp: 'yesterday' },
      { ...sample('WELD-01', 901, 1), sequence: -1 },
      { ...stateEvent('WELD-01', 902, 'running'), value: 'dancing' },
    ] as MachineEvent[];
    const unknown = [sample('NOPE-9', 1, 1), sample('NOPE-9', 2, 1)];
    const before = { ...rt.ingest.counters, rejectedBy: { ...rt.ingest.counters.rejectedBy } };
    rt.ingest.submit([...events.slice(0, 150), ...duplicates, ...malformed, ...unknown, ...events.slice(150)]);
    await rt.ingest.flushed();
    const c = rt.ingest.counters;
    const offered = events.length + duplicates.length + malformed.length + unknown.length;
    expect(c.received - before.received).toBe(offered);
    expect(c.stored - before.stored).toBe(300);
    expect(c.duplicates - before.duplicates).toBe(40);
    expect(c.rejectedBy.bad_payload - before.rejectedBy.bad_payload).toBe(3);
    expect(c.rejectedBy.unknown_machine - before.rejectedBy.unknown_machine).toBe(2);
    expect(c.stored + c.duplicates + c.rejected + c.dropped + c.pending).toBe(c.received);
    expect(await count("SELECT count(*) AS n FROM machine_metrics WHERE metric = 'spindle_speed'")).toBe(300);
  });

  it('drops redeliveries the LRU no longer remembers through the unique index', async () => {
    const again = [sample('WELD-01', 5, 50), sample('WELD-01', 6, 60)];
    // A fresh ingest has an empty LRU, like a restarted Kerf.
    const { Ingest } = await import('./ingest.js');
    const fresh = new Ingest(t.database, rt.registry, rt.cache, t.events);
    fresh.start();
    fresh.submit(again);
    await fresh.flushed();
    await fresh.stop();
    expect(fresh.counters.stored).toBe(0);
    expect(fresh.counters.duplicates).toBe(2);
    expect(await count("SELECT count(*) AS n FROM machine_metrics WHERE metric = 'spindle_speed'")).toBe(300);
  });

  it('keeps the hourly rollup equal to the stored rows', async () => {
    const rows = await t.database.query<{
      samples: number;
      sum_num: number;
      min_num: number;
      max_num: number;
      last_num: number;
    }>(
      "SELECT samples, sum_num, min_num, max_num, last_num FROM machine_metrics_hourly WHERE metric = 'spindle_speed'",
    );
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]!.samples)).toBe(300);
    expect(Number(rows[0]!.sum_num)).toBe((299 * 300 * 10) / 2);
    expect(Number(rows[0]!.min_num)).toBe(0);
    expect(Number(rows[0]!.max_num)).toBe(2990);
    expect(Number(rows[0]!.last_num)).toBe(2990);
  });

  it('turns state events into intervals, status and machine.status events', async () => {
    seen.length = 0;
    rt.ingest.submit([
      stateEvent('LASER-01', 10, 'setup'),
      stateEvent('LASER-01', 70, 'running'),
      sample('LASER-01', 80, 5, 'part_count'),
      stateEvent('LASER-01', 75, 'running'),
    ]);
    await rt.ingest.flushed();
    rt.ingest.submit([stateEvent('LASER-01', 200, 'idle'), stateEvent('LASER-01', 20, 'alarm')]);
    await rt.ingest.flushed();
    const intervals = await t.database.query<{ state: string; started_at: Date; ended_at: Date | null }>(
      `SELECT state, started_at, ended_at FROM machine_state_events e JOIN machines m ON m.id = e.machine_id
       WHERE m.code = 'LASER-01' ORDER BY started_at`,
    );
    expect(
      intervals.map((r) => [
        r.state,
        new Date(r.started_at).getTime() - TEST_T0,
        r.ended_at && new Date(r.ended_at).getTime() - TEST_T0,
      ]),
    ).toEqual([
      ['setup', 10_000, 70_000],
      ['running', 70_000, 200_000],
      ['idle', 200_000, null],
    ]);
    const status = rt.cache.current('LASER-01')!;
    expect(status.state).toBe('idle');
    expect(status.partCount).toBe(5);
    expect(status.since).toBe(new Date(TEST_T0 + 200_000).toISOString());
    expect(rt.ingest.counters.lateStates).toBe(1);
    const statusEvents = seen.filter((e) => e.type === 'machine.status');
    expect(statusEvents).toHaveLength(2);
    expect(statusEvents[0]).toMatchObject({
      machineId: 'LASER-01',
      departmentId: 'laser',
      changed: ['state', 'partCount'],
    });
    const persisted = await t.database.query<{ state: string; part_count: string }>(
      "SELECT s.state, s.part_count FROM machine_status s JOIN machines m ON m.id = s.machine_id WHERE m.code = 'LASER-01'",
    );
    expect(persisted[0]).toMatchObject({ state: 'idle' });
    expect(Number(persisted[0]!.part_count)).toBe(5);
  });

  it('publishes machine.alarm when an alarm is raised and cleared, and tracks active alarms', async () => {
    seen.length = 0;
    const alarm = (i: number, active: boolean): MachineEvent => ({
      machineId: 'WELD-02',
      timestamp: new Date(TEST_T0 + i * 1000).toISOString(),
      source: 'test',
      sequence: i,
      kind: 'alarm',
      metric: 'alarm',
      value: { code: 'E42', active, severity: 'fault', message: 'wire feed jam' },
    });
    rt.ingest.submit([alarm(1, true)]);
    await rt.ingest.flushed();
    expect(rt.cache.current('WELD-02')!.activeAlarms.map((a) => a.code)).toEqual(['E42']);
    rt.ingest.submit([alarm(2, false)]);
    await rt.ingest.flushed();
    expect(rt.cache.current('WELD-02')!.activeAlarms).toEqual([]);
    const alarms = seen.filter((e) => e.type === 'machine.alarm');
    expect(alarms.map((e) => e.type === 'machine.alarm' && e.alarm.active)).toEqual([true, false]);
  });

  it('drops and counts what does not fit in a full queue, and push waits instead', async () => {
    const { Ingest } = await import('./ingest.js');
    const small = new Ingest(t.database, rt.registry, rt.cache, t.events, { maxQueue: 10 });
    // not started: nothing drains, so the queue fills
    const r = small.submit(Array.from({ length: 15 }, (_, i) => sample('WELD-02', 1000 + i, i)));
    expect(r).toMatchObject({ accepted: 10, dropped: 5 });
    expect(small.counters.dropped).toBe(5);
    const pushing = small.push(Array.from({ length: 5 }, (_, i) => sample('WELD-02', 2000 + i, i)));
    small.start();
    await pushing;
    await small.flushed();
    await small.stop();
    expect(small.counters.stored).toBe(15);
  });

  it('retries while the database refuses writes, and loses nothing', async () => {
    // The raw table disappears under the writer (as in a database restart or failover), then returns.
    await t.database.exec('ALTER TABLE machine_metrics RENAME TO machine_metrics_away');
    const errors = rt.ingest.counters.writeErrors;
    const stored = rt.ingest.counters.stored;
    rt.ingest.submit(Array.from({ length: 50 }, (_, i) => sample('WELD-02', 5000 + i, i)));
    const until = Date.now() + 10_000;
    while (rt.ingest.counters.writeErrors < errors + 2 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 20));
    expect(rt.ingest.counters.writeErrors).toBeGreaterThanOrEqual(errors + 2);
    expect(rt.ingest.counters.stored).toBe(stored);
    await t.database.exec('ALTER TABLE machine_metrics_away RENAME TO machine_metrics');
    await rt.ingest.flushed();
    expect(rt.ingest.counters.stored).toBe(stored + 50);
    expect(
      await count(
        "SELECT count(*) AS n FROM machine_metrics m JOIN machines x ON x.id = m.machine_id WHERE x.code = 'WELD-02' AND m.sequence >= 5000",
      ),
    ).toBe(50);
  });
});
