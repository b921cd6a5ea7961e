import { readScheduleSlots } from '../planning/schedule-reads.js';
import type { Db } from '../platform/db.js';
import { loadCalendarExceptions } from '../shop/calendar-queries.js';
import { allWorkCenters, departmentNames, namedShiftRules } from '../shop/queries.js';
import { DAY, type AnalysisJob, type AnalysisSnapshot, type AnalysisSlot } from './model.js';

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Reads the current schedule (open slots with their job and routing step), the shop floor and
 * its calendars in one consistent snapshot. The calendar span covers every active slot and the
 * requested window, so no rule has to guess about time it was not given.
 */
export async function loadAnalysisSnapshot(
  db: Db,
  timeZone: string,
  window: { from?: number; to?: number } = {},
): Promise<AnalysisSnapshot> {
  return db.transaction(async (tx) => {
    const rows = await readScheduleSlots(tx, { statusClass: 'open' });
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

    const centerRows = await allWorkCenters(tx);
    const departments = await departmentNames(tx);
    const shifts = await namedShiftRules(tx);
    const exceptions = await loadCalendarExceptions(tx, isoDay(spanFrom - DAY), isoDay(spanTo + DAY));
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
      departments,
      shifts,
      exceptions,
      spanFrom,
      spanTo,
      timeZone,
    };
  });
}
