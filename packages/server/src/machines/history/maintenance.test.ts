import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, TEST_DB, type TestApp } from '../../test/harness.js';
import { sample, seedMachines } from '../test-machines.js';
import { maintainHistory, storageLayout } from './maintenance.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
  await seedMachines(t.app, t.tokens.admin);
});
afterAll(async () => t?.close());

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-20T12:00:00.000Z');

describe('machine history storage', () => {
  it('uses daily partitions on PostgreSQL and plain tables on PGlite', async () => {
    expect(await storageLayout(t.database)).toBe(TEST_DB === 'postgres' ? 'partitioned' : 'plain');
  });

  it('moves rows out of the default partition, creates days ahead and drops expired days', async () => {
    const rt = t.machines;
    // Rows of "today" and of 100 days ago land before any partition exists.
    rt.ingest.submit([
      sample('WELD-01', 0, 1),
      { ...sample('WELD-01', 1, 2), timestamp: new Date(NOW - 100 * DAY).toISOString() },
    ]);
    await rt.ingest.flushed();
    const r = await maintainHistory(t.database, 90, Date.parse('2026-11-20T12:00:00.000Z'));
    const rows = await t.database.query<{ n: string }>('SELECT count(*) AS n FROM machine_metrics');
    expect(Number(rows[0]!.n)).toBe(1); // the 100-day-old row is gone, today's kept
    if (TEST_DB === 'postgres') {
      expect(r.created).toContain('machine_metrics_p20261120');
      expect(r.created, JSON.stringify(r.created)).toContain('machine_metrics_p20261127');
      const inDefault = await t.database.query<{ n: string }>('SELECT count(*) AS n FROM machine_metrics_default');
      expect(Number(inDefault[0]!.n)).toBe(0);
      const again = await maintainHistory(t.database, 90, NOW);
      expect(again.created).toEqual([]);
      // 95 days later the 2026-11-20 partition is past the retention and dropped.
      const later = await maintainHistory(t.database, 90, NOW + 95 * DAY);
      expect(later.dropped).toContain('machine_metrics_p20261120');
    } else {
      expect(r.deleted).toBe(1);
    }
  });
});
