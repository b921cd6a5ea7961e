import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.js';
import { recordAudit } from '../auth/audit.js';
import { lastStationSignedInOn, resolveEmployee } from '../auth/station-sign-in.js';
import { stationById } from '../auth/stations.js';
import { notifyRoles } from '../notifications/service.js';
import type { Database, Db } from '../platform/db.js';
import type { EventBus } from '../platform/events.js';
import { claimPeriod } from '../platform/periodic.js';
import { CalendarService } from '../shop/calendar-service.js';
import './events.js';
import { floorAttendance, floorLabor, floorOperations } from './tables.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

export interface AttendanceCloseDeps {
  db: Db;
  events: EventBus;
  timeZone: string;
}

export interface AttendanceCloseOptions {
  /** the instant the check runs at (tests pass their own clock) */
  now: number;
  /** an attendance is never left open longer than this; also the end when no shift is known */
  maxHours: number;
  /** a shift's end must be this far past before its forgotten clock-out is closed */
  graceMinutes: number;
}

export interface ClosedAttendance {
  attendanceId: string;
  employeeId: string;
  clockIn: Date;
  clockOut: Date;
  /** where the end came from: the shift of the station's work centers, or the maximum */
  basis: 'shift' | 'maximum';
  laborEnded: number;
}

// Who reviews an auto-closed attendance: the people who run the floor.
const REVIEWERS = ['supervisor', 'production_manager'] as const;
const AUTO_CLOSE_ACTOR: Actor = { ...SYSTEM_ACTOR, name: 'attendance-close' };

/**
 * When a forgotten clock-out ends: the end of the shift the person clocked in for, on the work
 * centers of the station they last signed in on (the latest end among those centers' first shifts
 * ending after the clock-in), but never later than `maxHours` after the clock-in; without a known
 * shift, clock-in + `maxHours`.
 */
export async function attendanceEnd(
  db: Db,
  calendar: CalendarService,
  employeeId: string,
  clockIn: Date,
  now: number,
  maxHours: number,
): Promise<{ at: Date; basis: 'shift' | 'maximum' }> {
  const cap = clockIn.getTime() + maxHours * HOUR;
  const stationId = await lastStationSignedInOn(db, employeeId, new Date(now));
  const centers = stationId ? ((await stationById(db, stationId))?.workCenterIds ?? []) : [];
  if (centers.length > 0) {
    const cal = await calendar.calendar();
    let end = -Infinity;
    for (const wc of centers) {
      if (!cal.hasShifts(wc)) continue;
      const next = cal
        .occurrences(wc, clockIn.getTime() - 24 * HOUR, cap)
        .filter((o) => o.end > clockIn.getTime())
        .sort((a, b) => a.end - b.end)[0];
      if (next) end = Math.max(end, next.end);
    }
    if (Number.isFinite(end) && end <= cap) return { at: new Date(end), basis: 'shift' };
  }
  return { at: new Date(cap), basis: 'maximum' };
}

/**
 * Closes attendance still open after the end of the person's shift (plus the grace time): clock
 * out at that end, flagged auto_closed, their open labor segments ended at the same instant (an
 * operation nobody is left on is paused with SHIFT_END, as a clock-out would), audited as the
 * system, `floor.attendance-changed` recorded, and supervisors notified to review it. Each
 * attendance is its own transaction, under the same per-person lock a clock-in or clock-out
 * takes, so a clock-out arriving meanwhile wins and nothing is closed twice.
 */
export async function closeForgottenAttendance(
  deps: AttendanceCloseDeps,
  options: AttendanceCloseOptions,
): Promise<ClosedAttendance[]> {
  const calendar = new CalendarService(deps.db, deps.timeZone);
  const open = await deps.db
    .select()
    .from(floorAttendance)
    .where(
      and(
        isNull(floorAttendance.clockOut),
        sql`${floorAttendance.clockIn} < ${new Date(options.now).toISOString()}::timestamptz`,
      ),
    );
  const closed: ClosedAttendance[] = [];
  for (const a of open) {
    const end = await attendanceEnd(deps.db, calendar, a.employeeId, a.clockIn, options.now, options.maxHours);
    if (options.now < end.at.getTime() + options.graceMinutes * MINUTE) continue;
    const done = await deps.db.transaction((tx) => closeOne(tx, deps.events, a.id, a.employeeId, end));
    if (done) closed.push(done);
  }
  return closed;
}

