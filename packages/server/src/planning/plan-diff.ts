import { and, eq } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { jobDueDates } from '../jobs/queries.js';
import { routingStep } from '../jobs/routing-job-view.js';
import { plans, planSlots } from './plan-tables.js';

export interface JobChange {
  jobId: string;
  jobNumber: string;
  dueDate: Date;
  /** completion in the published plan (null: not in it) and in the draft */
  publishedEnd: Date | null;
  draftEnd: Date | null;
  /** positive: the draft finishes the job later */
  shiftMinutes: number | null;
  movedOperations: number;
  lateInDraft: boolean;
  lateInPublished: boolean;
}

async function jobEnds(db: Db, planId: string) {
  const rows = await db
    .select({
      routingId: planSlots.routingId,
      workCenterId: planSlots.workCenterId,
      start: planSlots.plannedStart,
      end: planSlots.plannedEnd,
      jobId: routingStep.jobId,
    })
    .from(planSlots)
    .innerJoin(routingStep, eq(routingStep.routingId, planSlots.routingId))
    .where(eq(planSlots.planId, planId));
  const byRouting = new Map(rows.map((r) => [r.routingId, r]));
  const end = new Map<string, number>();
  for (const r of rows) end.set(r.jobId, Math.max(end.get(r.jobId) ?? 0, r.end.getTime()));
  return { byRouting, end };
}

/** Compares a plan with the published one: jobs that move, get later or earlier, and KPI deltas. */
export async function diffAgainstPublished(db: Db, planId: string) {
  const draft = (await db.select().from(plans).where(eq(plans.id, planId)).limit(1))[0];
  if (!draft) return undefined;
  const published = (
    await db
      .select()
      .from(plans)
      .where(and(eq(plans.status, 'published')))
      .limit(1)
  )[0];
  const d = await jobEnds(db, planId);
  const p = published && published.id !== planId ? await jobEnds(db, published.id) : undefined;
  const jobIds = [...new Set([...d.end.keys(), ...(p?.end.keys() ?? [])])];
  const jobRows = await jobDueDates(db, jobIds);
  const moved = new Map<string, number>();
  for (const [routingId, slot] of d.byRouting) {
    const old = p?.byRouting.get(routingId);
    if (!old || old.workCenterId !== slot.workCenterId || old.start.getTime() !== slot.start.getTime()) {
      moved.set(slot.jobId, (moved.get(slot.jobId) ?? 0) + 1);
    }
  }
  const changes: JobChange[] = jobRows.map((j) => {
    const de = d.end.get(j.id);
    const pe = p?.end.get(j.id);
    return {
      jobId: j.id,
      jobNumber: j.jobNumber,
      dueDate: j.dueDate,
      publishedEnd: pe !== undefined ? new Date(pe) : null,
      draftEnd: de !== undefined ? new Date(de) : null,
      shiftMinutes: de !== undefined && pe !== undefined ? Math.round((de - pe) / 60_000) : null,
      movedOperations: moved.get(j.id) ?? 0,
      lateInDraft: de !== undefined && de > j.dueDate.getTime(),
      lateInPublished: pe !== undefined && pe > j.dueDate.getTime(),
    };
  });
  const kpi = (x: typeof draft | undefined) =>
    x && {
      weightedTardiness: x.weightedTardiness,
      lateJobs: x.lateJobs,
      makespanEnd: x.makespanEnd,
      setupMinutes: x.setupMinutes,
      utilizationPct: x.utilizationPct,
    };
  const dk = kpi(draft)!;
  const pk = published && published.id !== planId ? kpi(published) : undefined;
  return {
    planId,
    publishedPlanId: pk ? published!.id : null,
    kpis: {
      draft: dk,
      published: pk ?? null,
      delta: pk
        ? {
            weightedTardiness: dk.weightedTardiness - pk.weightedTardiness,
            lateJobs: dk.lateJobs - pk.lateJobs,
            makespanMinutes:
              dk.makespanEnd && pk.makespanEnd
                ? Math.round((dk.makespanEnd.getTime() - pk.makespanEnd.getTime()) / 60_000)
                : null,
            setupMinutes: dk.setupMinutes - pk.setupMinutes,
            utilizationPct:
              dk.utilizationPct !== null && pk.utilizationPct !== null
                ? Math.round((dk.utilizationPct - pk.utilizationPct) * 100) / 100
                : null,
          }
        : null,
    },
    movedJobs: changes.filter((c) => c.movedOperations > 0).length,
    laterJobs: changes.filter((c) => (c.shiftMinutes ?? 0) > 0).length,
    earlierJobs: changes.filter((c) => (c.shiftMinutes ?? 0) < 0).length,
    jobs: changes.filter((c) => c.movedOperations > 0).sort((a, b) => (b.shiftMinutes ?? 0) - (a.shiftMinutes ?? 0)),
  };
}
