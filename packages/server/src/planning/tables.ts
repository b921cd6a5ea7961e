import { pgTable, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { rowMeta } from '../platform/row-meta.js';

export const scheduleSlots = pgTable('schedule_slots', {
  id: uuid('id').primaryKey().defaultRandom(),
  routingId: uuid('routing_id').notNull(),
  workCenterId: varchar('work_center_id', { length: 50 }).notNull(),
  plannedStart: timestamp('planned_start', { withTimezone: true }).notNull(),
  plannedEnd: timestamp('planned_end', { withTimezone: true }).notNull(),
  actualStart: timestamp('actual_start', { withTimezone: true }),
  actualEnd: timestamp('actual_end', { withTimezone: true }),
  status: varchar('status', { length: 20 }).notNull().default('scheduled'),
  operatorId: uuid('operator_id'),
  delayReason: varchar('delay_reason', { length: 100 }),
  notes: text('notes'),
  ...rowMeta,
});
