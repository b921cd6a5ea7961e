import { asc, count, eq, inArray } from 'drizzle-orm';
import { QueryBuilder } from 'drizzle-orm/pg-core';
import type { Db } from '../platform/db.js';
import { departments, shiftCalendars, workCenters } from './tables.js';

/** Reads of the shop floor for other modules, which never import shop/tables.ts themselves. */

export type WorkCenterRow = typeof workCenters.$inferSelect;

/** Every work center, ordered by id. */
export async function allWorkCenters(db: Db): Promise<WorkCenterRow[]> {
  return db.select().from(workCenters).orderBy(asc(workCenters.id));
}

export async function workCentersByIds(db: Db, ids: string[]): Promise<WorkCenterRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(workCenters).where(inArray(workCenters.id, ids)).orderBy(asc(workCenters.id));
}

export async function workCenterCount(db: Db): Promise<number> {
  return Number((await db.select({ n: count() }).from(workCenters))[0]?.n ?? 0);
}

export async function workCenterById(db: Db, id: string): Promise<WorkCenterRow | undefined> {
  return (await db.select().from(workCenters).where(eq(workCenters.id, id)).limit(1))[0];
}

export async function departmentNames(db: Db): Promise<Map<string, string>> {
  const rows = await db.select({ id: departments.id, name: departments.name }).from(departments);
  return new Map(rows.map((d) => [d.id, d.name]));
}

/** Shift rules with their names and numbers, for reports that show individual shifts. */
export async function namedShiftRules(db: Db) {
  return db
    .select({
      workCenterId: shiftCalendars.workCenterId,
      name: shiftCalendars.name,
      dayOfWeek: shiftCalendars.dayOfWeek,
      shiftNumber: shiftCalendars.shiftNumber,
      startTime: shiftCalendars.startTime,
      endTime: shiftCalendars.endTime,
      isActive: shiftCalendars.isActive,
      breaks: shiftCalendars.breaks,
    })
    .from(shiftCalendars)
    .orderBy(asc(shiftCalendars.workCenterId), asc(shiftCalendars.dayOfWeek), asc(shiftCalendars.shiftNumber));
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

/** Work center id and bottleneck flag as a subquery, for modules that join it to their rows. */
export const workCenterFlags = new QueryBuilder()
  .select({ id: workCenters.id, isBottleneck: workCenters.isBottleneck })
  .from(workCenters)
  .as('work_center_flags');

/** The given departments that exist. */
export async function existingDepartmentIds(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.select({ id: departments.id }).from(departments).where(inArray(departments.id, ids));
  return new Set(rows.map((r) => r.id));
}

/** Current versions of the given work centers (absent ones are new). */
export async function workCenterVersions(db: Db, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: workCenters.id, version: workCenters.version })
    .from(workCenters)
    .where(inArray(workCenters.id, ids));
  return new Map(rows.map((r) => [r.id, r.version]));
}
