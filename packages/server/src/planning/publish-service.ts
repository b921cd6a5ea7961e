import { and, eq, inArray, notInArray } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { recordAudit } from '../auth/audit.js';
import type { Db } from '../platform/db.js';
import { AppError, notFound, staleVersion } from '../platform/errors.js';
import type { EventBus } from '../platform/events.js';
import { plans, planSlots } from './plan-tables.js';
import { scheduleSlots } from './tables.js';

const STARTED = ['in_progress', 'complete'];

/**
 * Makes a valid draft the plan the floor follows, in one transaction: the previous published plan
 * is superseded, open schedule slots of the planned steps are replaced by the draft's, and work
 * that has started since the run keeps its slot. Audited.
 */
export async function publishPlan(db: Db, events: EventBus, actor: Actor, planId: string, version: number) {
  const result = await db.transaction(async (tx) => {
    const plan = (await tx.select().from(plans).where(eq(plans.id, planId)).for('update').limit(1))[0];
    if (!plan) throw notFound('plan', planId);
    if (plan.version !== version) throw staleVersion('plan', planId, version);
    if (plan.status !== 'draft')
      throw new AppError('conflict', 'not_draft', `plan ${planId} is ${plan.status}; only drafts can be published`);
    if (!plan.valid) {
      throw new AppError(
        'conflict',
        'invalid_plan',
        `plan ${planId} failed validation (${plan.violations.length} violations) and cannot be published`,
      );
    }
    const slots = await tx.select().from(planSlots).where(eq(planSlots.planId, planId));
    const routingIds = slots.map((s) => s.routingId);
    const started = routingIds.length
      ? await tx
          .select({ routingId: scheduleSlots.routingId, status: scheduleSlots.status })
          .from(scheduleSlots)
          .where(and(inArray(scheduleSlots.routingId, routingIds), inArray(scheduleSlots.status, STARTED)))
      : [];
    const startedSet = new Set(started.map((s) => s.routingId));
    const movable = slots.filter((s) => !startedSet.has(s.routingId));
    const replaced = movable.length
      ? await tx
          .delete(scheduleSlots)
          .where(
            and(
              inArray(
                scheduleSlots.routingId,
                movable.map((s) => s.routingId),
              ),
              notInArray(scheduleSlots.status, STARTED),
            ),
          )
          .returning({ id: scheduleSlots.id })
      : [];
    for (let i = 0; i < movable.length; i += 1000) {
      await tx.insert(scheduleSlots).values(
        movable.slice(i, i + 1000).map((s) => ({
          routingId: s.routingId,
          workCenterId: s.workCenterId,
          plannedStart: s.plannedStart,
          plannedEnd: s.plannedEnd,
          status: 'scheduled',
        })),
      );
    }
    await tx.update(plans).set({ status: 'superseded', updatedAt: new Date() }).where(eq(plans.status, 'published'));
    const after = (
      await tx
        .update(plans)
        .set({
          status: 'published',
          publishedAt: new Date(),
          publishedBy: actor.name,
          version: version + 1,
          updatedAt: new Date(),
        })
        .where(eq(plans.id, planId))
        .returning()
    )[0]!;
    const summary = { slotsWritten: movable.length, slotsReplaced: replaced.length, keptStarted: startedSet.size };
    await recordAudit(
      tx,
      actor,
      'publish',
      'plan',
      planId,
      { status: plan.status },
      { status: 'published', ...summary },
    );
    await events.record(tx, { type: 'plan.published', planId, slots: movable.length });
    return { plan: after, ...summary };
  });
  return result;
}

export async function discardPlan(db: Db, actor: Actor, planId: string, version: number) {
  return db.transaction(async (tx) => {
    const plan = (await tx.select().from(plans).where(eq(plans.id, planId)).for('update').limit(1))[0];
    if (!plan) throw notFound('plan', planId);
    if (plan.version !== version) throw staleVersion('plan', planId, version);
    if (plan.status !== 'draft')
      throw new AppError('conflict', 'not_draft', `plan ${planId} is ${plan.status}; only drafts can be discarded`);
    const after = (
      await tx
        .update(plans)
        .set({ status: 'discarded', version: version + 1, updatedAt: new Date() })
        .where(eq(plans.id, planId))
        .returning()
    )[0]!;
    await recordAudit(tx, actor, 'discard', 'plan', planId, { status: 'draft' }, { status: 'discarded' });
    return after;
  });
}
