import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import { createUser } from '../auth/service.js';
import { EventBus } from '../platform/events.js';
import { bearer, testApp, type TestApp } from '../test/harness.js';
import { sampleJob, seedMiniShop } from '../test/fixtures.js';
import { PlanRunService } from './plan-run-service.js';

interface RunBody {
  id: string;
  status: string;
  queuePosition: number | null;
  startedAt: string;
  finishedAt: string | null;
}
interface ErrorBody {
  error: string;
  message: string;
  field?: string;
}

const PLANNERS = ['planner1', 'planner2', 'planner3', 'planner4', 'planner5'];

describe('plan runs: one at a time per shop, a bounded queue, one per user, a bounded time limit', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    t = await testApp();
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
      await t.app.inject({ method: 'POST', url: '/api/v1/jobs', headers: h, payload: sampleJob(`J-L${i}`) });
    }
    for (const username of PLANNERS) {
      await createUser(t.database.db, SYSTEM_ACTOR, {
        username,
        password: `kestrel-orbit-wing-${username.length}`,
        role: 'supervisor',
      });
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password: `kestrel-orbit-wing-${username.length}` },
      });
      tokens[username] = (login.json() as { token: string }).token;
    }
  });
  afterAll(async () => t.close());

  const start = (token: string, body: object = { timeLimitSeconds: 1 }) =>
    t.app.inject({ method: 'POST', url: '/api/v1/plan-runs', headers: bearer(token), payload: body });
  const runOf = async (id: string) =>
    (
      await t.app.inject({ method: 'GET', url: `/api/v1/plan-runs/${id}`, headers: bearer(t.tokens.operator) })
    ).json() as RunBody;

  it('refuses a time limit above KERF_PLAN_RUN_MAX_SECONDS with 400 naming the field, starting nothing', async () => {
    const res = await start(tokens.planner1!, { timeLimitSeconds: 301 });
    expect(res.statusCode, res.body).toBe(400);
    const body = res.json() as ErrorBody;
    expect(body).toMatchObject({ field: 'timeLimitSeconds' });
    expect(body.message).toMatch(/at most 300 seconds/);
    const runs = await t.database.query<{ n: number }>('SELECT count(*)::int AS n FROM plan_runs');
    expect(runs[0]!.n).toBe(0);
  });

  it('runs 5 requests from 5 users one at a time, the others queued in order; a 6th from one of them is refused', async () => {
    const answers = await Promise.all(PLANNERS.map((u) => start(tokens[u]!)));
    expect(answers.map((a) => a.statusCode)).toEqual([202, 202, 202, 202, 202]);
    const started = answers.map((a) => a.json() as { id: string; status: string; queuePosition?: number });
    expect(started.filter((s) => s.status === 'running')).toHaveLength(1);
    expect(
      started
        .filter((s) => s.status === 'queued')
        .map((s) => s.queuePosition)
        .sort(),
    ).toEqual([1, 2, 3, 4]);

    const listed = (
      await t.app.inject({ method: 'GET', url: '/api/v1/plan-runs?limit=10', headers: bearer(t.tokens.operator) })
    ).json() as { items: RunBody[] };
    expect(listed.items.filter((r) => r.status === 'running')).toHaveLength(1);
    expect(listed.items.filter((r) => r.status === 'queued')).toHaveLength(4);
    const queued = started.find((s) => s.queuePosition === 4)!;
    expect(await runOf(queued.id)).toMatchObject({ status: 'queued', queuePosition: 4 });

    // one queued-or-running run per user
    const owner = PLANNERS[answers.findIndex((a) => (a.json() as { id: string }).id === queued.id)]!;
    const sixth = await start(tokens[owner]!);
    expect(sixth.statusCode, sixth.body).toBe(429);
    expect(sixth.json()).toMatchObject({ error: 'plan_run_per_user_limit' });
    expect((sixth.json() as ErrorBody).message).toContain(queued.id);

    // cancelling a queued run takes it out of the queue at once; it never runs
    const cancel = await t.app.inject({
      method: 'POST',
      url: `/api/v1/plan-runs/${queued.id}/cancel`,
      headers: bearer(tokens[owner]!),
    });
    expect(cancel.statusCode, cancel.body).toBe(202);
    expect(cancel.json()).toMatchObject({ status: 'cancelled' });
    expect(await runOf(queued.id)).toMatchObject({ status: 'cancelled', queuePosition: null });

    // at most one running at any time: sample while the queue drains, then compare intervals
    let maxRunning = 0;
    let draining = true;
    const sampler = (async () => {
      while (draining) {
        const rows = await t.database.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM plan_runs WHERE status = 'running'",
        );
        maxRunning = Math.max(maxRunning, rows[0]!.n);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await t.planRuns.waitForAll();
    draining = false;
    await sampler;
    expect(maxRunning).toBe(1);
    const runs = await Promise.all(started.map((s) => runOf(s.id)));
    const done = runs.filter((r) => r.id !== queued.id);
    expect(done.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done']);
    const intervals = done
      .map((r) => [Date.parse(r.startedAt), Date.parse(r.finishedAt!)] as const)
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < intervals.length; i++) expect(intervals[i]![0]).toBeGreaterThanOrEqual(intervals[i - 1]![1]);

    // the owner may start again once the earlier run is over
    const again = await start(tokens[owner]!);
    expect(again.statusCode).toBe(202);
    await t.planRuns.waitForAll();
  }, 60_000);

  it('cancelling the running run lets the next one start at once', async () => {
    const long = (await start(tokens.planner1!, { timeLimitSeconds: 60 })).json() as { id: string; status: string };
    const next = (await start(tokens.planner2!)).json() as { id: string; status: string };
    expect([long.status, next.status]).toEqual(['running', 'queued']);
    await new Promise((r) => setTimeout(r, 1500));
    const t0 = Date.now();
    const cancel = await t.app.inject({
      method: 'POST',
      url: `/api/v1/plan-runs/${long.id}/cancel`,
      headers: bearer(tokens.planner1!),
    });
    expect(cancel.json()).toMatchObject({ status: 'cancelling' });
    await t.planRuns.waitForAll();
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(await runOf(long.id)).toMatchObject({ status: 'cancelled' });
    expect(await runOf(next.id)).toMatchObject({ status: 'done' });
  }, 90_000);

  it('refuses a run beyond the queue bound with 429 saying how busy the shop is', async () => {
    const service = new PlanRunService({
      db: t.database.db,
      events: new EventBus(),
      timeZone: 'UTC',
      limits: { maxConcurrent: 1, maxQueued: 1, perUser: 1, maxSeconds: 300 },
      worker: true,
    });
    service.startWorker();
    const req = { objective: 'makespan' as const, timeLimitSeconds: 1, horizonDays: 28, frozenMinutes: 0 };
    const actor = (id: string) => ({ ...SYSTEM_ACTOR, type: 'user' as const, id, name: id });
    const first = await service.start(actor('u1'), req);
    const second = await service.start(actor('u2'), req);
    expect([first.status, second.status]).toEqual(['running', 'queued']);
    await expect(service.start(actor('u3'), req)).rejects.toMatchObject({
      kind: 'rate_limited',
      code: 'plan_runs_busy',
      message: expect.stringMatching(/1 plan run running and 1 queued/),
    });
    await t.planRuns.waitForAll();
    await service.stop();
    const rows = await t.database.query<{ n: number }>('SELECT count(*)::int AS n FROM plan_runs');
    expect(rows[0]!.n).toBe(10);
  });
});
