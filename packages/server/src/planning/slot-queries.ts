import { and, eq, gt, lt, ne, notInArray, type SQL } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { jobRoutings, jobs } from '../jobs/tables.js';
import { scheduleSlots } from './tables.js';

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
  jobId: jobRoutings.jobId,
  jobNumber: jobs.jobNumber,
  sequence: jobRoutings.sequence,
  operationCode: jobRoutings.operationCode,
};

export function selectSlots<E extends Record<string, SQL.Aliased | SQL>>(db: Db, where: SQL | undefined, extra?: E) {
  return db
    .select({ ...slotColumns, ...(extra ?? ({} as E)) })
    .from(scheduleSlots)
    .innerJoin(jobRoutings, eq(jobRoutings.id, scheduleSlots.routingId))
    .innerJoin(jobs, eq(jobs.id, jobRoutings.jobId))
    .where(where);
}

/** Active slots on a work center that overlap [start, end), other than `exceptId`. */
export async function overlappingSlots(db: Db, workCenterId: string, start: Date, end: Date, exceptId?: string) {
  return db
    .select({ id: scheduleSlots.id, plannedStart: scheduleSlots.plannedStart, plannedEnd: scheduleSlots.plannedEnd })
    .from(scheduleSlots)
    .where(
      and(
        eq(scheduleSlots.workCenterId, workCenterId),
        lt(scheduleSlots.plannedStart, end),
        gt(scheduleSlots.plannedEnd, start),
        notInArray(scheduleSlots.status, ['cancelled', 'complete']),
        exceptId ? ne(scheduleSlots.id, exceptId) : undefined,
      ),
    );
}
