import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { recordAudit } from '../auth/audit.js';
import type { Db } from '../platform/db.js';
import type { EventBus } from '../platform/events.js';
import { SLOT_STATUS_CLASSES } from './schedule-reads.js';
import { scheduleSlots } from './tables.js';

export type SlotProgress = { kind: 'started'; at: Date } | { kind: 'finished'; at: Date; startedAt: Date };

/**
 * What the floor reported, written onto the operation's schedule slot in the caller's
 * transaction: started -> in_progress with its actual start; finished -> complete with its
 * actual start and end. The planned times stay, so the planner shows actual against plan.
 * Answers the slot changed, or null when the step has no open slot (unscheduled work, or a
 * slot cancelled since: the floor still records the work).
 */
export async function recordSlotProgress(tx: Db, events: EventBus, actor: Actor, routingId: string, p: SlotProgress) {
  const slot = (
    await tx
      .select()
      .from(scheduleSlots)
      .where(and(eq(scheduleSlots.routingId, routingId), inArray(scheduleSlots.status, [...SLOT_STATUS_CLASSES.open])))
      .orderBy(asc(scheduleSlots.plannedStart))
      .limit(1)
      .for('update')
  )[0];
  if (!slot) return null;
  const set =
    p.kind === 'started'
      ? { status: 'in_progress', actualStart: slot.actualStart ?? p.at }
      : { status: 'complete', actualStart: slot.actualStart ?? p.startedAt, actualEnd: p.at };
  const after = (
    await tx
      .update(scheduleSlots)
      .set({ ...set, version: sql`${scheduleSlots.version} + 1`, updatedAt: new Date() })
      .where(eq(scheduleSlots.id, slot.id))
      .returning()
  )[0]!;
  await recordAudit(tx, actor, 'update', 'schedule_slot', slot.id, slot, after);
  await events.record(tx, {
    type: 'slot.changed',
    slotId: slot.id,
    action: p.kind === 'started' ? 'start' : 'complete',
  });
  return after;
}

/** The slot statuses of the given steps' latest slots (a floor conflict check: cancelled?). */
export async function latestSlotStatuses(db: Db, routingIds: string[]) {
  if (routingIds.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ routingId: scheduleSlots.routingId, status: scheduleSlots.status })
    .from(scheduleSlots)
    .where(inArray(scheduleSlots.routingId, routingIds))
    .orderBy(asc(scheduleSlots.updatedAt));
  return new Map(rows.map((r) => [r.routingId, r.status]));
}
