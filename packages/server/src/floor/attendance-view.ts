import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { floorAttendance, floorLabor } from './tables.js';

/**
 * What the floor app shows in its header for the signed-in person: clocked in since when (and
 * whether the last shift was closed for them because they forgot), and the operations they are
 * booked on right now.
 */
export async function myFloorState(db: Db, employeeId: string) {
  const [open] = await db
    .select()
    .from(floorAttendance)
    .where(and(eq(floorAttendance.employeeId, employeeId), isNull(floorAttendance.clockOut)));
  const [last] = open
    ? [undefined]
    : await db
        .select()
        .from(floorAttendance)
        .where(eq(floorAttendance.employeeId, employeeId))
        .orderBy(desc(floorAttendance.clockIn))
        .limit(1);
  const working = await db
    .select({ operationId: floorLabor.routingId, since: floorLabor.startedAt })
    .from(floorLabor)
    .where(and(eq(floorLabor.employeeId, employeeId), isNull(floorLabor.endedAt)));
  return {
    employeeId,
    clockedIn: open !== undefined,
    since: open?.clockIn ?? null,
    lastClockOut: last?.clockOut ?? null,
    lastAutoClosed: last?.autoClosed ?? false,
    working,
  };
}
