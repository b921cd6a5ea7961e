import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, users } from '../auth/tables.js';
import { scheduleSlots } from '../planning/tables.js';
import type { KerfEvent } from '../platform/events.js';
import { sampleJob, seedMiniShop } from '../test/fixtures.js';
import { bearer, testApp, type TestApp } from '../test/harness.js';

const MIN = 60_000;

/**
 * The floor's reports re-time the rest of the job (ADR 0026) and its good counts become the
 * job's completed quantity. The shop here has no shifts (always open), so every expected time
 * is plain minute arithmetic from B, a whole minute eight hours ago.
 */
describe('floor feedback to the schedule', () => {
  let t: TestApp;
  let operatorId: string;
  const B = Math.floor(Date.now() / MIN) * MIN - 8 * 60 * MIN;
  const at = (m: number) => new Date(B + m * MIN).toISOString();
  const op: Record<number, string> = {};
  const slot: Record<string, string> = {};
  let jobId: string;
  let seq = 0;
  const device = `tablet-${randomUUID().slice(0, 8)}`;
  const events: KerfEvent[] = [];

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
    expect(res.statusCode, res.body).toBe(200);
    const [r] = (res.json() as { results: Array<{ status: string; message: string }> }).results;
    expect(r!.status, r!.message).toBe('applied');
  };
  /** planned [start, end] of a slot in minutes from B */
  const planned = async (id: string) => {
    const row = (await t.database.db.select().from(scheduleSlots).where(eq(scheduleSlots.id, id)))[0]!;
    return [(row.plannedStart.getTime() - B) / MIN, (row.plannedEnd.getTime() - B) / MIN];
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
  const createJob = async (jobNumber: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: bearer(t.tokens.admin),
      payload: sampleJob(jobNumber),
    });
    expect(res.statusCode, res.body).toBe(201);
    const job = res.json() as { id: string; routings: Array<{ id: string; sequence: number }> };
    return {
      id: job.id,
      steps: Object.fromEntries(job.routings.map((r) => [r.sequence, r.id])) as Record<number, string>,
    };
  };
  const completed = async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/jobs/${jobId}`, headers: bearer(t.tokens.operator) });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { quantityCompleted: number }).quantityCompleted;
  };

  beforeAll(async () => {
    t = await testApp();
    t.events.subscribe((e) => events.push(e));
    await seedMiniShop(t.app, t.tokens.admin);
    const j1 = await createJob('J-FB1');
    jobId = j1.id;
    Object.assign(op, j1.steps);
    const j2 = await createJob('J-FB2');
    slot.cut = await createSlot(op[10]!, 'LASER-01', 0, 60);
    slot.form = await createSlot(op[30]!, 'BRAKE-01', 60, 120);
    slot.weld = await createSlot(op[40]!, 'WELD-01', 120, 180);
    // the legs are cut later on the laser (a step counts as done for its successors once its slot is)
    slot.legs = await createSlot(op[20]!, 'LASER-01', 210, 220);
    // another job's forming, booked on the brake after this job's
    slot.other = await createSlot(j2.steps[30]!, 'BRAKE-01', 170, 230);
    operatorId = (await t.database.db.select().from(users).where(eq(users.username, 'operator')))[0]!.id;
  });
  afterAll(async () => t.close());

  it('a late start pushes the later steps and the center’s later work past its expected end', async () => {
    await send('start', op[10]!, 90); // 90 minutes late; planned to take 60 -> expected end 150
    expect(await planned(slot.cut!)).toEqual([0, 60]); // its own planned times stay: actual against plan
    expect(await planned(slot.form!)).toEqual([150, 210]);
    expect(await planned(slot.other!)).toEqual([210, 270]); // pushed off the brake by the forming
    expect(await planned(slot.weld!)).toEqual([210, 270]);
    const cut = (await t.database.db.select().from(scheduleSlots).where(eq(scheduleSlots.id, slot.cut!)))[0]!;
    // the actual start is the tablet's time moved by its clock offset: the same minute
    expect([cut.status, Math.round((cut.actualStart!.getTime() - B) / MIN)]).toEqual(['in_progress', 90]);
  });

  it('a late finish pushes them again from the actual end; audited as the sender, announced as slot.changed', async () => {
    await send('finish', op[10]!, 200, { good: 4 });
    expect(await planned(slot.form!)).toEqual([200, 260]);
    expect(await planned(slot.other!)).toEqual([260, 320]);
    expect(await planned(slot.weld!)).toEqual([260, 320]);
    const audits = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'schedule_slot'), eq(auditLog.entityId, slot.weld!), eq(auditLog.action, 'move')));
    expect(audits.map((a) => [a.actorType, a.actorId])).toEqual([
      ['user', operatorId],
      ['user', operatorId],
    ]);
    await t.outbox.drain();
    const retimed = events
      .filter((e) => e.type === 'slot.changed' && e.action === 'retime')
      .map((e) => e.type === 'slot.changed' && e.slotId);
    expect(new Set(retimed)).toEqual(new Set([slot.form, slot.other, slot.weld]));
    // the conflict watch re-checked on those events: the ripple left no precedence conflict
    await t.conflictWatch.settled();
    const conflicts = await t.app.inject({
      method: 'GET',
      url: '/api/v1/conflicts',
      headers: bearer(t.tokens.supervisor),
    });
    expect(conflicts.statusCode, conflicts.body).toBe(200);
    const kinds = (conflicts.json() as { items: Array<{ kind: string; slotIds: string[] }> }).items
      .filter((c) => c.slotIds.some((id) => Object.values(slot).includes(id)))
      .map((c) => c.kind);
    expect(kinds).not.toContain('precedence');
    expect(kinds).not.toContain('overlap');
  });

  it('an early finish moves nothing earlier (work only moves later)', async () => {
    await send('start', op[30]!, 200);
    await send('finish', op[30]!, 210, { good: 4 }); // planned until 260
    expect(await planned(slot.weld!)).toEqual([260, 320]);
  });

  it('the job’s completed quantity follows the good count of its last step only', async () => {
    expect(await completed()).toBe(0); // CUT and FORM finished 4 each: not last steps
    await send('start', op[20]!, 215);
    await send('finish', op[20]!, 220, { good: 4 });
    await send('start', op[40]!, 262);
    expect(await completed()).toBe(0);
    await send('count', op[40]!, 280, { good: 2 });
    expect(await completed()).toBe(2);
    await send('finish', op[40]!, 300, { good: 1, scrap: 1, reason: 'SCRAP_WELD' });
    expect(await completed()).toBe(3);
    const audits = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'job'), eq(auditLog.entityId, jobId)));
    expect(audits.filter((a) => a.action === 'update').map((a) => a.after)).toEqual([
      { quantityCompleted: 2 },
      { quantityCompleted: 3 },
    ]);
  });
});
