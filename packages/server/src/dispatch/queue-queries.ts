import { and, eq, inArray, ne, notExists, sql } from 'drizzle-orm';
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
 * Open standard minutes (setup + run x quantity) per job: its steps without a complete slot.
 * Summed here, not in the service, so a queue of 1,000 operations does not ship every step
 * of 1,000 jobs over the wire.
 */
export async function remainingWork(db: Db, jobIds: string[]) {
  if (jobIds.length === 0) return [];
  const done = db
    .select({ one: sql`1` })
    .from(scheduleSlots)
    .where(and(eq(scheduleSlots.routingId, jobRoutings.id), eq(scheduleSlots.status, 'complete')));
  return db
    .select({
      jobId: jobRoutings.jobId,
      minutes: sql<number>`coalesce(sum(${jobRoutings.totalMinutes}), 0)`.mapWith(Number),
    })
    .from(jobRoutings)
    .where(and(inArray(jobRoutings.jobId, jobIds), notExists(done)))
    .groupBy(jobRoutings.jobId);
}

/**
 * The state of the given steps (the queue's dependencies): complete if any of their
 * non-cancelled slots is, when the last one finished, and where the latest open one is booked.
 */
export async function stepStates(db: Db, routingIds: string[]) {
  if (routingIds.length === 0) return [];
  return db
    .select({
      routingId: jobRoutings.id,
      sequence: jobRoutings.sequence,
      operationCode: jobRoutings.operationCode,
      complete: sql<boolean>`coalesce(bool_or(${scheduleSlots.status} = 'complete'), false)`,
      // epoch ms: a raw timestamp comes back as a string or a Date depending on the driver
      actualEndMs: sql<number | null>`extract(epoch from max(${scheduleSlots.actualEnd})) * 1000`.mapWith(Number),
      workCenterId: sql<
        string | null
      >`(array_agg(${scheduleSlots.workCenterId} ORDER BY ${scheduleSlots.plannedStart} DESC))[1]`,
      status: sql<string | null>`(array_agg(${scheduleSlots.status} ORDER BY ${scheduleSlots.plannedStart} DESC))[1]`,
    })
    .from(jobRoutings)
    .leftJoin(scheduleSlots, and(eq(scheduleSlots.routingId, jobRoutings.id), ne(scheduleSlots.status, 'cancelled')))
    .where(inArray(jobRoutings.id, routingIds))
    .groupBy(jobRoutings.id);
}

export type StepStateRow = Awaited<ReturnType<typeof stepStates>>[number];

export async function queueOrderRow(db: Db, workCenterId: string) {
  return (
    await db.select().from(dispatchQueueOrders).where(eq(dispatchQueueOrders.workCenterId, workCenterId)).limit(1)
  )[0];
}

export type QueueOrderRow = NonNullable<Awaited<ReturnType<typeof queueOrderRow>>>;
