import { and, gte, lte } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { calendarExceptions, shiftCalendars } from './tables.js';

/** Every shift rule of every work center (a few hundred rows in a large shop). */
export async function loadShiftRules(db: Db) {
  return db
    .select({
      workCenterId: shiftCalendars.workCenterId,
      dayOfWeek: shiftCalendars.dayOfWeek,
      shiftNumber: shiftCalendars.shiftNumber,
      name: shiftCalendars.name,
      startTime: shiftCalendars.startTime,
      endTime: shiftCalendars.endTime,
      isActive: shiftCalendars.isActive,
      breaks: shiftCalendars.breaks,
    })
    .from(shiftCalendars);
}

/** Calendar exceptions from a local date on (YYYY-MM-DD), up to another when given. */
export async function loadCalendarExceptions(db: Db, fromDate: string, toDate?: string) {
  return db
    .select({
      workCenterId: calendarExceptions.workCenterId,
      exceptionDate: calendarExceptions.exceptionDate,
      exceptionType: calendarExceptions.exceptionType,
    })
    .from(calendarExceptions)
    .where(
      and(
        gte(calendarExceptions.exceptionDate, fromDate),
        toDate ? lte(calendarExceptions.exceptionDate, toDate) : undefined,
      ),
    );
}
