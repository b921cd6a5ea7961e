import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { jobRoutings, jobs } from '../jobs/tables.js';
import { loadCalendarExceptions, loadShiftRules } from '../shop/calendar-queries.js';
import { laserReleaseTimes } from '../nesting/nests-service.js';
import { workCenters } from '../shop/tables.js';
import type { PlanningSnapshot } from './problem-builder.js';
import { scheduleSlots } from './tables.js';

export const OPEN_JOB_STATUSES = ['planned', 'released', 'in_progress'];

/** Reads everything the planner needs in one consistent snapshot (call inside a transaction). */
export async function loadPlanningSnapshot(db: Db, fromDate: string, toDate: string): Promise<PlanningSnapshot> {
  const centers = await db
    .select({
      id: workCenters.id,
      machineType: workCenters.machineType,
      efficiencyFactor: workCenters.efficiencyFactor,
      setupCategory: workCenters.setupCategory,
    })
    .from(workCenters)
    .where(eq(workCenters.isActive, true))
    .orderBy(workCenters.id);
  const shifts = await loadShiftRules(db);
  const exceptions = await loadCalendarExceptions(db, fromDate, toDate);
  const openJobs = await db
    .select({ id: jobs.id, jobNumber: jobs.jobNumber, dueDate: jobs.dueDate, priority: jobs.priority })
    .from(jobs)
    .where(inArray(jobs.status, OPEN_JOB_STATUSES))
    .orderBy(jobs.dueDate, jobs.jobNumber);
  const jobIds = openJobs.map((j) => j.id);
  const routings = jobIds.length
    ? await db
        .select({
          id: jobRoutings.id,
          jobId: jobRoutings.jobId,
          sequence: jobRoutings.sequence,
          workCenterType: jobRoutings.workCenterType,
          setupMinutes: jobRoutings.setupMinutes,
          runMinutesPerUnit: jobRoutings.runMinutesPerUnit,
          quantity: jobRoutings.quantity,
          setupCategory: jobRoutings.setupCategory,
          dependencies: jobRoutings.dependencies,
        })
        .from(jobRoutings)
        .where(inArray(jobRoutings.jobId, jobIds))
        .orderBy(jobRoutings.jobId, jobRoutings.sequence)
    : [];
  const slots = jobIds.length
    ? await db
        .select({
          routingId: scheduleSlots.routingId,
          workCenterId: scheduleSlots.workCenterId,
          plannedStart: scheduleSlots.plannedStart,
          plannedEnd: scheduleSlots.plannedEnd,
          status: scheduleSlots.status,
        })
        .from(scheduleSlots)
        .innerJoin(jobRoutings, eq(jobRoutings.id, scheduleSlots.routingId))
        .where(and(inArray(jobRoutings.jobId, jobIds), ne(scheduleSlots.status, 'cancelled')))
    : [];
  // A job's work is schedulable once the nesting software has posted its nests (nothing to wait for without nests).
  const released = await laserReleaseTimes(db);
  const jobsWithRelease = openJobs.map((j) => ({ ...j, releaseAt: released.get(j.id)?.readyAt ?? null }));
  return { workCenters: centers, shifts, exceptions, jobs: jobsWithRelease, routings, slots };
}
