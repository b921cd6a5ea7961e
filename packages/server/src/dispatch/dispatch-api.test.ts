import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../auth/tables.js';
import { scheduleSlots } from '../planning/tables.js';
import { workCenters } from '../shop/tables.js';
import { sampleJob, seedMiniShop } from '../test/fixtures.js';
import { bearer, testApp, type TestApp } from '../test/harness.js';

interface QueueView {
  workCenter: { id: string; down: boolean };
  message: string | null;
  orderedBy: string;
  override: { applied: boolean; stale: boolean } | null;
  items: Array<{
    slotId: string;
    jobNumber: string;
    sequence: number;
    running: boolean;
    ready: boolean;
    waitingOn: Array<{ sequence: number; workCenterId: string | null }>;
    remainingJobMinutes: number;
    processingMinutes: number;
  }>;
}

describe('dispatch queue API', () => {
  let t: TestApp;
  const slot: Record<string, string> = {};
  const get = async (wc: string, query = '', role: 'operator' | 'supervisor' = 'operator') => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/work-centers/${wc}/queue${query}`,
      headers: bearer(t.tokens[role]),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as QueueView;
  };
  const book = async (name: string, routingId: string, wc: string, start: string, end: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/schedule-slots',
      headers: bearer(t.tokens.supervisor),
      payload: { routingId, workCenterId: wc, plannedStart: start, plannedEnd: end },
    });
    expect(res.statusCode, res.body).toBe(201);
    slot[name] = (res.json() as { id: string }).id;
  };
  const setStatus = (name: string, status: string) =>
    t.database.db
      .update(scheduleSlots)
      .set({ status, actualEnd: status === 'complete' ? new Date() : null })
      .where(eq(scheduleSlots.id, slot[name]!));

  beforeAll(async () => {
    t = await testApp();
    await seedMiniShop(t.app, t.tokens.admin);
    // Three jobs with a laser step each; job 1 is the fixture's four-step DAG.
    const jobs = [
      { ...sampleJob('J-D1'), dueDate: '2027-03-01T00:00:00Z', priority: 3 },
      { ...sampleJob('J-D2'), dueDate: '2027-01-15T00:00:00Z', priority: 1, quantity: 1 },
      { ...sampleJob('J-D3'), dueDate: '2027-02-01T00:00:00Z', priority: 4, quantity: 10 },
    ];
    const routing: Record<string, Record<number, string>> = {};
    for (const j of jobs) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/jobs',
        headers: bearer(t.tokens.admin),
        payload: j,
      });
      expect(res.statusCode, res.body).toBe(201);
      routing[j.jobNumber] = Object.fromEntries(
        (res.json() as { routings: Array<{ id: string; sequence: number }> }).routings.map((r) => [r.sequence, r.id]),
      );
    }
    // All on one plan day; J-D2 and J-D3 start together so the tie-break shows.
    await book('d1-10', routing['J-D1']![10]!, 'LASER-01', '2026-12-01T06:00:00Z', '2026-12-01T07:00:00Z');
    await book('d2-10', routing['J-D2']![10]!, 'LASER-01', '2026-12-01T08:00:00Z', '2026-12-01T09:00:00Z');
    await book('d3-30', routing['J-D3']![30]!, 'BRAKE-01', '2026-12-01T05:00:00Z', '2026-12-01T05:30:00Z');
    await book('d3-10', routing['J-D3']![10]!, 'LASER-01', '2026-12-01T10:00:00Z', '2026-12-01T12:00:00Z');
    await book('d1-30', routing['J-D1']![30]!, 'BRAKE-01', '2026-12-01T08:00:00Z', '2026-12-01T09:00:00Z');
  });
  afterAll(async () => t.close());

  it('follows the plan by default and ranks ready work by each rule', async () => {
    const plan = await get('LASER-01');
    expect(plan.orderedBy).toBe('plan');
    expect(plan.items.map((i) => i.jobNumber)).toEqual(['J-D1', 'J-D2', 'J-D3']);
    // Step 10 has no dependency: every laser item is ready.
    expect(plan.items.every((i) => i.ready)).toBe(true);
    expect((await get('LASER-01', '?rule=EDD')).items.map((i) => i.jobNumber)).toEqual(['J-D2', 'J-D3', 'J-D1']);
    // p = 20 + 6 x qty / 0.85 (default efficiency): D2 qty 1, D1 qty 4, D3 qty 10.
    const spt = await get('LASER-01', '?rule=SPT');
    expect(spt.items.map((i) => i.jobNumber)).toEqual(['J-D2', 'J-D1', 'J-D3']);
    expect(spt.items[0]!.processingMinutes).toBeCloseTo(20 + 6 / 0.85, 2);
    // R = the job's open standard minutes: D2 = (20+6) + (0+3) + (15+4) + (10+25).
    expect(spt.items[0]!.remainingJobMinutes).toBe(83);
    // Highest weight and shortest time: ATC puts the rush job first.
    expect((await get('LASER-01', '?rule=ATC')).items[0]!.jobNumber).toBe('J-D2');
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/v1/work-centers/LASER-01/queue?rule=LIFO',
      headers: bearer(t.tokens.operator),
    });
    expect(bad.statusCode).toBe(400);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/work-centers/NOPE/queue',
          headers: bearer(t.tokens.operator),
        })
      ).statusCode,
    ).toBe(404);
  });

  it('a step whose predecessor is not complete waits, and says on what', async () => {
    let brake = await get('BRAKE-01', '?rule=EDD');
    const form = brake.items.find((i) => i.jobNumber === 'J-D1')!;
    expect(form.ready).toBe(false);
    expect(form.waitingOn).toMatchObject([{ sequence: 10, workCenterId: 'LASER-01' }]);
    // Nothing is ready: under a rule, waiting work keeps plan order.
    expect(brake.items.map((i) => [i.jobNumber, i.ready])).toEqual([
      ['J-D3', false],
      ['J-D1', false],
    ]);
    await setStatus('d1-10', 'complete');
    brake = await get('BRAKE-01', '?rule=EDD');
    // Ready work comes before waiting work, even planned later.
    expect(brake.items.map((i) => [i.jobNumber, i.ready])).toEqual([
      ['J-D1', true],
      ['J-D3', false],
    ]);
    expect(brake.items[0]!.waitingOn).toEqual([]);
    // The finished laser step leaves the laser queue and the job's remaining work.
    expect((await get('LASER-01')).items.map((i) => i.jobNumber)).toEqual(['J-D2', 'J-D3']);
    await setStatus('d2-10', 'in_progress');
    const laser = await get('LASER-01', '?rule=SPT');
    expect(laser.items[0]).toMatchObject({ jobNumber: 'J-D2', running: true });
    await setStatus('d2-10', 'scheduled');
  });

  it('stores a supervisor override, audits it, honours it until the queue changes, and clears it', async () => {
    const put = (payload: object, role: 'operator' | 'supervisor' = 'supervisor') =>
      t.app.inject({
        method: 'PUT',
        url: '/api/v1/work-centers/LASER-01/queue-order',
        headers: bearer(t.tokens[role]),
        payload,
      });
    expect(
      (await put({ slotIds: [slot['d3-10']], reason: 'customer waiting at the dock' }, 'operator')).statusCode,
    ).toBe(403);
    const dup = await put({ slotIds: [slot['d3-10'], slot['d3-10']], reason: 'x' });
    expect(dup.statusCode).toBe(400);
    expect(dup.json()).toMatchObject({ field: 'slotIds[1]' });
    expect((await put({ slotIds: ['not-a-uuid'], reason: 'x' })).statusCode).toBe(400);
    const elsewhere = await put({ slotIds: [slot['d3-30']], reason: 'x' });
    expect(elsewhere.statusCode).toBe(409);
    expect(elsewhere.json()).toMatchObject({ error: 'not_in_queue', field: 'slotIds[0]' });
    expect((await put({ slotIds: ['00000000-0000-4000-8000-000000000000'], reason: 'x' })).statusCode).toBe(409);

    const ok = await put({ slotIds: [slot['d3-10']], reason: 'customer waiting at the dock' });
    expect(ok.statusCode, ok.body).toBe(200);
    const audit = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'dispatch_queue_order'), eq(auditLog.entityId, 'LASER-01')));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'create',
      actorType: 'user',
      after: { reason: 'customer waiting at the dock' },
    });

    let q = await get('LASER-01');
    expect(q.orderedBy).toBe('override');
    expect(q.items.map((i) => i.jobNumber)).toEqual(['J-D3', 'J-D2']);
    // An explicit rule shows the rule's own order and says an override exists.
    const rule = await get('LASER-01', '?rule=EDD');
    expect(rule).toMatchObject({ orderedBy: 'rule', override: { applied: false, stale: false } });

    // A moved slot (new version) means the order was made for another queue: it lapses.
    const moved = await t.app.inject({
      method: 'POST',
      url: `/api/v1/schedule-slots/${slot['d2-10']}/move`,
      headers: bearer(t.tokens.supervisor),
      payload: { plannedStart: '2026-12-01T13:00:00Z', version: 1 },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    q = await get('LASER-01');
    expect(q).toMatchObject({ orderedBy: 'plan', override: { applied: false, stale: true } });

    const del = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/work-centers/LASER-01/queue-order',
      headers: bearer(t.tokens.supervisor),
    });
    expect(del.json()).toMatchObject({ cleared: true });
    expect((await get('LASER-01')).override).toBeNull();
    const audits = await t.database.db.select().from(auditLog).where(eq(auditLog.entity, 'dispatch_queue_order'));
    expect(audits.map((a) => a.action).sort()).toEqual(['create', 'delete']);
  });

  it('says when the work center is down', async () => {
    await t.database.db.update(workCenters).set({ isActive: false }).where(eq(workCenters.id, 'BRAKE-01'));
    const q = await get('BRAKE-01');
    expect(q.workCenter.down).toBe(true);
    expect(q.message).toMatch(/BRAKE-01 is down/);
    expect(q.items.length).toBe(2);
  });
});
