import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp, type TestApp } from '../test/harness.js';
import { sampleJob, seedMiniShop } from '../test/fixtures.js';
import { add, subtract } from './scenario-changes.js';
import { waitForScenario } from './scenario-service.js';

interface ScenarioBody {
  status: string;
  kpis: { scenario: { weightedTardiness: number; lateJobs: number }; published: { weightedTardiness: number } | null };
  result: {
    valid: boolean;
    rushJobs: Array<{ jobNumber: string; completion: string; late: boolean }>;
    jobsLaterThanPublished: unknown[];
  };
}

describe('what-if scenarios', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
    await seedMiniShop(t.app, t.tokens.admin);
    const h = bearer(t.tokens.admin);
    for (let i = 1; i <= 4; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/jobs',
        headers: h,
        payload: { ...sampleJob(`J-W${i}`), dueDate: new Date(Date.now() + i * 86_400_000).toISOString() },
      });
    }
    const run = (
      await t.app.inject({ method: 'POST', url: '/api/v1/plan-runs', headers: h, payload: { timeLimitSeconds: 1 } })
    ).json() as { id: string };
    await t.planRuns.waitFor(run.id);
    const planId = (
      (await t.app.inject({ method: 'GET', url: `/api/v1/plan-runs/${run.id}`, headers: h })).json() as {
        planId: string;
      }
    ).planId;
    await t.app.inject({ method: 'POST', url: `/api/v1/plans/${planId}/publish`, headers: h, payload: { version: 1 } });
  });
  afterAll(async () => t.close());

  it('interval arithmetic for down time and overtime', () => {
    expect(
      subtract(
        [
          [0, 100],
          [200, 300],
        ],
        50,
        250,
      ),
    ).toEqual([
      [0, 50],
      [250, 300],
    ]);
    expect(
      add(
        [
          [0, 100],
          [200, 300],
        ],
        90,
        210,
      ),
    ).toEqual([[0, 300]]);
    expect(add([[0, 100]], 150, 160)).toEqual([
      [0, 100],
      [150, 160],
    ]);
  });

  it('re-plans with the laser down and a rush job, beside the published plan, changing nothing live', async () => {
    const h = bearer(t.tokens.supervisor);
    const slotsBefore = (await t.app.inject({ method: 'GET', url: '/api/v1/schedule-slots?limit=500', headers: h }))
      .body;
    const downUntil = new Date(Date.now() + 3 * 86_400_000);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/scenarios',
      headers: h,
      payload: {
        name: 'Laser down for repairs + rush order',
        timeLimitSeconds: 1,
        changes: [
          {
            type: 'machine_down',
            workCenterId: 'LASER-01',
            from: new Date(Date.now() - 3600_000).toISOString(),
            to: downUntil.toISOString(),
          },
          {
            type: 'overtime',
            workCenterId: 'WELD-01',
            from: new Date(Date.now() + 86_400_000).toISOString(),
            to: new Date(Date.now() + 86_400_000 + 4 * 3600_000).toISOString(),
          },
          {
            type: 'rush_job',
            jobNumber: 'RUSH-1',
            quantity: 4,
            priority: 1,
            dueDate: new Date(Date.now() + 86_400_000).toISOString(),
            routings: sampleJob('RUSH-1').routings,
          },
        ],
      },
    });
    expect(res.statusCode).toBe(202);
    const { id } = res.json() as { id: string };
    await waitForScenario(id);
    const body = (
      await t.app.inject({ method: 'GET', url: `/api/v1/scenarios/${id}`, headers: bearer(t.tokens.operator) })
    ).json() as ScenarioBody;
    expect(body.status).toBe('done');
    expect(body.result.valid).toBe(true);
    expect(body.kpis.published).not.toBeNull();
    const rush = body.result.rushJobs[0]!;
    expect(rush.jobNumber).toBe('RUSH-1');
    // its first step needs the laser, which is down: it cannot finish before the laser is back
    expect(Date.parse(rush.completion)).toBeGreaterThan(downUntil.getTime());
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/schedule-slots?limit=500', headers: h })).body).toBe(
      slotsBefore,
    );
  });

  it('refuses bad changes naming the field', async () => {
    const h = bearer(t.tokens.supervisor);
    const backwards = await t.app.inject({
      method: 'POST',
      url: '/api/v1/scenarios',
      headers: h,
      payload: {
        name: 'x',
        changes: [
          { type: 'overtime', workCenterId: 'WELD-01', from: '2026-12-02T10:00:00Z', to: '2026-12-02T08:00:00Z' },
        ],
      },
    });
    expect(backwards.json()).toMatchObject({ field: 'changes[0].to' });
    const cycle = sampleJob('RUSH-2');
    cycle.routings[0] = { ...cycle.routings[0]!, dependsOn: [40] };
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/scenarios',
      headers: h,
      payload: {
        name: 'x',
        changes: [
          {
            type: 'rush_job',
            jobNumber: 'RUSH-2',
            quantity: 2,
            dueDate: '2026-12-02T10:00:00Z',
            routings: cycle.routings,
          },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { field: string }).field).toMatch(/^changes\[0\]\.routings\[\d\]\.dependsOn$/);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/scenarios',
          headers: bearer(t.tokens.operator),
          payload: { name: 'x', changes: [] },
        })
      ).statusCode,
    ).toBe(403);
  });
});