async function closeOne(
  tx: Db,
  events: EventBus,
  attendanceId: string,
  employeeId: string,
  end: { at: Date; basis: 'shift' | 'maximum' },
): Promise<ClosedAttendance | null> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`attendance:${employeeId}`}))`);
  const before = (
    await tx
      .select()
      .from(floorAttendance)
      .where(and(eq(floorAttendance.id, attendanceId), isNull(floorAttendance.clockOut)))
  )[0];
  if (!before) return null; // clocked out meanwhile
  const clockOut = new Date(Math.max(end.at.getTime(), before.clockIn.getTime()));
  const after = (
    await tx
      .update(floorAttendance)
      .set({ clockOut, autoClosed: true })
      .where(eq(floorAttendance.id, attendanceId))
      .returning()
  )[0]!;
  const ended = await tx
    .update(floorLabor)
    .set({ endedAt: sql`greatest(${floorLabor.startedAt}, ${clockOut.toISOString()}::timestamptz)` })
    .where(and(eq(floorLabor.employeeId, employeeId), isNull(floorLabor.endedAt)))
    .returning({ routingId: floorLabor.routingId });
  const touched = [...new Set(ended.map((l) => l.routingId))];
  const stillWorked = touched.length
    ? new Set(
        (
          await tx
            .select({ routingId: floorLabor.routingId })
            .from(floorLabor)
            .where(and(inArray(floorLabor.routingId, touched), isNull(floorLabor.endedAt)))
        ).map((r) => r.routingId),
      )
    : new Set<string>();
  const left = touched.filter((r) => !stillWorked.has(r));
  if (left.length) {
    const paused = await tx
      .update(floorOperations)
      .set({ status: 'paused', pauseReason: 'SHIFT_END', updatedAt: new Date() })
      .where(and(inArray(floorOperations.routingId, left), eq(floorOperations.status, 'running')))
      .returning({ routingId: floorOperations.routingId });
    for (const p of paused) {
      await events.record(tx, {
        type: 'floor.operation-changed',
        operationId: p.routingId,
        status: 'paused',
        action: 'pause',
        employeeId,
      });
    }
  }
  await recordAudit(tx, AUTO_CLOSE_ACTOR, 'update', 'floor_attendance', attendanceId, before, {
    ...after,
    basis: end.basis,
    laborEnded: ended.length,
  });
  await events.record(tx, { type: 'floor.attendance-changed', employeeId, clockedIn: false });
  const name = (await resolveEmployee(tx, employeeId))?.name ?? employeeId;
  const notices = await notifyRoles(tx, REVIEWERS, {
    kind: 'attendance.auto-closed',
    title: `Clock-out missing: ${name}`,
    body: `${name} clocked in at ${before.clockIn.toISOString()} and did not clock out; closed at ${clockOut.toISOString()} (${end.basis === 'shift' ? 'end of shift' : 'maximum attendance length'})${ended.length ? `, ending ${ended.length} labor record(s)` : ''}. Please review.`,
    link: `/floor/attendance/${attendanceId}`,
  });
  for (const notification of notices) await events.record(tx, { type: 'notification.created', notification });
  return {
    attendanceId,
    employeeId,
    clockIn: before.clockIn,
    clockOut,
    basis: end.basis,
    laborEnded: ended.length,
  };
}

export interface AttendanceCloseTimer {
  stop: () => void;
}

/**
 * Runs the check every `everyMinutes`; with several instances one claims each period
 * (periodic_claims), so one process closes and notifies. Timers never keep the process alive.
 */
export function scheduleAttendanceClose(
  database: Database,
  deps: AttendanceCloseDeps,
  config: { attendanceMaxHours: number; attendanceGraceMinutes: number },
  log: (msg: string) => void,
  everyMinutes = 5,
): AttendanceCloseTimer {
  const timer = setInterval(() => {
    const now = Date.now();
    const period = new Date(Math.floor(now / (everyMinutes * MINUTE)) * everyMinutes * MINUTE).toISOString();
    claimPeriod(database, 'attendance-close', period)
      .then((mine) =>
        mine
          ? closeForgottenAttendance(deps, {
              now,
              maxHours: config.attendanceMaxHours,
              graceMinutes: config.attendanceGraceMinutes,
            })
          : [],
      )
      .then((closed) => {
        if (closed.length) log(`kerf: closed ${closed.length} forgotten clock-out(s) at shift end`);
      })
      .catch((err: unknown) =>
        log(`kerf: closing forgotten clock-outs failed: ${err instanceof Error ? err.message : String(err)}`),
      );
  }, everyMinutes * MINUTE);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
