import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp, type TestApp } from '../test/harness.js';
import { sampleJob, seedMiniShop } from '../test/fixtures.js';

interface JobBody {
  id: string;
  version: number;
  status: string;
  routings: Array<{
    id: string;
    sequence: number;
    dependencies: string[];
    dependsOn: number[];
    totalMinutes: number;
    quantity: number;
  }>;
  parts: unknown[];
}

describe('jobs API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
    await seedMiniShop(t.app, t.tokens.admin);
  });
  afterAll(async () => t.close());

  const count = async () =>
    (await t.app.inject({ method: 'GET', url: '/api/v1/jobs', headers: bearer(t.tokens.admin) })).json()
      .total as number;

  it('walks 401 -> 400 -> 403 -> 201 and stores routings with their DAG', async () => {
    const url = '/api/v1/jobs';
    expect((await t.app.inject({ method: 'POST', url, payload: sampleJob('J-1') })).statusCode).toBe(401);
    const bad = await t.app.inject({
      method: 'POST',
      url,
      headers: bearer(t.tokens.supervisor),
      payload: { ...sampleJob('J-1'), quantity: 0 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'quantity' });
    expect(
      (await t.app.inject({ method: 'POST', url, headers: bearer(t.tokens.operator), payload: sampleJob('J-1') }))
        .statusCode,
    ).toBe(403);
    const res = await t.app.inject({
      method: 'POST',
      url,
      headers: bearer(t.tokens.supervisor),
      payload: sampleJob('J-1'),
    });
    expect(res.statusCode).toBe(201);
    const job = res.json() as JobBody;
    expect(job.parts).toHaveLength(1);
    const bySeq = new Map(job.routings.map((r) => [r.sequence, r]));
    expect(bySeq.get(40)!.dependsOn.sort()).toEqual([20, 30]);
    expect(bySeq.get(40)!.dependencies.sort()).toEqual([bySeq.get(20)!.id, bySeq.get(30)!.id].sort());
    expect(bySeq.get(10)!.totalMinutes).toBe(20 + 6 * 4);
    expect(bySeq.get(10)!.quantity).toBe(4);
  });

  it('rejects a dependency cycle with 400 naming the field, writing nothing', async () => {
    const before = await count();
    const job = sampleJob('J-CYCLE');
    job.routings[0] = { ...job.routings[0]!, dependsOn: [40] };
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: bearer(t.tokens.admin),
      payload: job,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'routing_cycle' });
    expect((res.json() as { field: string }).field).toMatch(/^routings\[\d\]\.dependsOn$/);
    expect(await count()).toBe(before);
  });

  it('refuses a preferred work center of another type and an unknown type', async () => {
    const wrong = sampleJob('J-TYPE');
    wrong.routings[3] = { ...wrong.routings[3]!, preferredWorkCenterId: 'LASER-01' };
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: bearer(t.tokens.admin),
      payload: wrong,
    });
    expect(res.json()).toMatchObject({ error: 'wrong_work_center_type', field: 'routings[3].preferredWorkCenterId' });
    const unknown = sampleJob('J-TYPE');
    unknown.routings[1] = { ...unknown.routings[1]!, workCenterType: 'waterjet' };
    const res2 = await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: bearer(t.tokens.admin),
      payload: unknown,
    });
    expect(res2.json()).toMatchObject({ field: 'routings[1].workCenterType' });
  });

  it('needs job:release to release, checks versions, replaces routings', async () => {
    const created = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/jobs',
        headers: bearer(t.tokens.admin),
        payload: sampleJob('J-2'),
      })
    ).json() as JobBody;
    const url = `/api/v1/jobs/${created.id}`;
    const sup = await t.app.inject({
      method: 'PATCH',
      url,
      headers: bearer(t.tokens.supervisor),
      payload: { status: 'released', version: 1 },
    });
    expect(sup.statusCode).toBe(403);
    const pm = await t.app.inject({
      method: 'PATCH',
      url,
      headers: bearer(t.tokens.production_manager),
      payload: { status: 'released', version: 1 },
    });
    expect(pm.statusCode).toBe(200);
    expect(pm.json()).toMatchObject({ status: 'released', version: 2 });
    const stale = await t.app.inject({
      method: 'PATCH',
      url,
      headers: bearer(t.tokens.production_manager),
      payload: { priority: 1, version: 1 },
    });
    expect(stale.statusCode).toBe(409);
    const replaced = await t.app.inject({
      method: 'PATCH',
      url,
      headers: bearer(t.tokens.supervisor),
      payload: {
        version: 2,
        routings: [
          { sequence: 1, operationCode: 'CUT', workCenterType: 'laser', runMinutesPerUnit: 2 },
          { sequence: 2, operationCode: 'WELD', workCenterType: 'weld', runMinutesPerUnit: 9 },
        ],
      },
    });
    expect(replaced.statusCode).toBe(200);
    expect((replaced.json() as JobBody).routings.map((r) => r.dependsOn)).toEqual([[], [1]]);
    const deleted = await t.app.inject({ method: 'DELETE', url, headers: bearer(t.tokens.admin) });
    expect(deleted.statusCode).toBe(409); // released jobs are cancelled, not deleted
  });

  it('filters and sorts the job list', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/jobs?priority=2&sort=-jobNumber',
      headers: bearer(t.tokens.operator),
    });
    expect(res.statusCode).toBe(200);
    const numbers = (res.json() as { items: Array<{ jobNumber: string }> }).items.map((j) => j.jobNumber);
    expect(numbers).toEqual([...numbers].sort().reverse());
    expect(numbers.length).toBeGreaterThan(0);
  });
});
