import { randomUUID } from 'node:crypto';
import { count, eq, and, getTableColumns } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { recordAudit } from '../auth/audit.js';
import { planList, splitTotal, totalOver, type ListParams } from '../platform/crud/list-query.js';
import type { Page } from '../platform/crud/resource-service.js';
import type { Db } from '../platform/db.js';
import { AppError, invalid, notFound, staleVersion } from '../platform/errors.js';
import { translatePgError } from '../platform/pg-errors.js';
import { enqueueJobChange } from '../nesting/outbox.js';
import { partsOfJob, routingsOfJob, workCenterTypes } from './queries.js';
import { checkInitialStatus, checkTransition, type JobStatus } from './job-status.js';
import { checkRoutingWorkCenters, resolveRoutingDependencies } from './routing-rules.js';
import type { JobInputT, PartInputT, RoutingInputT } from './schemas.js';
import { jobRoutings, jobs, parts } from './tables.js';

type JobRow = typeof jobs.$inferSelect;

const listSpec = {
  filters: {
    status: { column: jobs.status, kind: 'exact' as const },
    priority: { column: jobs.priority, kind: 'exact' as const },
    customerId: { column: jobs.customerId, kind: 'exact' as const },
    dueFrom: { column: jobs.dueDate, kind: 'from' as const },
    dueTo: { column: jobs.dueDate, kind: 'to' as const },
    q: { column: jobs.jobNumber, kind: 'search' as const, alsoColumns: [jobs.product] },
  },
  sortable: {
    jobNumber: jobs.jobNumber,
    dueDate: jobs.dueDate,
    priority: jobs.priority,
    status: jobs.status,
    createdAt: jobs.createdAt,
  },
};

export async function listJobs(db: Db, params: ListParams): Promise<Page<JobRow>> {
  const normalized = { ...params };
  for (const k of ['dueFrom', 'dueTo'] as const)
    if (typeof normalized[k] === 'string') normalized[k] = new Date(normalized[k]);
  const plan = planList(normalized, listSpec.filters, listSpec.sortable, 'dueDate,jobNumber');
  const rows = await db
    .select({ ...getTableColumns(jobs), total: totalOver })
    .from(jobs)
    .where(plan.where)
    .orderBy(...plan.orderBy)
    .limit(plan.limit)
    .offset(plan.offset);
  const { items, total } = await splitTotal(rows, plan.offset, async () =>
    Number((await db.select({ n: count() }).from(jobs).where(plan.where))[0]?.n ?? 0),
  );
  return { items, total, limit: plan.limit, offset: plan.offset };
}

export async function getJob(db: Db, id: string) {
  const job = (await db.select().from(jobs).where(eq(jobs.id, id)).limit(1))[0];
  if (!job) throw notFound('job', id);
  // Sequential: inside a transaction both reads share one connection.
  const p = await partsOfJob(db, id);
  const r = await routingsOfJob(db, id);
  return { ...job, parts: p, routings: r };
}

/** Checks what the schema cannot: dependencies, work-center types. Throws 400 naming the field. */
async function checkRoutings(db: Db, routings: RoutingInputT[]): Promise<Map<number, number[]>> {
  const deps = resolveRoutingDependencies(routings);
  const preferred = routings.map((r) => r.preferredWorkCenterId).filter((id): id is string => !!id);
  const { byId, types } = await workCenterTypes(db, preferred);
  checkRoutingWorkCenters(routings, byId, types);
  return deps;
}

function checkParts(list: PartInputT[]): void {
  const seen = new Set<string>();
  list.forEach((p, i) => {
    const key = `${p.partNumber}@${p.revision ?? 'A'}`;
    if (seen.has(key)) throw invalid(`parts[${i}].partNumber`, `part ${key} is listed twice`, 'duplicate_part');
    seen.add(key);
  });
}

async function writeChildren(
  tx: Db,
  jobId: string,
  jobQuantity: number,
  partList: PartInputT[],
  routings: RoutingInputT[],
  deps: Map<number, number[]>,
) {
  if (partList.length > 0) {
    await tx.insert(parts).values(
      partList.map((p) => ({
        jobId,
        partNumber: p.partNumber,
        revision: p.revision ?? 'A',
        quantity: p.quantity,
        materialCode: p.materialCode,
        thickness: p.thickness,
        dxfPath: p.dxfPath ?? null,
        grainDirection: p.grainDirection ?? 'NONE',
      })),
    );
  }
  if (routings.length > 0) {
    const idOf = new Map(routings.map((r) => [r.sequence, randomUUID()]));
    await tx.insert(jobRoutings).values(
      routings.map((r) => ({
        id: idOf.get(r.sequence)!,
        jobId,
        sequence: r.sequence,
        operationCode: r.operationCode,
        workCenterType: r.workCenterType,
        preferredWorkCenterId: r.preferredWorkCenterId ?? null,
        setupMinutes: r.setupMinutes ?? 0,
        runMinutesPerUnit: r.runMinutesPerUnit,
        quantity: r.quantity ?? jobQuantity,
        setupCategory: r.setupCategory ?? null,
        dependencies: (deps.get(r.sequence) ?? []).map((s) => idOf.get(s)!),
        notes: r.notes ?? null,
      })),
    );
  }
}

