import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp, type TestApp } from '../test/harness.js';
import { sampleJob, seedMiniShop } from '../test/fixtures.js';

interface Step {
  jobId: string;
  sequence: number;
  setupMinutes: number;
  runMinutes: number;
  setupCategory: string | null;
  dependsOn: number[];
}
interface StepPage {
  items: Step[];
  total: number;
}

describe('routing steps and shop settings (read-only, for the web app)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
    await seedMiniShop(t.app, t.tokens.admin);
    for (const n of ['RS-1', 'RS-2', 'RS-3']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/jobs',
        headers: bearer(t.tokens.admin),
        payload: sampleJob(n),
      });
      expect(res.statusCode).toBe(201);
      // a job is cancelled after it exists, not created cancelled
      if (n === 'RS-3') {
        const cancel = await t.app.inject({
          method: 'PATCH',
          url: `/api/v1/jobs/${(res.json() as { id: string }).id}`,
          headers: bearer(t.tokens.admin),
          payload: { status: 'cancelled', version: 1 },
        });
        expect(cancel.statusCode).toBe(200);
      }
    }
  });
  afterAll(async () => t.close());

  it('walks 401 -> 400 -> 403 -> 200 for the routing steps', async () => {
    const url = '/api/v1/routing-steps';
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    const bad = await t.app.inject({ method: 'GET', url: `${url}?limit=501`, headers: bearer(t.tokens.admin) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: expect.stringContaining('limit') as string });
    const key = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: bearer(t.tokens.admin),
      payload: { name: 'no-jobs', scopes: ['machine:view'] },
    });
    const noJobs = (key.json() as { key: string }).key;
    expect((await t.app.inject({ method: 'GET', url, headers: bearer(noJobs) })).statusCode).toBe(403);
    const ok = await t.app.inject({ method: 'GET', url, headers: bearer(t.tokens.operator) });
    expect(ok.statusCode).toBe(200);
  });

  it('lists steps with setup, run time, category and dependencies as sequences, paged across jobs', async () => {
    const h = bearer(t.tokens.admin);
    const steps = sampleJob('x').routings;
    const all = (await t.app.inject({ method: 'GET', url: '/api/v1/routing-steps', headers: h })).json() as StepPage;
    expect(all.total).toBe(3 * steps.length);
    const open = (
      await t.app.inject({ method: 'GET', url: '/api/v1/routing-steps?open=true&limit=3', headers: h })
    ).json() as StepPage;
    expect(open.total).toBe(2 * steps.length);
    expect(open.items).toHaveLength(3);
    const rest = (
      await t.app.inject({ method: 'GET', url: '/api/v1/routing-steps?open=true&limit=500&offset=3', headers: h })
    ).json() as StepPage;
    // a page boundary inside a job still resolves dependencies to sequences
    const bySeq = new Map([...open.items, ...rest.items].map((s) => [`${s.jobId}:${s.sequence}`, s]));
    expect(bySeq.size).toBe(2 * steps.length);
    const first = [...bySeq.values()].find((s) => s.sequence === 30)!;
    expect(first.dependsOn).toEqual([10]);
    const cut = [...bySeq.values()].find((s) => s.sequence === 10)!;
    expect(cut).toMatchObject({ setupMinutes: 20, runMinutes: 24, setupCategory: 'SS304-16GA' });
  });

  it('answers the shop time zone to every logged-in role', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/shop-settings' })).statusCode).toBe(401);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/shop-settings', headers: bearer(t.tokens.operator) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ timeZone: 'UTC', frozenWindowMinutes: 240 });
  });
});
