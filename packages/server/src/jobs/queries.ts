import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { jobRoutings, parts } from './tables.js';

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

/** One routing step row, or undefined. */
export async function routingStepById(db: Db, id: string) {
  return (await db.select().from(jobRoutings).where(eq(jobRoutings.id, id)).limit(1))[0];
}

// Machine types are the shop's; re-exported because job validation has always read them from here.
export { workCenterTypes } from '../shop/queries.js';
