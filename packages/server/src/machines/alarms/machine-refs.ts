import { pgTable, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { machines } from '../tables.js';

/** The machines registry (migration 0009); alarms only read it. */
export const machinesRef = machines;

// Read-only view of the status table with the columns the rules need; the ingest writes it.
export const machineStatusRef = pgTable('machine_status', {
  machineId: uuid('machine_id').primaryKey(),
  state: varchar('state', { length: 10 }).notNull(),
  since: timestamp('since', { withTimezone: true }).notNull(),
});