export interface CreateJobOptions {
  audit?: boolean;
  /**
   * Takes the status as already reached elsewhere (demo shop, tests placing a job mid-life)
   * instead of checking it as a new job's. Never set from a request.
   */
  recordedStatus?: boolean;
}

/** Creates a job with its parts and routings in one transaction (used by the API and CSV import). */
export async function createJob(db: Db, actor: Actor, input: JobInputT, options: CreateJobOptions = {}) {
  if (!options.recordedStatus) checkInitialStatus(actor, input.status ?? 'planned');
  const routings = input.routings ?? [];
  const partList = input.parts ?? [];
  checkParts(partList);
  try {
    return await db.transaction(async (tx) => {
      const deps = await checkRoutings(tx, routings);
      const job = (
        await tx
          .insert(jobs)
          .values({
            jobNumber: input.jobNumber,
            customerId: input.customerId ?? null,
            product: input.product,
            quantity: input.quantity,
            dueDate: new Date(input.dueDate),
            priority: input.priority ?? 3,
            status: input.status ?? 'planned',
            notes: input.notes ?? null,
          })
          .returning()
      )[0]!;
      await writeChildren(tx, job.id, job.quantity, partList, routings, deps);
      const full = await getJob(tx, job.id);
      // Same transaction: a released job reaches SigmaNEST exactly when it exists (nesting outbox).
      await enqueueJobChange(tx, null, full);
      if (options.audit !== false) await recordAudit(tx, actor, 'create', 'job', job.id, null, full);
      return full;
    });
  } catch (err) {
    throw translatePgError(err, 'write');
  }
}

export async function updateJob(db: Db, actor: Actor, id: string, version: number, changes: Partial<JobInputT>) {
  const { parts: newParts, routings: newRoutings, ...header } = changes;
  if (newParts) checkParts(newParts);
  try {
    return await db.transaction(async (tx) => {
      const before = await getJob(tx, id);
      if (before.version !== version) throw staleVersion('job', id, version);
      const heldFrom =
        header.status === undefined
          ? undefined
          : checkTransition(
              actor,
              { ...before, status: before.status as JobStatus, heldFrom: before.heldFrom as JobStatus | null },
              header.status,
            );
      if (newRoutings && ['in_progress', 'complete'].includes(before.status)) {
        throw new AppError(
          'conflict',
          'job_started',
          `routings: job ${before.jobNumber} is ${before.status}; its routing can no longer be replaced`,
          'routings',
        );
      }
      const deps = newRoutings ? await checkRoutings(tx, newRoutings) : undefined;
      const set: Partial<typeof jobs.$inferInsert> = { version: version + 1, updatedAt: new Date() };
      if (header.jobNumber !== undefined) set.jobNumber = header.jobNumber;
      if (header.customerId !== undefined) set.customerId = header.customerId;
      if (header.product !== undefined) set.product = header.product;
      if (header.quantity !== undefined) set.quantity = header.quantity;
      if (header.dueDate !== undefined) set.dueDate = new Date(header.dueDate);
      if (header.priority !== undefined) set.priority = header.priority;
      if (header.status !== undefined) set.status = header.status;
      if (heldFrom !== undefined) set.heldFrom = heldFrom;
      if (header.notes !== undefined) set.notes = header.notes;
      const updated = await tx
        .update(jobs)
        .set(set)
        .where(and(eq(jobs.id, id), eq(jobs.version, version)))
        .returning({ id: jobs.id });
      if (updated.length === 0) throw staleVersion('job', id, version);
      if (newParts) await tx.delete(parts).where(eq(parts.jobId, id));
      if (newRoutings) await tx.delete(jobRoutings).where(eq(jobRoutings.jobId, id));
      await writeChildren(
        tx,
        id,
        header.quantity ?? before.quantity,
        newParts ?? [],
        newRoutings ?? [],
        deps ?? new Map(),
      );
      const after = await getJob(tx, id);
      await enqueueJobChange(tx, before, after);
      await recordAudit(tx, actor, 'update', 'job', id, before, after);
      return after;
    });
  } catch (err) {
    throw translatePgError(err, 'write');
  }
}

export async function deleteJob(db: Db, actor: Actor, id: string, version: number | undefined): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await getJob(tx, id);
    if (version !== undefined && before.version !== version) throw staleVersion('job', id, version);
    if (!['planned', 'cancelled'].includes(before.status)) {
      throw new AppError(
        'conflict',
        'job_active',
        `job ${before.jobNumber} is ${before.status}; cancel it instead of deleting it`,
      );
    }
    await tx.delete(jobs).where(eq(jobs.id, id));
    await recordAudit(tx, actor, 'delete', 'job', id, before, null);
  });
}
