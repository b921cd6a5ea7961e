import { eq } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { recordAudit } from '../auth/audit.js';
import { notifyCrew } from '../notifications/crew-notices.js';
import type { Db } from '../platform/db.js';
import { AppError, invalid, notFound } from '../platform/errors.js';
import type { EventBus } from '../platform/events.js';
import { queueSlots, workCenterRow } from './queue-queries.js';
import { dispatchQueueOrders } from './tables.js';

const ENTITY = 'dispatch_queue_order';

export interface QueueOrderInput {
  slotIds: string[];
  reason: string;
}

function publicOrder(row: typeof dispatchQueueOrders.$inferSelect) {
  return {
    workCenterId: row.workCenterId,
    slotIds: row.slotIds,
    reason: row.reason,
    setBy: row.setBy,
    setAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}

/**
 * Stores a supervisor's order for a work center's queue (PUT .../queue-order). The listed
 * slots go first in the given order, the rest follow the plan. Every listed slot must be
 * waiting in this queue now: a running slot is already first, and a slot elsewhere or closed
 * means the caller's view is out of date (409). The versions of all waiting slots are kept,
 * so the order lapses by itself when the queue changes under it. Audited.
 */
export async function setQueueOrder(
  db: Db,
  events: EventBus,
  actor: Actor,
  workCenterId: string,
  input: QueueOrderInput,
) {
  const seen = new Map<string, number>();
  input.slotIds.forEach((id, i) => {
    const first = seen.get(id);
    if (first !== undefined)
      throw invalid(`slotIds[${i}]`, `slot ${id} is listed twice (also at slotIds[${first}])`, 'duplicate_slot');
    seen.set(id, i);
  });
  return db.transaction(async (tx) => {
    const wc = await workCenterRow(tx, workCenterId);
    if (!wc) throw notFound('work center', workCenterId);
    const rows = await queueSlots(tx, workCenterId);
    const waiting = new Map(rows.filter((r) => r.status !== 'in_progress').map((r) => [r.slotId, r]));
    input.slotIds.forEach((id, i) => {
      if (waiting.has(id)) return;
      const running = rows.some((r) => r.slotId === id);
      throw new AppError(
        'conflict',
        running ? 'slot_running' : 'not_in_queue',
        running
          ? `slotIds[${i}]: slot ${id} is already running on ${workCenterId}; list only waiting work`
          : `slotIds[${i}]: slot ${id} is not waiting in the queue of ${workCenterId} (another center, finished, cancelled or unknown); reload the queue`,
        `slotIds[${i}]`,
      );
    });
    const slotVersions = Object.fromEntries([...waiting.values()].map((r) => [r.slotId, r.version]));
    const before = (
      await tx
        .select()
        .from(dispatchQueueOrders)
        .where(eq(dispatchQueueOrders.workCenterId, workCenterId))
        .for('update')
        .limit(1)
    )[0];
    const values = {
      slotIds: input.slotIds,
      slotVersions,
      reason: input.reason,
      setBy: actor.name,
      updatedAt: new Date(),
    };
    const after = (
      await tx
        .insert(dispatchQueueOrders)
        .values({ workCenterId, ...values })
        .onConflictDoUpdate({
          target: dispatchQueueOrders.workCenterId,
          set: { ...values, version: (before?.version ?? 0) + 1 },
        })
        .returning()
    )[0]!;
    await recordAudit(
      tx,
      actor,
      before ? 'update' : 'create',
      ENTITY,
      workCenterId,
      before ? publicOrder(before) : null,
      publicOrder(after),
    );
    // The operators at this center's tablets work from this queue: they hear of the new order.
    await notifyCrew(tx, events, workCenterId, {
      kind: 'queue-changed',
      title: `New order for the ${workCenterId} queue`,
      body: `${actor.name}: ${input.reason}`,
      link: '/floor',
    });
    return publicOrder(after);
  });
}

/** Removes the manual order (DELETE .../queue-order); the queue follows the plan again. */
export async function clearQueueOrder(db: Db, actor: Actor, workCenterId: string) {
  return db.transaction(async (tx) => {
    const wc = await workCenterRow(tx, workCenterId);
    if (!wc) throw notFound('work center', workCenterId);
    const removed = await tx
      .delete(dispatchQueueOrders)
      .where(eq(dispatchQueueOrders.workCenterId, workCenterId))
      .returning();
    const before = removed[0];
    if (before) await recordAudit(tx, actor, 'delete', ENTITY, workCenterId, publicOrder(before), null);
    return { workCenterId, cleared: before !== undefined };
  });
}
