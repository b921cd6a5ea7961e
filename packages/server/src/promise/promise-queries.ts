import { readScheduleSlots } from '../planning/schedule-reads.js';
import type { Db } from '../platform/db.js';
import { loadCalendarExceptions, loadShiftRules } from '../shop/calendar-queries.js';
import { allWorkCenters } from '../shop/queries.js';

/** What capable-to-promise reads: the floor, its calendars and the booked slots from now on. */
export async function loadPromiseSnapshot(db: Db, now: Date, fromDate: string) {
  const centers = (await allWorkCenters(db)).map((c) => ({
    id: c.id,
    machineType: c.machineType,
    efficiencyFactor: c.efficiencyFactor,
    isActive: c.isActive,
  }));
  const shifts = await loadShiftRules(db);
  // No upper bound: the horizon depends on the bookings, and the table is small.
  const exceptions = await loadCalendarExceptions(db, fromDate);
  // Open slots hold capacity; an overrunning in-progress one (planned end passed) still holds its center.
  const bookings = await readScheduleSlots(
    db,
    { statusClass: 'open', from: new Date(now.getTime() - 7 * 86_400_000) },
    ['workCenterId', 'plannedStart', 'plannedEnd', 'status', 'jobNumber', 'priority'],
  );
  return { centers, shifts, exceptions, bookings };
}

export type PromiseSnapshot = Awaited<ReturnType<typeof loadPromiseSnapshot>>;
