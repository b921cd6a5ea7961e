import { and, asc, eq, gte, lte, notInArray } from 'drizzle-orm';
import { jobRoutings, jobs } from '../jobs/tables.js';
import { scheduleSlots } from '../planning/tables.js';
import type { Db } from '../platform/db.js';
import { calendarExceptions, departments, shiftCalendars, workCenters } from '../shop/tables.js';
import { CLOSED_SLOT_STATUSES, DAY, type AnalysisJob, type AnalysisSnapshot, type AnalysisSlot } from './model.js';

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Reads the current schedule (active slots with their job and routing step), the shop floor and
 * its calendars in one consistent snapshot. The calendar span covers every active slot and the
 * requested window, so no rule has to guess about time it was not given.
 */
export async function loadAnalysisSnapshot(
  db: Db,
  timeZone: string,
  window: { from?: number; to?: number } = {},
): Promise<AnalysisSnapshot> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({
        id: scheduleSlots.id,
        routingId: scheduleSlots.routingId,
        workCenterId: scheduleSlots.workCenterId,
        plannedStart: scheduleSlots.plannedStart,
        plannedEnd: scheduleSlots.plannedEnd,
        status: scheduleSlots.status,
        jobId: jobRoutings.jobId,
        sequence: jobRoutings.sequence,
        operationCode: jobRoutings.operationCode,
        dependencies: jobRoutings.dependencies,
        jobNumber: jobs.jobNumber,
        dueDate: jobs.dueDate,
        priority: jobs.priority,
        jobStatus: jobs.status,
      })
      .from(scheduleSlots)
      .innerJoin(jobRoutings, eq(jobRoutings.id, scheduleSlots.routingId))
      .innerJoin(jobs, eq(jobs.id, jobRoutings.jobId))
      .where(notInArray(scheduleSlots.status, CLOSED_SLOT_STATUSES))
      .orderBy(asc(scheduleSlots.workCenterId), asc(scheduleSlots.plannedStart), asc(scheduleSlots.id));
    const slots: AnalysisSlot[] = [];
    const jobMap = new Map<string, AnalysisJob>();
    for (const r of rows) {
      slots.push({
        id: r.id,
        routingId: r.routingId,
        workCenterId: r.workCenterId,
        start: r.plannedStart.getTime(),
        end: r.plannedEnd.getTime(),
        status: r.status,
        jobId: r.jobId,
        jobNumber: r.jobNumber,
        sequence: r.sequence,
        operationCode: r.operationCode,
        dependencies: r.dependencies,
      });
      if (!jobMap.has(r.jobId)) {
        jobMap.set(r.jobId, {
          id: r.jobId,
          jobNumber: r.jobNumber,
          dueDate: r.dueDate.getTime(),
          priority: r.priority,
          status: r.jobStatus,
        });
      }
    }
    const now = Date.now();
    let spanFrom = window.from ?? now;
    let spanTo = window.to ?? now;
    for (const s of slots) {
      if (s.start < spanFrom) spanFrom = s.start;
      if (s.end > spanTo) spanTo = s.end;
    }
    // Shifts belong to the local day they start on: a day of margin before covers any offset;
    // a week after lets "the next shift starts ..." look past a weekend or a holiday.
    spanFrom -= DAY;
    spanTo += 8 * DAY;

    const centerRows = await tx.select().from(workCenters).orderBy(asc(workCenters.id));
    const departmentRows = await tx.select({ id: departments.id, name: departments.name }).from(departments);
    const shifts = await tx
      .select({
        workCenterId: shiftCalendars.workCenterId,
        name: shiftCalendars.name,
        dayOfWeek: shiftCalendars.dayOfWeek,
        shiftNumber: shiftCalendars.shiftNumber,
        startTime: shiftCalendars.startTime,
        endTime: shiftCalendars.endTime,
        isActive: shiftCalendars.isActive,
      })
      .from(shiftCalendars)
      .orderBy(asc(shiftCalendars.workCenterId), asc(shiftCalendars.dayOfWeek), asc(shiftCalendars.shiftNumber));
    const exceptions = await tx
      .select({
        workCenterId: calendarExceptions.workCenterId,
        exceptionDate: calendarExceptions.exceptionDate,
        exceptionType: calendarExceptions.exceptionType,
      })
      .from(calendarExceptions)
      .where(
        and(
          gte(calendarExceptions.exceptionDate, isoDay(spanFrom - DAY)),
          lte(calendarExceptions.exceptionDate, isoDay(spanTo + DAY)),
        ),
      );
    return {
      slots,
      jobs: jobMap,
      centers: new Map(
        centerRows.map((c) => [
          c.id,
          {
            id: c.id,
            name: c.name,
            departmentId: c.departmentId,
            machineType: c.machineType,
            capacityMinutesPerShift: c.capacityMinutesPerShift,
            isActive: c.isActive,
            isBottleneck: c.isBottleneck,
          },
        ]),
      ),
      departments: new Map(departmentRows.map((d) => [d.id, d.name])),
      shifts,
      exceptions,
      spanFrom,
      spanTo,
      timeZone,
    };
  });
}
