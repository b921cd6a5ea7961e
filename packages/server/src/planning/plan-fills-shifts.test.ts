import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleJob, seedMiniShop } from '../test/fixtures.js';
import { bearer, testApp, type TestApp } from '../test/harness.js';

const BREAKS = [
  { start: '09:00', end: '09:15' },
  { start: '11:30', end: '12:00' },
  { start: '13:00', end: '13:15' },
];

/**
 * The planner plans into working time without breaks, and the overloaded_shift rule bounds a
 * shift by the same working minutes: a schedule the planner produced never overfills a shift.
 * Shifts are 8.5 h with 60 min of breaks (450 working minutes) and the centers keep the default
 * capacity_minutes_per_shift of 480, which a plan filling the whole 510 min used to exceed.
 */
describe('a published plan fills shifts to their working minutes, no further', () => {
  let t: TestApp;
  const h = () => bearer(t.tokens.admin);
  beforeAll(async () => {
    t = await testApp();
    await seedMiniShop(t.app, t.tokens.admin);
    for (const wc of ['LASER-01', 'BRAKE-01', 'WELD-01', 'WELD-02']) {
      for (const dayOfWeek of [0, 1, 2, 3, 4]) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/shift-calendars',
          headers: h(),
          payload: {
            name: 'Day',
            workCenterId: wc,
            dayOfWeek,
            shiftNumber: 1,
            startTime: '06:00',
            endTime: '14:30',
            breaks: BREAKS,
          },
        });
        expect(res.statusCode, res.body).toBe(201);
      }
    }
    // Far more laser work than one shift holds (each CUT is 20 + 6 x 40 = 260 min), all due soon.
    for (let i = 1; i <= 6; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/jobs',
        headers: h(),
        payload: { ...sampleJob(`J-F${i}`), quantity: 40, dueDate: new Date(Date.now() + 86_400_000).toISOString() },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(async () => t.close());

  it('publishes a plan with no overloaded_shift conflict', async () => {
    const run = await t.app.inject({
      method: 'POST',
      url: '/api/v1/plan-runs',
      headers: bearer(t.tokens.supervisor),
      payload: { timeLimitSeconds: 1 },
    });
    expect(run.statusCode, run.body).toBe(202);
    const runId = (run.json() as { id: string }).id;
    await t.planRuns.waitFor(runId);
    const done = (await t.app.inject({ method: 'GET', url: `/api/v1/plan-runs/${runId}`, headers: h() })).json() as {
      planId: string;
      valid: boolean;
    };
    expect(done.valid).toBe(true);
    const published = await t.app.inject({
      method: 'POST',
      url: `/api/v1/plans/${done.planId}/publish`,
      headers: h(),
      payload: { version: 1 },
    });
    expect(published.statusCode, published.body).toBe(200);

    const slots = (
      await t.app.inject({ method: 'GET', url: '/api/v1/schedule-slots?limit=500', headers: h() })
    ).json() as { items: Array<{ workCenterId: string; plannedStart: string; plannedEnd: string }> };
    const laserMinutes = slots.items
      .filter((s) => s.workCenterId === 'LASER-01')
      .reduce((sum, s) => sum + (Date.parse(s.plannedEnd) - Date.parse(s.plannedStart)) / 60_000, 0);
    // the laser work spans several shifts, so each full shift is tested against its bound
    expect(laserMinutes).toBeGreaterThan(3 * 450);

    const conflicts = await t.app.inject({
      method: 'GET',
      url: '/api/v1/conflicts?kind=overloaded_shift',
      headers: h(),
    });
    expect(conflicts.statusCode, conflicts.body).toBe(200);
    expect((conflicts.json() as { items: unknown[] }).items).toEqual([]);
  });
});
