import { and, eq, gt, gte, inArray } from 'drizzle-orm';
import { jobRoutings, jobs } from '../jobs/tables.js';
import { scheduleSlots } from '../planning/tables.js';
import type { Db } from '../platform/db.js';
import { calendarExceptions, shiftCalendars, workCenters } from '../shop/tables.js';

/** Slots that hold capacity: everything booked and not finished or cancelled. */
const OCCUPYING = ['scheduled', 'queued', 'delayed', 'in_progress'];

/** What capable-to-promise reads: the floor, its calendars and the booked slots from now on. */
export async function loadPromiseSnapshot(db: Db, now: Date, fromDate: string) {
  const centers = await db
    .select({
      id: workCenters.id,
      machineType: workCenters.machineType,
      efficiencyFactor: workCenters.efficiencyFactor,
      isActive: workCenters.isActive,
    })
    .from(workCenters)
    .orderBy(workCenters.id);
  const shifts = await db
    .select({
      workCenterId: shiftCalendars.workCenterId,
      dayOfWeek: shiftCalendars.dayOfWeek,
      startTime: shiftCalendars.startTime,
      endTime: shiftCalendars.endTime,
      isActive: shiftCalendars.isActive,
    })
    .from(shiftCalendars);
  const exceptions = await db
    .select({
      workCenterId: calendarExceptions.workCenterId,
      exceptionDate: calendarExceptions.exceptionDate,
      exceptionType: calendarExceptions.exceptionType,
    })
    .from(calendarExceptions)
    // No upper bound: the horizon depends on the bookings, and the table is small.
    .where(gte(calendarExceptions.exceptionDate, fromDate));
  const bookings = await db
    .select({
      workCenterId: scheduleSlots.workCenterId,
      plannedStart: scheduleSlots.plannedStart,
      plannedEnd: scheduleSlots.plannedEnd,
      status: scheduleSlots.status,
      jobNumber: jobs.jobNumber,
      priority: jobs.priority,
    })
    .from(scheduleSlots)
    .innerJoin(jobRoutings, eq(jobRoutings.id, scheduleSlots.routingId))
    .innerJoin(jobs, eq(jobs.id, jobRoutings.jobId))
    // An overrunning in-progress slot (planned end passed) still holds its center.
    .where(
      and(
        inArray(scheduleSlots.status, OCCUPYING),
        gt(scheduleSlots.plannedEnd, new Date(now.getTime() - 7 * 86_400_000)),
      ),
    );
  return { centers, shifts, exceptions, bookings };
}

export type PromiseSnapshot = Awaited<ReturnType<typeof loadPromiseSnapshot>>;
