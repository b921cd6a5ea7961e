import { eq } from 'drizzle-orm';
import { readScheduleSlots, SLOT_STATUS_CLASSES } from '../planning/schedule-reads.js';
import type { Db } from '../platform/db.js';
import { workCenterById } from '../shop/queries.js';
import { dispatchQueueOrders } from './tables.js';

/** Slot statuses that make up a work center's queue: the open ones (in_progress is the running one). */
export const QUEUE_STATUSES: readonly string[] = SLOT_STATUS_CLASSES.open;

export async function workCenterRow(db: Db, id: string) {
  const wc = await workCenterById(db, id);
  return wc && { id: wc.id, name: wc.name, isActive: wc.isActive, efficiencyFactor: wc.efficiencyFactor };
}

/** Every open slot on the work center with its step, job and customer. */
export async function queueSlots(db: Db, workCenterId: string) {
  const rows = await readScheduleSlots(db, { statusClass: 'open', workCenterId });
  return rows.map(({ id, ...r }) => ({ ...r, slotId: id }));
}

export type QueueSlotRow = Awaited<ReturnType<typeof queueSlots>>[number];

// Step progress is the schedule's: planning answers it for the queue.
export { remainingWork, stepStates, type StepStateRow } from '../planning/step-progress.js';

export async function queueOrderRow(db: Db, workCenterId: string) {
  return (
    await db.select().from(dispatchQueueOrders).where(eq(dispatchQueueOrders.workCenterId, workCenterId)).limit(1)
  )[0];
}

export type QueueOrderRow = NonNullable<Awaited<ReturnType<typeof queueOrderRow>>>;
