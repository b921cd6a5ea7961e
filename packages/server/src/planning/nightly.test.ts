import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../platform/config.js';
import { openDatabase, type Database } from '../platform/db.js';
import { EventBus } from '../platform/events.js';
import { claimPeriod, nextDailyRun } from '../platform/periodic.js';
import { TEST_DATABASE_URL, TEST_DB, testDatabase } from '../test/harness.js';
import { runNightlyPlan } from './nightly.js';
import { PlanRunService } from './plan-run-service.js';

describe('nightly plan run', () => {
  let primary: Database & { drop: () => Promise<void> };
  let second: Database;
  beforeAll(async () => {
    primary = await testDatabase();
    // A second Kerf instance: on PostgreSQL its own connection pool on the same schema.
    const schema = primary.describe.match(/schema (\w+)/)?.[1];
    second =
      TEST_DB === 'postgres'
        ? await openDatabase({ databaseUrl: TEST_DATABASE_URL, ...(schema ? { schema } : {}) })
        : primary;
  });
  afterAll(async () => {
    if (second !== primary) await second.close();
    await primary.drop();
  });

  it('is claimed by exactly one of two instances waking together, once per night', async () => {
    const claims = await Promise.all([
      ...Array.from({ length: 4 }, (_, i) => claimPeriod(primary, 'nightly-plan', '2026-11-26', `a-${i}`)),
      ...Array.from({ length: 4 }, (_, i) => claimPeriod(second, 'nightly-plan', '2026-11-26', `b-${i}`)),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await claimPeriod(second, 'nightly-plan', '2026-11-27', 'b')).toBe(true);
  });

  it('starts one plan run for the period, and none on the other instance', async () => {
    const config = { ...loadConfig({}), nightlySeconds: 1 };
    // Queue-only instances: this is about who starts the run, not about solving it.
    const service = (database: Database) =>
      new PlanRunService({ db: database.db, events: new EventBus(), timeZone: 'UTC', worker: false });
    const [a, b] = await Promise.all([
      runNightlyPlan(primary, service(primary), config, '2026-12-01'),
      runNightlyPlan(second, service(second), config, '2026-12-01'),
    ]);
    expect([a, b].filter((x) => x !== null)).toHaveLength(1);
    const runs = await primary.query<{ trigger: string; n: number }>(
      'SELECT trigger, count(*)::int AS n FROM plan_runs GROUP BY trigger',
    );
    expect(runs).toEqual([{ trigger: 'nightly', n: 1 }]);
  });

  it('computes the next local run time across a daylight-saving change', () => {
    // Saturday Oct 31 2026, 12:00 UTC -> next 02:00 Chicago is Sunday Nov 1 02:00 CST = 08:00 UTC
    expect(new Date(nextDailyRun('02:00', 'America/Chicago', Date.parse('2026-10-31T12:00Z'))).toISOString()).toBe(
      '2026-11-01T08:00:00.000Z',
    );
    expect(new Date(nextDailyRun('02:00', 'UTC', Date.parse('2026-11-25T02:00Z'))).toISOString()).toBe(
      '2026-11-26T02:00:00.000Z',
    );
  });
});
