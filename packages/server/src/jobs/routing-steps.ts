import { and, asc, count, eq, inArray, notInArray, type SQL } from 'drizzle-orm';
import { Type, type Static } from 'typebox';
import type { Db } from '../platform/db.js';
import { limitOf, Nullable, Offset, Uuid, strict } from '../platform/http/schemas.js';
import { jobRoutings, jobs } from './tables.js';

export const RoutingStep = Type.Object({
  id: Uuid,
  jobId: Uuid,
  sequence: Type.Integer(),
  operationCode: Type.String(),
  workCenterType: Type.String(),
  setupMinutes: Type.Number(),
  runMinutes: Type.Number({ description: 'run time of the whole step quantity (total minus setup)' }),
  setupCategory: Nullable(Type.String()),
  dependsOn: Type.Array(Type.Integer(), { description: 'sequences of steps of the same job that finish first' }),
});
export type RoutingStepT = Static<typeof RoutingStep>;

export const RoutingStepQuery = strict(
  Type.Object({
    limit: Type.Optional(limitOf(500, 500)),
    offset: Type.Optional(Offset),
    open: Type.Optional(Type.Boolean({ description: 'true: only steps of jobs neither complete nor cancelled' })),
    jobId: Type.Optional(Uuid),
  }),
);
export type RoutingStepQueryT = Static<typeof RoutingStepQuery>;

/**
 * Routing steps across jobs, ordered by job and sequence, so that a Gantt can show setup, run
 * time, setup category and predecessors of thousands of bars without one request per job.
 * A page holds whole jobs only when the page boundary falls between jobs, so dependencies are
 * resolved to sequences from the job's own steps, read in the same query.
 */
export async function listRoutingSteps(db: Db, q: RoutingStepQueryT) {
  const conditions: SQL[] = [];
  if (q.open) conditions.push(notInArray(jobs.status, ['complete', 'cancelled']));
  if (q.jobId) conditions.push(eq(jobRoutings.jobId, q.jobId));
  const where = conditions.length ? and(...conditions) : undefined;
  const limit = q.limit ?? 500;
  const offset = q.offset ?? 0;
  const base = () => db.select().from(jobRoutings).innerJoin(jobs, eq(jobs.id, jobRoutings.jobId)).where(where);
  const [rows, total] = await Promise.all([
    base().orderBy(asc(jobRoutings.jobId), asc(jobRoutings.sequence)).limit(limit).offset(offset),
    db
      .select({ n: count() })
      .from(jobRoutings)
      .innerJoin(jobs, eq(jobs.id, jobRoutings.jobId))
      .where(where)
      .then((r) => Number(r[0]?.n ?? 0)),
  ]);
  const depIds = [...new Set(rows.flatMap((r) => r.job_routings.dependencies))];
  const seqOf = new Map(rows.map((r) => [r.job_routings.id, r.job_routings.sequence]));
  const missing = depIds.filter((id) => !seqOf.has(id));
  if (missing.length > 0) {
    const extra = await db
      .select({ id: jobRoutings.id, sequence: jobRoutings.sequence })
      .from(jobRoutings)
      .where(inArray(jobRoutings.id, missing));
    for (const e of extra) seqOf.set(e.id, e.sequence);
  }
  const items: RoutingStepT[] = rows.map(({ job_routings: r }) => {
    const total = r.totalMinutes ?? r.setupMinutes + r.runMinutesPerUnit * r.quantity;
    return {
      id: r.id,
      jobId: r.jobId,
      sequence: r.sequence,
      operationCode: r.operationCode,
      workCenterType: r.workCenterType,
      setupMinutes: r.setupMinutes,
      runMinutes: Math.round((total - r.setupMinutes) * 100) / 100,
      setupCategory: r.setupCategory,
      dependsOn: r.dependencies.map((d) => seqOf.get(d)).filter((s): s is number => s !== undefined),
    };
  });
  return { items, total, limit, offset };
}
