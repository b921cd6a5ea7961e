import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../notifications/tables.js';
import type { KerfEvent } from '../platform/events.js';
import { sampleJob, seedMiniShop } from '../test/fixtures.js';
import { floorStation, userIdOf } from '../test/floor-station.js';
import { bearer, testApp, type TestApp } from '../test/harness.js';
import { closeForgottenAttendance } from './attendance-close.js';
import { floorAttendance, floorLabor, floorOperations } from './tables.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/**
 * An operator clocks in on the laser's tablet and goes home without clocking out; the check runs
 * overnight with an explicit clock. The laser works one shift a day from an hour ago to two hours
 * from now (UTC, every day), so the shift's end is known to the minute whenever the test runs.
 */
describe('closing a forgotten clock-out at shift end', () => {
  let t: TestApp;
  let operatorId: string;
  let supervisorId: string;
  let operationId: string;
  const now = Math.floor(Date.now() / MIN) * MIN;
  const shiftEnd = now + 2 * HOUR;
  const deps = () => ({ db: t.database.db, events: t.events, timeZone: 'UTC' });
  const opts = (at: number) => ({ now: at, maxHours: 14, graceMinutes: 30 });
  const events: KerfEvent[] = [];
  let seq = 0;
  const device = `tablet-${randomUUID().slice(0, 8)}`;

  const send = async (token: string, type: string, extra: Record<string, unknown> = {}) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/floor/transactions',
      headers: bearer(token),
      payload: {
        transactions: [
          { id: randomUUID(), deviceId: device, seq: ++seq, at: new Date().toISOString(), type, ...extra },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const [r] = (res.json() as { results: Array<{ status: string; message: string }> }).results;
    expect(r!.status, r!.message).toBe('applied');
  };
  const attendanceOf = async (employeeId: string) =>
    (await t.database.db.select().from(floorAttendance).where(eq(floorAttendance.employeeId, employeeId)))[0]!;

  beforeAll(async () => {
    t = await testApp();
    t.events.subscribe((e) => events.push(e));
    await seedMiniShop(t.app, t.tokens.admin);
    const h = bearer(t.tokens.admin);
    for (let day = 0; day < 7; day++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/shift-calendars',
        headers: h,
        payload: {
          name: 'Day',
          workCenterId: 'LASER-01',
          dayOfWeek: day,
          shiftNumber: 1,
          startTime: hhmm(now - HOUR),
          endTime: hhmm(shiftEnd),
        },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const job = await t.app.inject({ method: 'POST', url: '/api/v1/jobs', headers: h, payload: sampleJob('J-AC1') });
    expect(job.statusCode, job.body).toBe(201);
    operationId = (job.json() as { routings: Array<{ id: string; sequence: number }> }).routings.find(
      (r) => r.sequence === 10,
    )!.id;
    operatorId = await userIdOf(t.database.db, 'operator');
    supervisorId = await userIdOf(t.database.db, 'supervisor');
    const stationToken = (
      await floorStation(t.app, t.tokens.admin, {
        workCenterIds: ['LASER-01'],
        userId: operatorId,
        badge: 'B-200',
        pin: '4711',
        signIn: true,
      })
    ).token;
    await send(stationToken, 'clock_in', { employee: 'B-200' });
    await send(stationToken, 'start', { employee: 'B-200', operationId });
    // the supervisor clocks in on a phone: no station, so no shift is known for them
    await send(t.tokens.supervisor, 'clock_in');
  });
  afterAll(async () => t.close());

  it('leaves attendance open during the shift and within the grace time after it', async () => {
    expect(await closeForgottenAttendance(deps(), opts(now + HOUR))).toEqual([]);
    expect(await closeForgottenAttendance(deps(), opts(shiftEnd + 29 * MIN))).toEqual([]);
    expect((await attendanceOf(operatorId)).clockOut).toBeNull();
  });

  it('overnight, closes it at the shift’s end, flagged, labor ended there, supervisors told', async () => {
    const overnight = shiftEnd + 12 * HOUR;
    const closed = await closeForgottenAttendance(deps(), opts(overnight));
    expect(closed.map((c) => [c.employeeId, c.clockOut.getTime(), c.basis, c.laborEnded])).toEqual([
      [operatorId, shiftEnd, 'shift', 1],
    ]);
    const a = await attendanceOf(operatorId);
    expect([a.clockOut?.getTime(), a.autoClosed]).toEqual([shiftEnd, true]);
    const labor = await t.database.db.select().from(floorLabor).where(eq(floorLabor.employeeId, operatorId));
    expect(labor.map((l) => l.endedAt?.getTime())).toEqual([shiftEnd]);
    const op = (
      await t.database.db.select().from(floorOperations).where(eq(floorOperations.routingId, operationId))
    )[0]!;
    expect([op.status, op.pauseReason]).toEqual(['paused', 'SHIFT_END']);
    const notes = await t.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.kind, 'attendance.auto-closed'));
    expect(notes.map((n) => n.recipientRole).sort()).toEqual(['production_manager', 'supervisor']);
    expect(notes[0]!.title).toBe('Clock-out missing: operator');
    await t.outbox.drain();
    expect(
      events.some((e) => e.type === 'floor.attendance-changed' && e.employeeId === operatorId && !e.clockedIn),
    ).toBe(true);
    // the supervisor, with no shift known, is still inside the 14 h maximum (plus grace)
    expect((await attendanceOf(supervisorId)).clockOut).toBeNull();
    // a second pass closes nothing again
    expect(await closeForgottenAttendance(deps(), opts(overnight))).toEqual([]);
  });

  it('without a known shift, closes at the maximum length after the clock-in', async () => {
    const clockIn = (await attendanceOf(supervisorId)).clockIn.getTime();
    const closed = await closeForgottenAttendance(deps(), opts(clockIn + 15 * HOUR));
    expect(closed.map((c) => [c.employeeId, c.clockOut.getTime(), c.basis])).toEqual([
      [supervisorId, clockIn + 14 * HOUR, 'maximum'],
    ]);
    expect((await attendanceOf(supervisorId)).autoClosed).toBe(true);
  });

  it('a clock-out arriving after the auto-close answers conflict and changes nothing', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/floor/transactions',
      headers: bearer(t.tokens.supervisor),
      payload: {
        transactions: [
          { id: randomUUID(), deviceId: device, seq: ++seq, at: new Date().toISOString(), type: 'clock_out' },
        ],
      },
    });
    expect((res.json() as { results: Array<{ status: string }> }).results[0]!.status).toBe('conflict');
    expect((await attendanceOf(supervisorId)).clockOut?.getTime()).toBe(
      (await attendanceOf(supervisorId)).clockIn.getTime() + 14 * HOUR,
    );
  });
});
