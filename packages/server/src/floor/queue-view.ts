import { inArray } from 'drizzle-orm';
import { getQueue } from '../dispatch/queue-service.js';
import { floorJobDetails } from '../jobs/queries.js';
import type { Db } from '../platform/db.js';
import { floorOperations } from './tables.js';

type Details = Awaited<ReturnType<typeof floorJobDetails>>;
type Step = Details['steps'][number];

/**
 * The step that follows one in its job: a step that depends on it (the routing's precedence),
 * else the next by sequence. The operator is told where the parts go next.
 */
function nextStep(step: Step, jobSteps: readonly Step[]): Step | undefined {
  return jobSteps.find((s) => s.dependencies.includes(step.id)) ?? jobSteps.find((s) => s.sequence > step.sequence);
}

function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const r of rows) {
    const list = out.get(key(r));
    if (list) list.push(r);
    else out.set(key(r), [r]);
  }
  return out;
}

/**
 * A work center's queue as the floor tablet shows it: the dispatch queue (its order and
 * readiness decide what an operator may pick) with what the operator needs at the machine:
 * parts, material and thickness, the drawing or NC file, notes, quantities done and left, and
 * where the parts go next.
 */
export async function floorQueue(db: Db, workCenterId: string, timeZone: string, now = Date.now()) {
  const queue = await getQueue(db, workCenterId, { now }, timeZone);
  const jobIds = [...new Set(queue.items.map((i) => i.jobId))];
  const details = await floorJobDetails(db, jobIds);
  const routingIds = queue.items.map((i) => i.routingId);
  const progress =
    routingIds.length === 0
      ? []
      : await db.select().from(floorOperations).where(inArray(floorOperations.routingId, routingIds));
  const progressOf = new Map(progress.map((p) => [p.routingId, p]));
  const jobOf = new Map(details.jobs.map((j) => [j.id, j]));
  const partsOf = groupBy(details.parts, (p) => p.jobId);
  const stepsOf = groupBy(details.steps, (s) => s.jobId);
  const stepOf = new Map(details.steps.map((s) => [s.id, s]));

  return {
    workCenter: queue.workCenter,
    message: queue.message,
    now: queue.now,
    items: queue.items.map((item) => {
      const step = stepOf.get(item.routingId);
      const p = progressOf.get(item.routingId);
      const quantity = step?.quantity ?? jobOf.get(item.jobId)?.quantity ?? 0;
      const good = p?.good ?? 0;
      const next = step ? nextStep(step, stepsOf.get(item.jobId) ?? []) : undefined;
      return {
        position: item.position,
        slotId: item.slotId,
        operationId: item.routingId,
        revision: step?.version ?? 1,
        jobId: item.jobId,
        jobNumber: item.jobNumber,
        customer: item.customer,
        dueDate: item.dueDate,
        priority: item.priority,
        sequence: item.sequence,
        operationCode: item.operationCode,
        ready: item.ready,
        waitingOn: item.waitingOn.map((w) => `${w.sequence} ${w.operationCode} (${w.workCenterId ?? 'unscheduled'})`),
        plannedStart: item.plannedStart,
        plannedEnd: item.plannedEnd,
        processingMinutes: item.processingMinutes,
        floorStatus: (p?.status ?? 'not_started') as 'not_started' | 'running' | 'paused' | 'finished',
        quantity,
        good,
        scrap: p?.scrap ?? 0,
        remaining: Math.max(0, quantity - good),
        parts: (partsOf.get(item.jobId) ?? []).map((x) => ({
          partNumber: x.partNumber,
          revision: x.revision,
          quantity: x.quantity,
          material: x.materialCode,
          thickness: x.thickness,
          drawing: x.dxfPath,
        })),
        notes: [jobOf.get(item.jobId)?.notes, step?.notes].filter((n): n is string => !!n && n.trim() !== ''),
        next: next
          ? {
              sequence: next.sequence,
              operationCode: next.operationCode,
              workCenter: next.preferredWorkCenterId ?? next.workCenterType,
            }
          : null,
      };
    }),
  };
}
