import { encodeCode } from '@kerf/floor-codes';
import { and, inArray } from 'drizzle-orm';
import { getJob } from '../jobs/job-service.js';
import { routingStep } from '../jobs/routing-job-view.js';
import { customerService } from '../jobs/services.js';
import { scheduleFilterSql, scheduleSlotQuery } from '../planning/schedule-reads.js';
import type { Db } from '../platform/db.js';
import { AppError } from '../platform/errors.js';
import { workCentersByIds } from '../shop/queries.js';
import type { TravelerJob } from './traveler-pdf.js';

export const MAX_TRAVELERS = 200;

/**
 * What the travelers of these jobs print, in the order asked (a repeated id prints once). Every
 * id must exist: a batch with an unknown job prints nothing, so a stack of travelers is never
 * silently short. Step codes carry the step's `version`, the revision a later scan compares.
 */
export async function travelerJobs(db: Db, jobIds: string[], field = 'jobIds'): Promise<TravelerJob[]> {
  const ids = [...new Set(jobIds)];
  const loaded: Array<Awaited<ReturnType<typeof getJob>>> = [];
  const missing: string[] = [];
  for (const id of ids) {
    try {
      loaded.push(await getJob(db, id));
    } catch (err) {
      if (err instanceof AppError && err.kind === 'not_found') missing.push(id);
      else throw err;
    }
  }
  if (missing.length > 0) {
    throw new AppError(
      'not_found',
      'not_found',
      `${field}: no job ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`,
      field,
    );
  }

  const customerIds = [...new Set(loaded.map((j) => j.customerId).filter((c): c is string => !!c))];
  const customers = new Map<string, string>();
  for (const id of customerIds) {
    const c = await customerService.get(db, id).catch(() => undefined);
    if (c) customers.set(id, String(c.name));
  }

  // The earliest open slot of each step: where and when it is planned to run.
  const slots = await scheduleSlotQuery(
    db,
    and(scheduleFilterSql({ statusClass: 'open' }), inArray(routingStep.jobId, ids)),
    ['routingId', 'workCenterId', 'plannedStart', 'plannedEnd'],
  );
  const slotOf = new Map<string, (typeof slots)[number]>();
  for (const s of slots) {
    const seen = slotOf.get(s.routingId);
    if (!seen || s.plannedStart < seen.plannedStart) slotOf.set(s.routingId, s);
  }
  const centerIds = new Set<string>();
  for (const j of loaded)
    for (const r of j.routings) if (r.preferredWorkCenterId) centerIds.add(r.preferredWorkCenterId);
  for (const s of slotOf.values()) centerIds.add(s.workCenterId);
  const centerName = new Map((await workCentersByIds(db, [...centerIds])).map((c) => [c.id, c.name]));
  const center = (id: string) => (centerName.has(id) ? `${id} ${centerName.get(id)}` : id);

  return loaded.map((job) => {
    let jobCode: string | null = null;
    let jobCodeProblem: string | null = null;
    try {
      jobCode = encodeCode({ type: 'job', jobNumber: job.jobNumber });
    } catch (err) {
      jobCodeProblem = (err as Error).message;
    }
    return {
      jobNumber: job.jobNumber,
      jobCode,
      jobCodeProblem,
      customer: job.customerId ? (customers.get(job.customerId) ?? null) : null,
      product: job.product,
      quantity: job.quantity,
      dueDate: job.dueDate,
      priority: job.priority,
      status: job.status,
      notes: job.notes,
      parts: job.parts.map((p) => ({
        partNumber: p.partNumber,
        revision: p.revision,
        quantity: p.quantity,
        materialCode: p.materialCode,
        thickness: Number(p.thickness),
      })),
      operations: job.routings.map((r) => {
        const slot = slotOf.get(r.id);
        return {
          sequence: r.sequence,
          operationCode: r.operationCode,
          workCenter: slot
            ? center(slot.workCenterId)
            : r.preferredWorkCenterId
              ? center(r.preferredWorkCenterId)
              : `any ${r.workCenterType}`,
          setupMinutes: r.setupMinutes,
          runMinutes: Math.round((r.totalMinutes - r.setupMinutes) * 100) / 100,
          plannedStart: slot?.plannedStart ?? null,
          plannedEnd: slot?.plannedEnd ?? null,
          notes: r.notes,
          code: encodeCode({ type: 'operation', routingId: r.id, revision: r.version }),
        };
      }),
    };
  });
}
