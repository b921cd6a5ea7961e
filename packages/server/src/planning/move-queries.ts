import { and, eq, gt, inArray, notInArray } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { jobRoutings, jobs } from '../jobs/tables.js';
import { calendarExceptions, shiftCalendars, workCenters } from '../shop/tables.js';
import { scheduleSlots } from './tables.js';

/** Open slots that end after `fromMs`, with what the rescheduler needs to know about each. */
export async function openSlotsAfter(tx: Db, fromMs: number) {
  return tx
    .select({
      id: scheduleSlots.id,
      routingId: scheduleSlots.routingId,
      workCenterId: scheduleSlots.workCenterId,
      plannedStart: scheduleSlots.plannedStart,
      plannedEnd: scheduleSlots.plannedEnd,
      status: scheduleSlots.status,
      version: scheduleSlots.version,
      jobId: jobRoutings.jobId,
      jobNumber: jobs.jobNumber,
      dueDate: jobs.dueDate,
      operationCode: jobRoutings.operationCode,
      dependencies: jobRoutings.dependencies,
    })
    .from(scheduleSlots)
    .innerJoin(jobRoutings, eq(jobRoutings.id, scheduleSlots.routingId))
    .innerJoin(jobs, eq(jobs.id, jobRoutings.jobId))
    .where(
      and(gt(scheduleSlots.plannedEnd, new Date(fromMs)), notInArray(scheduleSlots.status, ['cancelled', 'complete'])),
    )
    .for('update', { of: scheduleSlots });
}

export async function calendarRows(tx: Db, workCenterIds: string[]) {
  const [shifts, exceptions, centers] = await Promise.all([
    tx.select().from(shiftCalendars).where(inArray(shiftCalendars.workCenterId, workCenterIds)),
    tx.select().from(calendarExceptions),
    tx.select().from(workCenters).where(inArray(workCenters.id, workCenterIds)),
  ]);
  return { shifts, exceptions, centers };
}

export async function routingOf(tx: Db, routingId: string) {
  return (await tx.select().from(jobRoutings).where(eq(jobRoutings.id, routingId)).limit(1))[0];
}
