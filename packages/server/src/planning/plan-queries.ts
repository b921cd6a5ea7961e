import { desc, eq } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { notFound } from '../platform/errors.js';
import { plans, planSlots } from './plan-tables.js';

/** The newest plans, optionally of one status. */
export async function listPlans(db: Db, filter: { status?: string; limit?: number }) {
  return db
    .select()
    .from(plans)
    .where(filter.status ? eq(plans.status, filter.status) : undefined)
    .orderBy(desc(plans.createdAt))
    .limit(filter.limit ?? 20);
}

/** One plan with its slots in time order; 404 when unknown. */
export async function getPlan(db: Db, id: string) {
  const plan = (await db.select().from(plans).where(eq(plans.id, id)).limit(1))[0];
  if (!plan) throw notFound('plan', id);
  const slots = await db.select().from(planSlots).where(eq(planSlots.planId, id)).orderBy(planSlots.plannedStart);
  return { ...plan, slots };
}
