import { jsonb, pgTable, text, varchar } from 'drizzle-orm/pg-core';
import { rowMeta } from '../platform/row-meta.js';

/** A supervisor's manual queue order for one work center (migration 0003). */
export const dispatchQueueOrders = pgTable('dispatch_queue_orders', {
  workCenterId: varchar('work_center_id', { length: 50 }).primaryKey(),
  slotIds: jsonb('slot_ids').$type<string[]>().notNull(),
  /** slot id -> slot version when the order was set: a changed or new slot ends the override */
  slotVersions: jsonb('slot_versions').$type<Record<string, number>>().notNull(),
  reason: text('reason').notNull(),
  setBy: varchar('set_by', { length: 200 }).notNull(),
  ...rowMeta,
});
