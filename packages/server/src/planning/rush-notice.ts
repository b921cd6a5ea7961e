import { eq } from 'drizzle-orm';
import { routingStep } from '../jobs/routing-job-view.js';
import { notifyCrew } from '../notifications/crew-notices.js';
import type { Db } from '../platform/db.js';
import type { EventBus } from '../platform/events.js';

/** Rush (priority 1) work booked onto a center: the people at its tablets are told at once. */
export async function announceRush(tx: Db, events: EventBus, routingId: string, workCenterId: string) {
  const step = (
    await tx
      .select({
        priority: routingStep.priority,
        jobNumber: routingStep.jobNumber,
        sequence: routingStep.sequence,
        operationCode: routingStep.operationCode,
      })
      .from(routingStep)
      .where(eq(routingStep.routingId, routingId))
  )[0];
  if (!step || step.priority !== 1) return;
  await notifyCrew(tx, events, workCenterId, {
    kind: 'rush-job',
    title: `Rush job ${step.jobNumber} for ${workCenterId}`,
    body: `Step ${step.sequence} ${step.operationCode} is in your queue`,
    link: '/floor',
  });
}
