import { count, eq, type SQL } from 'drizzle-orm';
import { routingStep } from '../jobs/routing-job-view.js';
import type { Db } from '../platform/db.js';
import { readScheduleSlots } from './schedule-reads.js';
import { scheduleSlots } from './tables.js';

/** What the slot API returns for each slot (the listing, unlike the schedule reads, has every status). */
export const slotColumns = {
  id: scheduleSlots.id,
  routingId: scheduleSlots.routingId,
  workCenterId: scheduleSlots.workCenterId,
  plannedStart: scheduleSlots.plannedStart,
  plannedEnd: scheduleSlots.plannedEnd,
  actualStart: scheduleSlots.actualStart,
  actualEnd: scheduleSlots.actualEnd,
  status: scheduleSlots.status,
  operatorId: scheduleSlots.operatorId,
  delayReason: scheduleSlots.delayReason,
  notes: scheduleSlots.notes,
  version: scheduleSlots.version,
  createdAt: scheduleSlots.createdAt,
  updatedAt: scheduleSlots.updatedAt,
  jobId: routingStep.jobId,
  jobNumber: routingStep.jobNumber,
  sequence: routingStep.sequence,
  operationCode: routingStep.operationCode,
};

/** Conditions on the job of a slot, for the listing filters. */
export const slotJobId = routingStep.jobId;

export function selectSlots<E extends Record<string, SQL.Aliased | SQL>>(db: Db, where: SQL | undefined, extra?: E) {
  return db
    .select({ ...slotColumns, ...(extra ?? ({} as E)) })
    .from(scheduleSlots)
    .innerJoin(routingStep, eq(routingStep.routingId, scheduleSlots.routingId))
    .where(where);
}

export async function countSlots(db: Db, where: SQL | undefined): Promise<number> {
  const rows = await db
    .select({ n: count() })
    .from(scheduleSlots)
    .innerJoin(routingStep, eq(routingStep.routingId, scheduleSlots.routingId))
    .where(where);
  return Number(rows[0]?.n ?? 0);
}

/** Open slots on a work center that overlap [start, end), other than `exceptId`. */
export async function overlappingSlots(db: Db, workCenterId: string, start: Date, end: Date, exceptId?: string) {
  const rows = await readScheduleSlots(db, { statusClass: 'open', workCenterId, from: start, to: end });
  return rows.filter((r) => r.id !== exceptId);
}
