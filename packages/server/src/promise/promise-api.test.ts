import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workCenters } from '../shop/tables.js';
import { sampleJob, seedMiniShop } from '../test/fixtures.js';
import { bearer, testApp, type TestApp } from '../test/harness.js';
import { promiseDate } from './promise-service.js';
import type { PromiseInput } from './schemas.js';

// Monday 2026-11-30 00:00 UTC; every center works Mon-Fri 06:00-14:00 UTC (the test zone).
const NOW = Date.parse('2026-11-30T00:00:00Z');

const prospect = (priority: number): PromiseInput => ({
  quantity: 2,
  priority,
  dueDate: '2026-12-04T14:00:00Z',
  routings: [
    { sequence: 10, operationCode: 'CUT', workCenterType: 'laser', setupMinutes: 10, runMinutesPerUnit: 30 },
    { sequence: 20, operationCode: 'WELD', workCenterType: 'weld', runMinutesPerUnit: 30 },
  ],
});

const inShift = (iso: string, isEnd = false) => {
  const d = new Date(iso);
  const minute = d.getUTCHours() * 60 + d.getUTCMinutes();
  const weekday = (d.getUTCDay() + 6) % 7;
  return weekday < 5 && minute >= 360 && (isEnd ? minute <= 840 : minute < 840);
};

describe('capable-to-promise', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
    await seedMiniShop(t.app, t.tokens.admin);
    for (const wc of ['LASER-01', 'BRAKE-01', 'WELD-01', 'WELD-02']) {
      for (let day = 0; day < 5; day++) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/shift-calendars',
          headers: bearer(t.tokens.admin),
          payload: {
            name: 'day',
            workCenterId: wc,
            dayOfWeek: day,
            shiftNumber: 1,
            startTime: '06:00',
            endTime: '14:00',
          },
        });
        expect(res.statusCode, res.body).toBe(201);
      }
    }
    const routingOf = async (jobNumber: string, priority: number) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/jobs',
        headers: bearer(t.tokens.admin),
        payload: { ...sampleJob(jobNumber), priority },
      });
      expect(res.statusCode, res.body).toBe(201);
      return Object.fromEntries(
        (res.json() as { routings: Array<{ id: string; sequence: number }> }).routings.map((r) => [r.sequence, r.id]),
      );
    };
    const book = async (routingId: string, wc: string, start: string, end: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/schedule-slots',
        headers: bearer(t.tokens.supervisor),
        payload: { routingId, workCenterId: wc, plannedStart: start, plannedEnd: end },
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    // The only laser is booked by a Normal job all Monday and Tuesday morning, then a Rush job.
    const normal = await routingOf('J-P3', 3);
    const rush = await routingOf('J-P1', 1);
    await book(normal[10]!, 'LASER-01', '2026-11-30T06:00:00Z', '2026-12-01T10:00:00Z');
    await book(rush[10]!, 'LASER-01', '2026-12-01T10:00:00Z', '2026-12-01T12:00:00Z');
  });
  afterAll(async () => t.close());

  it('fits after existing bookings, in working time, and names the deciding work center', async () => {
    const r = await promiseDate({ db: t.database.db, timeZone: 'UTC', now: NOW }, prospect(2));
    // Laser: free from Tue 12:00, 10 setup + ceil(60 / 0.85) = 71 run -> 13:21. Weld: 71 min
    // from 13:21, 39 before the shift ends at 14:00, 32 on Wednesday -> 06:32.
    expect(r.steps.map((s) => [s.sequence, s.workCenterId, s.setupStart, s.end])).toEqual([
      [10, 'LASER-01', '2026-12-01T12:00:00.000Z', '2026-12-01T13:21:00.000Z'],
      [20, 'WELD-01', '2026-12-01T13:21:00.000Z', '2026-12-02T06:32:00.000Z'],
    ]);
    expect(r.earliestCompletion).toBe('2026-12-02T06:32:00.000Z');
    for (const s of r.steps) {
      expect(inShift(s.setupStart)).toBe(true);
      expect(inShift(s.start)).toBe(true);
      expect(inShift(s.end, true)).toBe(true);
    }
    expect(r.onTime).toBe(true);
    expect(r.justification.bottleneck).toMatchObject({
      sequence: 10,
      workCenterId: 'LASER-01',
      blockedBy: ['J-P3', 'J-P1'],
    });
    expect(r.justification.text).toMatch(/Deciding step: 10 CUT on LASER-01/);
    expect(r.justification.criticalPath).toEqual([10, 20]);

    // High priority may push the Normal job, not the Rush one: Monday from 06:00.
    const push = r.ifPushingLowerPriority;
    expect(push.completion).toBe('2026-11-30T08:32:00.000Z');
    expect(Date.parse(push.completion)).toBeLessThanOrEqual(Date.parse(r.earliestCompletion));
    expect(push.pushedJobs).toEqual([{ jobNumber: 'J-P3', priority: 3, workCenterId: 'LASER-01' }]);
  });

  it('never pushes equal or higher priority work, and pushing is never later', async () => {
    for (const priority of [1, 3, 4]) {
      const r = await promiseDate({ db: t.database.db, timeZone: 'UTC', now: NOW }, prospect(priority));
      expect(Date.parse(r.ifPushingLowerPriority.completion)).toBeLessThanOrEqual(Date.parse(r.earliestCompletion));
      if (priority >= 3) expect(r.ifPushingLowerPriority.completion).toBe(r.earliestCompletion);
      if (priority === 1) expect(r.ifPushingLowerPriority.pushedJobs.map((p) => p.jobNumber).sort()).toEqual(['J-P3']);
    }
  });

  it('answers over HTTP for a job viewer and refuses a bad body naming the field', async () => {
    const post = (payload: object, role: 'operator' | 'supervisor' = 'operator') =>
      t.app.inject({ method: 'POST', url: '/api/v1/promise', headers: bearer(t.tokens[role]), payload });
    const ok = await post(prospect(2));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      earliestCompletion: expect.any(String),
      justification: { text: expect.any(String) },
    });

    const badType = prospect(2);
    badType.routings[1]!.workCenterType = 'plasma';
    const r1 = await post(badType);
    expect(r1.statusCode).toBe(400);
    expect(r1.json()).toMatchObject({
      field: 'routings[1].workCenterType',
      message: 'routings[1].workCenterType: no work center has type "plasma"',
    });

    const badDep = prospect(2);
    badDep.routings[1]!.dependsOn = [99];
    expect((await post(badDep)).json()).toMatchObject({ field: 'routings[1].dependsOn' });

    const noQty: Partial<PromiseInput> = { ...prospect(2) };
    delete noQty.quantity;
    const r3 = await post(noQty);
    expect(r3.statusCode).toBe(400);
    expect(r3.json()).toMatchObject({ field: 'quantity' });
    expect((await post({ ...prospect(2), priority: 9 })).json()).toMatchObject({ field: 'priority' });
    expect((await post({ ...prospect(2), routings: [] })).statusCode).toBe(400);
  });

  it('refuses a step whose every center is down (409), and leaves down centers out', async () => {
    await t.database.db.update(workCenters).set({ isActive: false }).where(eq(workCenters.machineType, 'weld'));
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/promise',
      headers: bearer(t.tokens.operator),
      payload: prospect(2),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: 'work_center_down', field: 'routings[1].workCenterType' });
    await t.database.db.update(workCenters).set({ isActive: true }).where(eq(workCenters.id, 'WELD-02'));
    const r = await promiseDate({ db: t.database.db, timeZone: 'UTC', now: NOW }, prospect(2));
    expect(r.steps[1]!.workCenterId).toBe('WELD-02');
  });
});
