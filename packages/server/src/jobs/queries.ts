import { asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { customers, jobRoutings, jobs, materials, parts } from './tables.js';

export async function partsOfJob(db: Db, jobId: string) {
  return db
    .select({
      id: parts.id,
      partNumber: parts.partNumber,
      revision: parts.revision,
      quantity: parts.quantity,
      materialCode: parts.materialCode,
      thickness: parts.thickness,
      dxfPath: parts.dxfPath,
      grainDirection: parts.grainDirection,
    })
    .from(parts)
    .where(eq(parts.jobId, jobId))
    .orderBy(asc(parts.partNumber));
}

export async function routingsOfJob(db: Db, jobId: string) {
  const rows = await db
    .select()
    .from(jobRoutings)
    .where(eq(jobRoutings.jobId, jobId))
    .orderBy(asc(jobRoutings.sequence));
  const seqOf = new Map(rows.map((r) => [r.id, r.sequence]));
  return rows.map((r) => ({
    id: r.id,
    sequence: r.sequence,
    operationCode: r.operationCode,
    workCenterType: r.workCenterType,
    preferredWorkCenterId: r.preferredWorkCenterId,
    setupMinutes: r.setupMinutes,
    runMinutesPerUnit: r.runMinutesPerUnit,
    quantity: r.quantity,
    totalMinutes: r.totalMinutes ?? r.setupMinutes + r.runMinutesPerUnit * r.quantity,
    setupCategory: r.setupCategory,
    dependencies: r.dependencies,
    dependsOn: r.dependencies.map((d) => seqOf.get(d)).filter((s): s is number => s !== undefined),
    notes: r.notes,
    version: r.version,
  }));
}

/** Jobs in the given statuses, by due date then number (what a plan run schedules). */
export async function jobsInStatuses(db: Db, statuses: readonly string[]) {
  return db
    .select({ id: jobs.id, jobNumber: jobs.jobNumber, dueDate: jobs.dueDate, priority: jobs.priority })
    .from(jobs)
    .where(inArray(jobs.status, [...statuses]))
    .orderBy(jobs.dueDate, jobs.jobNumber);
}

export async function jobDueDates(db: Db, jobIds: string[]) {
  if (jobIds.length === 0) return [];
  return db
    .select({ id: jobs.id, jobNumber: jobs.jobNumber, dueDate: jobs.dueDate })
    .from(jobs)
    .where(inArray(jobs.id, jobIds));
}

/** The steps of the given jobs with what a planner needs, by job then sequence. */
export async function stepsOfJobs(db: Db, jobIds: string[]) {
  if (jobIds.length === 0) return [];
  return db
    .select({
      id: jobRoutings.id,
      jobId: jobRoutings.jobId,
      sequence: jobRoutings.sequence,
      workCenterType: jobRoutings.workCenterType,
      setupMinutes: jobRoutings.setupMinutes,
      runMinutesPerUnit: jobRoutings.runMinutesPerUnit,
      quantity: jobRoutings.quantity,
      setupCategory: jobRoutings.setupCategory,
      dependencies: jobRoutings.dependencies,
    })
    .from(jobRoutings)
    .where(inArray(jobRoutings.jobId, jobIds))
    .orderBy(jobRoutings.jobId, jobRoutings.sequence);
}

export async function jobCount(db: Db): Promise<number> {
  return Number((await db.select({ n: count() }).from(jobs))[0]?.n ?? 0);
}

/** Customer ids by code, for the given codes that exist. */
export async function customerIdsByCode(db: Db, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .select({ id: customers.id, code: customers.code })
    .from(customers)
    .where(inArray(customers.code, codes));
  return new Map(rows.map((r) => [r.code, r.id]));
}

export async function customerCodeById(db: Db, id: string): Promise<string | null> {
  return (
    (await db.select({ code: customers.code }).from(customers).where(eq(customers.id, id)).limit(1))[0]?.code ?? null
  );
}

export async function materialById(db: Db, id: string) {
  return (await db.select().from(materials).where(eq(materials.id, id)).limit(1))[0];
}

/** The given job numbers that are taken. */
export async function existingJobNumbers(db: Db, numbers: string[]): Promise<Set<string>> {
  if (numbers.length === 0) return new Set();
  const rows = await db.select({ n: jobs.jobNumber }).from(jobs).where(inArray(jobs.jobNumber, numbers));
  return new Set(rows.map((r) => r.n));
}

/** The id of the job with this number, or null. */
export async function jobIdByNumber(db: Db, jobNumber: string): Promise<string | null> {
  return (await db.select({ id: jobs.id }).from(jobs).where(eq(jobs.jobNumber, jobNumber)).limit(1))[0]?.id ?? null;
}

/** One routing step row, or undefined. */
export async function routingStepById(db: Db, id: string) {
  return (await db.select().from(jobRoutings).where(eq(jobRoutings.id, id)).limit(1))[0];
}

// Machine types are the shop's; re-exported because job validation has always read them from here.
export { workCenterTypes } from '../shop/queries.js';

/** Jobs whose material has not been cut yet: nothing is in progress, so all their parts still need sheets. */
export const MATERIAL_JOB_STATUSES = ['planned', 'released'];

export interface MaterialDemandRow {
  jobId: string;
  jobNumber: string;
  materialCode: string;
  thickness: number;
  parts: number;
}

/** Parts demand per job, material code and thickness for planned and released jobs. */
export async function materialDemand(db: Db): Promise<MaterialDemandRow[]> {
  const rows = await db
    .select({
      jobId: jobs.id,
      jobNumber: jobs.jobNumber,
      materialCode: parts.materialCode,
      thickness: parts.thickness,
      parts: sql<string>`sum(${parts.quantity})`,
    })
    .from(parts)
    .innerJoin(jobs, eq(jobs.id, parts.jobId))
    .where(inArray(jobs.status, MATERIAL_JOB_STATUSES))
    .groupBy(jobs.id, jobs.jobNumber, parts.materialCode, parts.thickness)
    .orderBy(parts.materialCode, parts.thickness, jobs.jobNumber);
  return rows.map((r) => ({ ...r, thickness: Number(r.thickness), parts: Number(r.parts) }));
}

/** Sheets in stock per material code and thickness, over every size and location. */
export async function materialStock(
  db: Db,
): Promise<Array<{ code: string; thickness: number; sheets: number; rows: number }>> {
  const rows = await db
    .select({
      code: materials.code,
      thickness: materials.thickness,
      sheets: sql<string>`sum(${materials.quantity})`,
      rows: sql<string>`count(*)`,
    })
    .from(materials)
    .groupBy(materials.code, materials.thickness);
  return rows.map((r) => ({
    code: r.code,
    thickness: Number(r.thickness),
    sheets: Number(r.sheets),
    rows: Number(r.rows),
  }));
}

/** What a floor queue card shows of its jobs: notes, and each part's material and drawing. */
export async function floorJobDetails(db: Db, jobIds: string[]) {
  if (jobIds.length === 0) return { jobs: [], parts: [], steps: [] };
  const [jobRows, partRows, stepRows] = [
    await db
      .select({ id: jobs.id, notes: jobs.notes, quantity: jobs.quantity })
      .from(jobs)
      .where(inArray(jobs.id, jobIds)),
    await db
      .select({
        jobId: parts.jobId,
        partNumber: parts.partNumber,
        revision: parts.revision,
        quantity: parts.quantity,
        materialCode: parts.materialCode,
        thickness: parts.thickness,
        dxfPath: parts.dxfPath,
      })
      .from(parts)
      .where(inArray(parts.jobId, jobIds))
      .orderBy(parts.jobId, parts.partNumber),
    await db
      .select({
        id: jobRoutings.id,
        jobId: jobRoutings.jobId,
        sequence: jobRoutings.sequence,
        operationCode: jobRoutings.operationCode,
        workCenterType: jobRoutings.workCenterType,
        preferredWorkCenterId: jobRoutings.preferredWorkCenterId,
        quantity: jobRoutings.quantity,
        dependencies: jobRoutings.dependencies,
        notes: jobRoutings.notes,
        version: jobRoutings.version,
      })
      .from(jobRoutings)
      .where(inArray(jobRoutings.jobId, jobIds))
      .orderBy(jobRoutings.jobId, jobRoutings.sequence),
  ];
  return { jobs: jobRows, parts: partRows, steps: stepRows };
}
