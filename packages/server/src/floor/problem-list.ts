import { and, desc, gte, inArray } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { floorTransactions } from './tables.js';

/**
 * Floor transactions the server did not apply (rejected or in conflict), newest first: the
 * tablet shows its own to the operator; this is the supervisor's list across all tablets, so
 * no conflict (an operation finished on two tablets, work moved or cancelled) goes unseen.
 */
export async function floorProblems(db: Db, sinceHours: number, limit: number) {
  const since = new Date(Date.now() - sinceHours * 3_600_000);
  const rows = await db
    .select()
    .from(floorTransactions)
    .where(and(inArray(floorTransactions.status, ['rejected', 'conflict']), gte(floorTransactions.receivedAt, since)))
    .orderBy(desc(floorTransactions.receivedAt))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    deviceId: r.deviceId,
    seq: r.seq,
    type: r.type,
    operationId: r.operationId,
    employeeId: r.employeeId,
    stationId: r.stationId,
    at: r.at ?? r.clientAt,
    receivedAt: r.receivedAt,
    status: r.status as 'rejected' | 'conflict',
    message: r.message ?? '',
    field: r.field,
  }));
}
