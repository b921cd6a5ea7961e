import { and, asc, eq, ilike } from 'drizzle-orm';
import { recordAudit } from '../auth/audit.js';
import type { Db } from '../platform/db.js';
import './events.js';
import type { CommandDeps } from './stock-commands.js';
import { jobRoutings } from './tables.js';

/** The job's first step on a work center type containing `typePart` (e.g. its first laser step). */
export async function firstStepOfType(tx: Db, jobId: string, typePart: string) {
  return (
    await tx
      .select({ id: jobRoutings.id, quantity: jobRoutings.quantity })
      .from(jobRoutings)
      .where(and(eq(jobRoutings.jobId, jobId), ilike(jobRoutings.workCenterType, `%${typePart}%`)))
      .orderBy(asc(jobRoutings.sequence))
      .limit(1)
  )[0];
}

/**
 * Sets a routing step's run minutes per unit. Unchanged time is no change: no new version,
 * audit row or event, so feeding the same real cut times again changes nothing.
 */
export async function retimeStep(
  tx: Db,
  deps: CommandDeps,
  routingId: string,
  runMinutesPerUnit: number,
  reason: string,
): Promise<boolean> {
  const before = (await tx.select().from(jobRoutings).where(eq(jobRoutings.id, routingId)).for('update').limit(1))[0];
  if (!before || before.runMinutesPerUnit === runMinutesPerUnit) return false;
  const after = (
    await tx
      .update(jobRoutings)
      .set({ runMinutesPerUnit, version: before.version + 1, updatedAt: new Date() })
      .where(eq(jobRoutings.id, routingId))
      .returning()
  )[0]!;
  await recordAudit(tx, deps.actor, 'update', 'job_routing', routingId, before, after);
  await deps.events.record(tx, {
    type: 'routing-step.retimed',
    routingId,
    jobId: before.jobId,
    runMinutesPerUnit,
    reason,
  });
  return true;
}
