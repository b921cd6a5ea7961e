import { and, eq, gt, inArray } from 'drizzle-orm';
import { jobRoutings, jobs } from '../jobs/tables.js';
import { scheduleSlots } from '../planning/tables.js';
import type { Db } from '../platform/db.js';
import { loadCalendarExceptions, loadShiftRules } from '../shop/calendar-queries.js';
import { workCenters } from '../shop/tables.js';

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
  const shifts = await loadShiftRules(db);
  // No upper bound: the horizon depends on the bookings, and the table is small.
  const exceptions = await loadCalendarExceptions(db, fromDate);
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
