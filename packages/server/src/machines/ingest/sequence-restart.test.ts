import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MachineEvent } from '@kerf/connectors';
import { testApp, type TestApp } from '../../test/harness.js';
import type { MachinesRuntime } from '../runtime.js';
import { seedMachines, TEST_T0 } from '../test-machines.js';
import { Ingest } from './ingest.js';

/**
 * Issue #11: a device whose sequence counter starts over (reboot, new firmware) lost its new
 * data silently, because (machine, source, sequence) said "seen". A sequence going back with a
 * newer time is a new epoch (ADR 0010); redeliveries are still duplicates.
 */
let t: TestApp;
let rt: MachinesRuntime;

beforeAll(async () => {
  t = await testApp();
  await seedMachines(t.app, t.tokens.admin);
  rt = t.machines;
});
afterAll(async () => t?.close());

const HOUR = 3_600_000;
const reading = (seq: number, at: number): MachineEvent => ({
  machineId: 'WELD-02',
  timestamp: new Date(at).toISOString(),
  source: 'reboot-probe',
  sequence: seq,
  kind: 'metric',
  metric: 'wire_feed',
  value: seq,
});
const rows = async () =>
  Number(
    (
      await t.database.query<{ n: string }>(
        "SELECT count(*) AS n FROM machine_metrics WHERE metric = 'wire_feed' AND source = 'reboot-probe'",
      )
    )[0]!.n,
  );

describe('a device sequence that starts over', () => {
  const first = Array.from({ length: 100 }, (_, i) => reading(i + 1, TEST_T0 + i * 1000));
  // After the reboot: the same sequence numbers, an hour later.
  const second = Array.from({ length: 100 }, (_, i) => reading(i + 1, TEST_T0 + HOUR + i * 1000));

  it('stores the new epoch instead of dropping it as duplicates', async () => {
    const before = { ...rt.ingest.counters };
    rt.ingest.submit(first);
    await rt.ingest.flushed();
    rt.ingest.submit(second);
    await rt.ingest.flushed();
    expect(await rows()).toBe(200);
    expect(rt.ingest.counters.stored - before.stored).toBe(200);
    expect(rt.ingest.counters.sequenceRestarts - before.sequenceRestarts).toBe(1);
  });

  it('still drops redeliveries of either epoch, and an old message redelivered after the restart', async () => {
    const before = { ...rt.ingest.counters };
    // QoS 1 redelivery of the newest messages (same seq, same time)...
    rt.ingest.submit(second.slice(90).map((e) => ({ ...e })));
    // ...and of messages from before the reboot: old times, so no new epoch.
    rt.ingest.submit(first.slice(0, 10).map((e) => ({ ...e })));
    rt.ingest.submit(first.slice(95).map((e) => ({ ...e })));
    await rt.ingest.flushed();
    expect(rt.ingest.counters.stored - before.stored).toBe(0);
    expect(rt.ingest.counters.duplicates - before.duplicates).toBe(25);
    expect(rt.ingest.counters.sequenceRestarts - before.sequenceRestarts).toBe(0);
    expect(await rows()).toBe(200);
  });

  it('after a Kerf restart (empty memory) the unique index still refuses both epochs', async () => {
    const fresh = new Ingest(t.database, rt.registry, rt.cache, t.events);
    fresh.start();
    try {
      fresh.submit([...first.slice(0, 5), ...second.slice(0, 5)].map((e) => ({ ...e })));
      await fresh.flushed();
      expect(fresh.counters.stored).toBe(0);
      expect(fresh.counters.duplicates).toBe(10);
    } finally {
      await fresh.stop();
    }
    expect(await rows()).toBe(200);
  });

  it('continues the new epoch: later sequences are stored, time going back is not a restart', async () => {
    const before = { ...rt.ingest.counters };
    const more = Array.from({ length: 20 }, (_, i) => reading(101 + i, TEST_T0 + HOUR + (100 + i) * 1000));
    rt.ingest.submit(more);
    await rt.ingest.flushed();
    expect(rt.ingest.counters.stored - before.stored).toBe(20);
    expect(rt.ingest.counters.sequenceRestarts - before.sequenceRestarts).toBe(0);
    expect(await rows()).toBe(220);
  });
});
