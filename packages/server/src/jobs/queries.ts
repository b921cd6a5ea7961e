import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { workCenters } from '../shop/tables.js';
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

/** machine types of the given work centers, and the set of types any center has */
export async function workCenterTypes(db: Db, ids: string[]) {
  const byId = new Map<string, string>();
  if (ids.length > 0) {
    const rows = await db
      .select({ id: workCenters.id, machineType: workCenters.machineType })
      .from(workCenters)
      .where(inArray(workCenters.id, ids));
    for (const r of rows) byId.set(r.id, r.machineType);
  }
  const all = await db.selectDistinct({ machineType: workCenters.machineType }).from(workCenters);
  return { byId, types: new Set(all.map((r) => r.machineType)) };
}
