import { and, eq, inArray, ne, notExists, sql } from 'drizzle-orm';
import { routingStep } from '../jobs/routing-job-view.js';
import type { Db } from '../platform/db.js';
import { scheduleSlots } from './tables.js';

/**
 * Open standard minutes (setup + run x quantity) per job: its steps without a complete slot.
 * Summed here, not in the caller, so a queue of 1,000 operations does not ship every step
 * of 1,000 jobs over the wire.
 */
export async function remainingWork(db: Db, jobIds: string[]) {
  if (jobIds.length === 0) return [];
  const done = db
    .select({ one: sql`1` })
    .from(scheduleSlots)
    .where(and(eq(scheduleSlots.routingId, routingStep.routingId), eq(scheduleSlots.status, 'complete')));
  return db
    .select({
      jobId: routingStep.jobId,
      minutes: sql<number>`coalesce(sum(${routingStep.totalMinutes}), 0)`.mapWith(Number),
    })
    .from(routingStep)
    .where(and(inArray(routingStep.jobId, jobIds), notExists(done)))
    .groupBy(routingStep.jobId);
}

/**
 * The state of the given steps (a queue's dependencies): complete if any of their
 * non-cancelled slots is, when the last one finished, and where the latest open one is booked.
 */
export async function stepStates(db: Db, routingIds: string[]) {
  if (routingIds.length === 0) return [];
  return db
    .select({
      routingId: routingStep.routingId,
      sequence: routingStep.sequence,
      operationCode: routingStep.operationCode,
      complete: sql<boolean>`coalesce(bool_or(${scheduleSlots.status} = 'complete'), false)`,
      // epoch ms: a raw timestamp comes back as a string or a Date depending on the driver
      actualEndMs: sql<number | null>`extract(epoch from max(${scheduleSlots.actualEnd})) * 1000`.mapWith(Number),
      workCenterId: sql<
        string | null
      >`(array_agg(${scheduleSlots.workCenterId} ORDER BY ${scheduleSlots.plannedStart} DESC))[1]`,
      status: sql<string | null>`(array_agg(${scheduleSlots.status} ORDER BY ${scheduleSlots.plannedStart} DESC))[1]`,
    })
    .from(routingStep)
    .leftJoin(
      scheduleSlots,
      and(eq(scheduleSlots.routingId, routingStep.routingId), ne(scheduleSlots.status, 'cancelled')),
    )
    .where(inArray(routingStep.routingId, routingIds))
    .groupBy(routingStep.routingId, routingStep.sequence, routingStep.operationCode);
}

export type StepStateRow = Awaited<ReturnType<typeof stepStates>>[number];
