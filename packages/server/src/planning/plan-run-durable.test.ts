import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import { openDatabase, type Database } from '../platform/db.js';
import { EventBus } from '../platform/events.js';
import { bearer, TEST_DATABASE_URL, TEST_DB, testApp, testDatabase, type TestApp } from '../test/harness.js';
import { sampleJob, seedMiniShop } from '../test/fixtures.js';
import { PlanRunService } from './plan-run-service.js';

const req = { objective: 'weighted_tardiness' as const, timeLimitSeconds: 60, horizonDays: 28, frozenMinutes: 0 };
const user = (id: string) => ({ ...SYSTEM_ACTOR, type: 'user' as const, id, name: id });

describe('plan runs across instances: cancel anywhere, recovery of a dead owner, shop-wide limits', () => {
  let t: TestApp;
  // A second Kerf instance: on PostgreSQL its own connection pool on the same schema.
  let second: Database;
  const services: PlanRunService[] = [];
  const instance = (
    id: string,
    worker: boolean,
    limits?: ConstructorParameters<typeof PlanRunService>[0]['limits'],
  ) => {
    const s = new PlanRunService({
      db: second.db,
      events: new EventBus(),
      timeZone: 'UTC',
      instanceId: id,
      worker,
      heartbeatMs: 500,
      ...(limits ? { limits } : {}),
    });
    services.push(s);
    return s;
  };
  const row = async (id: string) =>
    (
      await t.database.query<{ status: string; error: string | null; claimed_by: string | null }>(
        'SELECT status, error, claimed_by FROM plan_runs WHERE id = $1',
        [id],
      )
    )[0]!;

  beforeAll(async () => {
    t = await testApp();
    const schema = t.database.describe.match(/schema (\w+)/)?.[1];
    second =
      TEST_DB === 'postgres'
        ? await openDatabase({ databaseUrl: TEST_DATABASE_URL, ...(schema ? { schema } : {}) })
        : t.database;
    await seedMiniShop(t.app, t.tokens.admin);
    const h = bearer(t.tokens.admin);
    for (const wc of ['LASER-01', 'BRAKE-01', 'WELD-01', 'WELD-02']) {
      for (const dayOfWeek of [0, 1, 2, 3, 4, 5, 6]) {
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/shift-calendars',
          headers: h,
          payload: { name: 'Day', workCenterId: wc, dayOfWeek, shiftNumber: 1, startTime: '06:00', endTime: '14:30' },
        });
      }
    }
    for (let i = 1; i <= 4; i++) {
      await t.app.inject({ method: 'POST', url: '/api/v1/jobs', headers: h, payload: sampleJob(`J-D${i}`) });
    }
  });
  afterAll(async () => {
    for (const s of services) await s.stop();
    if (second !== t.database) await second.close();
    await t.close();
  });

  it('a run solving on instance A is cancelled from instance B: A stops its worker thread, the run ends cancelled', async () => {
    const a = t.planRuns;
    const b = instance('instance-b', false);
    const run = await a.start(user('u-a'), req);
    expect(run.status).toBe('running');
    expect(a.localRunIds()).toContain(run.id);
    await new Promise((r) => setTimeout(r, 1000));
    const t0 = Date.now();
    expect(await b.cancel(run.id)).toBe('cancelling');
    await a.waitFor(run.id);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(await row(run.id)).toMatchObject({ status: 'cancelled' });
    expect(a.localRunIds()).toEqual([]);
    // Over: a second cancel is a conflict from either instance.
    await expect(b.cancel(run.id)).rejects.toMatchObject({ code: 'not_running' });
  }, 30_000);

  it('a queued run is cancelled at once from another instance and never runs', async () => {
    const b = instance('instance-b2', false);
    const long = await t.planRuns.start(user('u-long'), req);
    const queued = await b.start(user('u-q'), { ...req, timeLimitSeconds: 1 });
    expect(queued).toMatchObject({ status: 'queued', queuePosition: 1 });
    expect(await t.planRuns.cancel(queued.id)).toBe('cancelled');
    expect(await row(queued.id)).toMatchObject({ status: 'cancelled', error: 'cancelled while queued' });
    expect(await b.cancel(long.id)).toBe('cancelling');
    await t.planRuns.waitForAll();
    expect(await row(long.id)).toMatchObject({ status: 'cancelled' });
  }, 30_000);

  it('an api-only instance queues; a worker instance claims and solves the run', async () => {
    const api = instance('api-only', false);
    const started = await api.start(user('u-w'), { ...req, timeLimitSeconds: 1 });
    expect(started.status).toBe('queued');
    await t.planRuns.waitFor(started.id);
    expect(await row(started.id)).toMatchObject({ status: 'done', claimed_by: t.planRuns.instanceId });
  }, 30_000);

  it('recovers a run whose owner died (heartbeat long ago) at start-up, not one whose owner is alive', async () => {
    const [dead] = await t.database.query<{ id: string }>(
      `INSERT INTO plan_runs (status, objective, time_limit_seconds, horizon_days, frozen_minutes, claimed_by, heartbeat_at, started_at)
       VALUES ('running', 'makespan', 60, 28, 0, 'gone-host:4242', now() - interval '1 hour', now() - interval '1 hour')
       RETURNING id`,
    );
    const [alive] = await t.database.query<{ id: string }>(
      `INSERT INTO plan_runs (status, objective, time_limit_seconds, horizon_days, frozen_minutes, claimed_by, heartbeat_at)
       VALUES ('running', 'makespan', 60, 28, 0, 'alive-host:1', now()) RETURNING id`,
    );
    const restarted = instance('restarted', true);
    restarted.startWorker();
    await restarted.waitFor(dead!.id);
    const recovered = await row(dead!.id);
    expect(recovered.status).toBe('failed');
    expect(recovered.error).toMatch(/^the Kerf instance running it \(gone-host:4242\) stopped: no heartbeat for \d+ s/);
    expect(await row(alive!.id)).toMatchObject({ status: 'running' });
    await t.database.query(`UPDATE plan_runs SET status = 'failed', finished_at = now() WHERE id = $1`, [alive!.id]);
    await restarted.stop();
  });

  it('holds the shop-wide limits across two instances admitting at the same moment', async () => {
    // Its own database with no worker, so nothing leaves the queue while the requests race.
    const own = await testDatabase();
    const schema = own.describe.match(/schema (\w+)/)?.[1];
    const other =
      TEST_DB === 'postgres'
        ? await openDatabase({ databaseUrl: TEST_DATABASE_URL, ...(schema ? { schema } : {}) })
        : own;
    const limits = { maxConcurrent: 1, maxQueued: 2, perUser: 1, maxSeconds: 300 };
    const on = (database: Database) =>
      new PlanRunService({ db: database.db, events: new EventBus(), timeZone: 'UTC', worker: false, limits });
    const a = on(own);
    const b = on(other);
    const quick = { ...req, timeLimitSeconds: 1 };
    const answers = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).start(user(`limit-${i}`), quick)),
    );
    const admitted = answers.filter((x) => x.status === 'fulfilled');
    expect(admitted).toHaveLength(2);
    for (const refused of answers.filter((x) => x.status === 'rejected')) {
      expect(refused.reason).toMatchObject({ kind: 'rate_limited', code: 'plan_runs_busy' });
    }
    const positions = admitted.map((x) => (x as PromiseFulfilledResult<{ queuePosition: number | null }>).value);
    expect(positions.map((p) => p.queuePosition).sort()).toEqual([1, 2]);
    // one per user, whichever instance the second request reaches
    const ids = admitted.map((x) => (x as PromiseFulfilledResult<{ id: string }>).value.id);
    for (const id of ids) await a.cancel(id);
    const same = await Promise.allSettled([a.start(user('same'), quick), b.start(user('same'), quick)]);
    expect(same.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    expect(same.find((x) => x.status === 'rejected')).toMatchObject({ reason: { code: 'plan_run_per_user_limit' } });
    if (other !== own) await other.close();
    await own.drop();
  });
});
