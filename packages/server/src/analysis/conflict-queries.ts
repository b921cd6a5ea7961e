import { and, eq, inArray, lt, ne, notInArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { jobRoutings, jobs, materials, parts } from '../jobs/tables.js';
import { scheduleSlots } from '../planning/tables.js';
import type { Db } from '../platform/db.js';
import { workCenters } from '../shop/tables.js';
import { CLOSED_SLOT_STATUSES } from './model.js';

/**
 * Every pair of active slots on one work center whose [start, end) intervals intersect, each
 * pair once. A self-join rather than lead(): lead() only compares neighbours and would miss a
 * long slot that covers two later ones.
 */
export async function overlappingSlotPairs(db: Db): Promise<Array<{ firstId: string; secondId: string }>> {
  const other = alias(scheduleSlots, 'other');
  return db
    .select({ firstId: scheduleSlots.id, secondId: other.id })
    .from(scheduleSlots)
    .innerJoin(
      other,
      and(
        eq(other.workCenterId, scheduleSlots.workCenterId),
        ne(other.id, scheduleSlots.id),
        // order each pair by (start, id) so it is reported once, earlier slot first
        sql`(${scheduleSlots.plannedStart}, ${scheduleSlots.id}) < (${other.plannedStart}, ${other.id})`,
        lt(other.plannedStart, scheduleSlots.plannedEnd),
        lt(scheduleSlots.plannedStart, other.plannedEnd),
      ),
    )
    .where(and(notInArray(scheduleSlots.status, CLOSED_SLOT_STATUSES), notInArray(other.status, CLOSED_SLOT_STATUSES)));
}

/** Active slots on a work center whose machine type differs from the type the routing step needs. */
export async function wrongTypeSlots(
  db: Db,
): Promise<Array<{ slotId: string; machineType: string; neededType: string }>> {
  return db
    .select({ slotId: scheduleSlots.id, machineType: workCenters.machineType, neededType: jobRoutings.workCenterType })
    .from(scheduleSlots)
    .innerJoin(jobRoutings, eq(jobRoutings.id, scheduleSlots.routingId))
    .innerJoin(workCenters, eq(workCenters.id, scheduleSlots.workCenterId))
    .where(
      and(
        notInArray(scheduleSlots.status, CLOSED_SLOT_STATUSES),
        ne(workCenters.machineType, jobRoutings.workCenterType),
      ),
    );
}

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
