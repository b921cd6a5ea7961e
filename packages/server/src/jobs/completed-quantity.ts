import { eq } from 'drizzle-orm';
import { recordAudit } from '../auth/audit.js';
import type { Db } from '../platform/db.js';
import './events.js';
import type { CommandDeps } from './stock-commands.js';
import { jobRoutings, jobs } from './tables.js';

/** The smallest count among the steps no other step of the job waits for (0 without steps). */
export function completedByLastSteps(steps: ReadonlyArray<{ id: string; dependencies: string[]; good: number }>) {
  const waitedFor = new Set(steps.flatMap((s) => s.dependencies));
  const last = steps.filter((s) => !waitedFor.has(s.id));
  return last.length === 0 ? 0 : Math.min(...last.map((s) => s.good));
}

/**
 * Records the good units the floor has reported for one routing step, as its running total (a
 * total, not a delta: the same report twice changes nothing), and sets the job's completed
 * quantity to what its last steps have all finished: a unit is done when it has left every end
 * of the routing. Unchanged totals write nothing. Answers the job's completed quantity, or null
 * when the step does not exist.
 */
export async function recordStepGood(
  tx: Db,
  deps: CommandDeps,
  routingId: string,
  good: number,
): Promise<{ jobId: string; quantityCompleted: number } | null> {
  const step = (
    await tx.select({ jobId: jobRoutings.jobId }).from(jobRoutings).where(eq(jobRoutings.id, routingId)).limit(1)
  )[0];
  if (!step) return null;
  // The job first, as job edits lock it, so the two never wait for each other the other way round.
  const job = (
    await tx
      .select({ quantityCompleted: jobs.quantityCompleted })
      .from(jobs)
      .where(eq(jobs.id, step.jobId))
      .for('update')
      .limit(1)
  )[0];
  if (!job) return null;
  const steps = await tx
    .select({ id: jobRoutings.id, dependencies: jobRoutings.dependencies, good: jobRoutings.quantityCompleted })
    .from(jobRoutings)
    .where(eq(jobRoutings.jobId, step.jobId))
    .for('update');
  const own = steps.find((s) => s.id === routingId)!;
  if (own.good === good) return { jobId: step.jobId, quantityCompleted: job.quantityCompleted };
  // The floor's count is not an edit of the routing: no new version, so a planner's open edit stays valid.
  await tx
    .update(jobRoutings)
    .set({ quantityCompleted: good, updatedAt: new Date() })
    .where(eq(jobRoutings.id, routingId));
  await recordAudit(
    tx,
    deps.actor,
    'update',
    'job_routing',
    routingId,
    { quantityCompleted: own.good },
    { quantityCompleted: good },
  );
  own.good = good;
  const quantityCompleted = completedByLastSteps(steps);
  if (quantityCompleted !== job.quantityCompleted) {
    await tx.update(jobs).set({ quantityCompleted, updatedAt: new Date() }).where(eq(jobs.id, step.jobId));
    await recordAudit(
      tx,
      deps.actor,
      'update',
      'job',
      step.jobId,
      { quantityCompleted: job.quantityCompleted },
      { quantityCompleted },
    );
  }
  await deps.events.record(tx, {
    type: 'job.quantity-completed',
    jobId: step.jobId,
    routingId,
    stepGood: good,
    quantityCompleted,
  });
  return { jobId: step.jobId, quantityCompleted };
}
