import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { jobsInStatuses, stepsOfJobs } from '../jobs/queries.js';
import { routingStep } from '../jobs/routing-job-view.js';
import { loadCalendarExceptions, loadShiftRules } from '../shop/calendar-queries.js';
import { laserReleaseTimes } from '../nesting/nests-service.js';
import { allWorkCenters } from '../shop/queries.js';
import type { PlanningSnapshot } from './problem-builder.js';
import { scheduleSlots } from './tables.js';

export const OPEN_JOB_STATUSES = ['planned', 'released', 'in_progress'];

/** Reads everything the planner needs in one consistent snapshot (call inside a transaction). */
export async function loadPlanningSnapshot(db: Db, fromDate: string, toDate: string): Promise<PlanningSnapshot> {
  const centers = (await allWorkCenters(db))
    .filter((c) => c.isActive)
    .map((c) => ({
      id: c.id,
      machineType: c.machineType,
      efficiencyFactor: c.efficiencyFactor,
      setupCategory: c.setupCategory,
    }));
  const shifts = await loadShiftRules(db);
  const exceptions = await loadCalendarExceptions(db, fromDate, toDate);
  const openJobs = await jobsInStatuses(db, OPEN_JOB_STATUSES);
  const jobIds = openJobs.map((j) => j.id);
  const routings = await stepsOfJobs(db, jobIds);
  const slots = jobIds.length
    ? await db
        .select({
          routingId: scheduleSlots.routingId,
          workCenterId: scheduleSlots.workCenterId,
          plannedStart: scheduleSlots.plannedStart,
          plannedEnd: scheduleSlots.plannedEnd,
          status: scheduleSlots.status,
          actualStart: scheduleSlots.actualStart,
        })
        .from(scheduleSlots)
        .innerJoin(routingStep, eq(routingStep.routingId, scheduleSlots.routingId))
        .where(and(inArray(routingStep.jobId, jobIds), ne(scheduleSlots.status, 'cancelled')))
    : [];
  // A job's work is schedulable once the nesting software has posted its nests (nothing to wait for without nests).
  const released = await laserReleaseTimes(db);
  const jobsWithRelease = openJobs.map((j) => ({ ...j, releaseAt: released.get(j.id)?.readyAt ?? null }));
  return { workCenters: centers, shifts, exceptions, jobs: jobsWithRelease, routings, slots };
}
