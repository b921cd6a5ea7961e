import { and, eq, inArray, ne } from 'drizzle-orm';
import { customers, jobRoutings, jobs } from '../jobs/tables.js';
import { scheduleSlots } from '../planning/tables.js';
import type { Db } from '../platform/db.js';
import { workCenters } from '../shop/tables.js';
import { dispatchQueueOrders } from './tables.js';

/** Slot statuses that make up a work center's queue (in_progress is the running one). */
export const QUEUE_STATUSES = ['scheduled', 'queued', 'delayed', 'in_progress'];

export async function workCenterRow(db: Db, id: string) {
  const rows = await db
    .select({
      id: workCenters.id,
      name: workCenters.name,
      isActive: workCenters.isActive,
      efficiencyFactor: workCenters.efficiencyFactor,
    })
    .from(workCenters)
    .where(eq(workCenters.id, id))
    .limit(1);
  return rows[0];
}

/** Every open slot on the work center with its step, job and customer. */
export async function queueSlots(db: Db, workCenterId: string) {
  return db
    .select({
      slotId: scheduleSlots.id,
      version: scheduleSlots.version,
      status: scheduleSlots.status,
      plannedStart: scheduleSlots.plannedStart,
      plannedEnd: scheduleSlots.plannedEnd,
      actualStart: scheduleSlots.actualStart,
      createdAt: scheduleSlots.createdAt,
      routingId: jobRoutings.id,
      sequence: jobRoutings.sequence,
      operationCode: jobRoutings.operationCode,
      setupMinutes: jobRoutings.setupMinutes,
      runMinutesPerUnit: jobRoutings.runMinutesPerUnit,
      quantity: jobRoutings.quantity,
      dependencies: jobRoutings.dependencies,
      jobId: jobs.id,
      jobNumber: jobs.jobNumber,
      dueDate: jobs.dueDate,
      priority: jobs.priority,
      customer: customers.name,
    })
    .from(scheduleSlots)
    .innerJoin(jobRoutings, eq(jobRoutings.id, scheduleSlots.routingId))
    .innerJoin(jobs, eq(jobs.id, jobRoutings.jobId))
    .leftJoin(customers, eq(customers.id, jobs.customerId))
    .where(and(eq(scheduleSlots.workCenterId, workCenterId), inArray(scheduleSlots.status, QUEUE_STATUSES)));
}

export type QueueSlotRow = Awaited<ReturnType<typeof queueSlots>>[number];

/**
 * Every step of the given jobs with its live slot (if any): what readiness and remaining
 * work are computed from. A step may have several slot rows over time; cancelled ones are
 * left out.
 */
export async function jobSteps(db: Db, jobIds: string[]) {
  if (jobIds.length === 0) return [];
  return db
    .select({
      routingId: jobRoutings.id,
      jobId: jobRoutings.jobId,
      sequence: jobRoutings.sequence,
      operationCode: jobRoutings.operationCode,
      totalMinutes: jobRoutings.totalMinutes,
      slotStatus: scheduleSlots.status,
      slotWorkCenterId: scheduleSlots.workCenterId,
      actualEnd: scheduleSlots.actualEnd,
    })
    .from(jobRoutings)
    .leftJoin(scheduleSlots, and(eq(scheduleSlots.routingId, jobRoutings.id), ne(scheduleSlots.status, 'cancelled')))
    .where(inArray(jobRoutings.jobId, jobIds));
}

export type JobStepRow = Awaited<ReturnType<typeof jobSteps>>[number];

export async function queueOrderRow(db: Db, workCenterId: string) {
  return (
    await db.select().from(dispatchQueueOrders).where(eq(dispatchQueueOrders.workCenterId, workCenterId)).limit(1)
  )[0];
}

export type QueueOrderRow = NonNullable<Awaited<ReturnType<typeof queueOrderRow>>>;
