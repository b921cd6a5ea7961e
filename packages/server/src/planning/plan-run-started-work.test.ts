import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleJob, seedMiniShop } from '../test/fixtures.js';
import { bearer, testApp, type TestApp } from '../test/harness.js';
import { scheduleSlots } from './tables.js';

const MIN = 60_000;

interface PlanSlotBody {
  routingId: string;
  workCenterId: string;
  plannedStart: string;
  plannedEnd: string;
  isFixed: boolean;
}

/**
 * A plan run after the floor has reported (ADR 0026): the cut is finished, the weld runs on
 * WELD-02 since 30 minutes (planned to take 60); the run must leave the cut out, keep the weld on
 * WELD-02 for what is left of it, and plan the forming after the weld's expected end. The shop
 * has no shifts (always open), so the expected end is the actual start + 60 minutes.
 */
describe('a plan run treats started work as fixed', () => {
  let t: TestApp;
  const now = Math.floor(Date.now() / MIN) * MIN;
  const at = (m: number) => new Date(now + m * MIN).toISOString();
  const step: Record<number, string> = {};
  let weldSlot: string;
  let seq = 0;
  const device = `tablet-${randomUUID().slice(0, 8)}`;

  const send = async (type: string, operationId: string, minute: number, extra: Record<string, unknown> = {}) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/floor/transactions',
      headers: bearer(t.tokens.operator),
      payload: {
        transactions: [{ id: randomUUID(), deviceId: device, seq: ++seq, at: at(minute), type, operationId, ...extra }],
        sentAt: new Date().toISOString(),
      },
    });
    const [r] = (res.json() as { results: Array<{ status: string; message: string }> }).results;
    expect(r!.status, r!.message).toBe('applied');
  };
  const createSlot = async (routingId: string, workCenterId: string, from: number, to: number) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/schedule-slots',
      headers: bearer(t.tokens.supervisor),
      payload: { routingId, workCenterId, plannedStart: at(from), plannedEnd: at(to) },
    });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { id: string }).id;
  };

  beforeAll(async () => {
    t = await testApp();
    await seedMiniShop(t.app, t.tokens.admin);
    const job = await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: bearer(t.tokens.admin),
      payload: {
        ...sampleJob('J-PS1'),
        dueDate: at(3 * 24 * 60),
        routings: [
          { sequence: 10, operationCode: 'CUT', workCenterType: 'laser', setupMinutes: 0, runMinutesPerUnit: 10 },
          {
            sequence: 20,
            operationCode: 'WELD',
            workCenterType: 'weld',
            setupMinutes: 0,
            runMinutesPerUnit: 15,
            dependsOn: [10],
          },
          {
            sequence: 30,
            operationCode: 'FORM',
            workCenterType: 'brake',
            setupMinutes: 0,
            runMinutesPerUnit: 10,
            dependsOn: [20],
          },
        ],
      },
    });
    expect(job.statusCode, job.body).toBe(201);
    for (const r of (job.json() as { routings: Array<{ id: string; sequence: number }> }).routings)
      step[r.sequence] = r.id;
    await createSlot(step[10]!, 'LASER-01', -200, -160);
    weldSlot = await createSlot(step[20]!, 'WELD-02', -100, -40);
    await send('start', step[10]!, -190);
    await send('finish', step[10]!, -150, { good: 4 });
    await send('start', step[20]!, -30); // late by 70 minutes
  });
  afterAll(async () => t.close());

  it('keeps the running weld on its center for what is left, leaves the cut out, forms after the weld', async () => {
    const started = await t.app.inject({
      method: 'POST',
      url: '/api/v1/plan-runs',
      headers: bearer(t.tokens.supervisor),
      payload: { timeLimitSeconds: 1 },
    });
    expect(started.statusCode, started.body).toBe(202);
    const { id } = started.json() as { id: string };
    await t.planRuns.waitFor(id);
    const run = (
      await t.app.inject({ method: 'GET', url: `/api/v1/plan-runs/${id}`, headers: bearer(t.tokens.admin) })
    ).json() as { status: string; planId: string; valid: boolean };
    expect([run.status, run.valid]).toEqual(['done', true]);
    const plan = (
      await t.app.inject({ method: 'GET', url: `/api/v1/plans/${run.planId}`, headers: bearer(t.tokens.admin) })
    ).json() as { timeZero: string; slots: PlanSlotBody[]; version: number };
    const of = (routingId: string) => plan.slots.find((s) => s.routingId === routingId);
    expect(of(step[10]!)).toBeUndefined(); // complete: not planned again
    const weld = of(step[20]!)!;
    expect([weld.workCenterId, weld.isFixed]).toEqual(['WELD-02', true]);
    // started at -30, planned to take 60: expected to end at +30 (the run's time zero is a moment after now)
    const expectedEnd = now + 30 * MIN;
    expect(Math.abs(Date.parse(weld.plannedEnd) - expectedEnd)).toBeLessThanOrEqual(MIN);
    const form = of(step[30]!)!;
    expect(Date.parse(form.plannedStart)).toBeGreaterThanOrEqual(Date.parse(weld.plannedEnd));

    // Publishing keeps the running weld's slot as the floor left it.
    const before = (await t.database.db.select().from(scheduleSlots).where(eq(scheduleSlots.id, weldSlot)))[0]!;
    const published = await t.app.inject({
      method: 'POST',
      url: `/api/v1/plans/${run.planId}/publish`,
      headers: bearer(t.tokens.production_manager),
      payload: { version: plan.version },
    });
    expect(published.statusCode, published.body).toBe(200);
    const after = (await t.database.db.select().from(scheduleSlots).where(eq(scheduleSlots.id, weldSlot)))[0]!;
    expect(after).toEqual(before);
    expect(after.status).toBe('in_progress');
    const formSlot = (
      await t.database.db.select().from(scheduleSlots).where(eq(scheduleSlots.routingId, step[30]!))
    )[0]!;
    expect(formSlot.plannedStart.getTime()).toBeGreaterThanOrEqual(Date.parse(weld.plannedEnd));
  });
});
