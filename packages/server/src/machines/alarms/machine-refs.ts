import { boolean, integer, pgTable, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

// Read-only views of the machines registry and status tables (migration 0009) with only the
// columns alarms need; the machines module owns and writes them.
export const machinesRef = pgTable('machines', {
  id: uuid('id').primaryKey(),
  code: varchar('code', { length: 50 }).notNull(),
  name: varchar('name', { length: 200 }).notNull(),
  workCenterId: varchar('work_center_id', { length: 50 }),
  departmentId: varchar('department_id', { length: 50 }).notNull(),
  enabled: boolean('enabled').notNull(),
});

export const machineStatusRef = pgTable('machine_status', {
  machineId: uuid('machine_id').primaryKey(),
  state: varchar('state', { length: 10 }).notNull(),
  since: timestamp('since', { withTimezone: true }).notNull(),
  activeAlarms: integer('active_alarms').notNull(),
});
