import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { routingStep } from '../jobs/routing-job-view.js';
import type { Db } from '../platform/db.js';
import { notFound } from '../platform/errors.js';
import { laborMinutes } from './labor-split.js';
import { floorLabor, floorOperations } from './tables.js';

/**
 * An operation as the floor reported it: status, actual start and end, good and scrap, and
 * labor minutes (each person's time split across the operations they worked at once).
 */
export async function operationView(db: Db, operationId: string, now = Date.now()) {
  const step = (
    await db
      .select({
        jobId: routingStep.jobId,
        jobNumber: routingStep.jobNumber,
        sequence: routingStep.sequence,
        operationCode: routingStep.operationCode,
        quantity: routingStep.quantity,
      })
      .from(routingStep)
      .where(eq(routingStep.routingId, operationId))
  )[0];
  if (!step) throw notFound('operation', operationId);
  const row = (await db.select().from(floorOperations).where(eq(floorOperations.routingId, operationId)))[0];
  const own = await db.select().from(floorLabor).where(eq(floorLabor.routingId, operationId));
  // The same people's other segments in the same span decide how their time is shared.
  const people = [...new Set(own.map((s) => s.employeeId))];
  const from = Math.min(...own.map((s) => s.startedAt.getTime()));
  const to = Math.max(...own.map((s) => s.endedAt?.getTime() ?? now));
  const overlapping =
    people.length === 0
      ? []
      : await db
          .select()
          .from(floorLabor)
          .where(
            and(
              inArray(floorLabor.employeeId, people),
              sql`${floorLabor.startedAt} < ${new Date(to).toISOString()}::timestamptz`,
              or(isNull(floorLabor.endedAt), sql`${floorLabor.endedAt} > ${new Date(from).toISOString()}::timestamptz`),
            ),
          );
  const minutes = laborMinutes(
    overlapping.map((s) => ({
      routingId: s.routingId,
      employeeId: s.employeeId,
      start: s.startedAt.getTime(),
      end: s.endedAt?.getTime() ?? now,
    })),
  );
  return {
    operationId,
    ...step,
    status: (row?.status ?? 'not_started') as 'not_started' | 'running' | 'paused' | 'finished',
    actualStart: row?.startedAt ?? null,
    actualEnd: row?.finishedAt ?? null,
    good: row?.good ?? 0,
    scrap: row?.scrap ?? 0,
    pauseReason: row?.pauseReason ?? null,
    overrunReason: row?.overrunReason ?? null,
    laborMinutes: Math.round((minutes.get(operationId) ?? 0) * 100) / 100,
    working: own.filter((s) => s.endedAt === null).map((s) => ({ employeeId: s.employeeId, since: s.startedAt })),
  };
}
