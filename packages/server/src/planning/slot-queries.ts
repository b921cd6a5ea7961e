import { count, eq, type SQL } from 'drizzle-orm';
import { routingStep } from '../jobs/routing-job-view.js';
import type { Db } from '../platform/db.js';
import { readScheduleSlots, scheduleSlotColumns } from './schedule-reads.js';
import { scheduleSlots } from './tables.js';

/** What the slot API returns for each slot (the listing, unlike the schedule reads, has every status). */
export const slotColumns = scheduleSlotColumns([
  'id',
  'routingId',
  'workCenterId',
  'plannedStart',
  'plannedEnd',
  'actualStart',
  'actualEnd',
  'status',
  'operatorId',
  'delayReason',
  'notes',
  'version',
  'createdAt',
  'updatedAt',
  'jobId',
  'jobNumber',
  'sequence',
  'operationCode',
]);

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
