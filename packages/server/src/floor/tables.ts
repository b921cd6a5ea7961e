import { boolean, integer, pgTable, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

/** Reason codes operators pick: pause, scrap, overrun, downtime (a tree), quality, material. */
export const floorReasons = pgTable('floor_reasons', {
  code: varchar('code', { length: 50 }).primaryKey(),
  kind: varchar('kind', { length: 20 }).notNull(),
  label: varchar('label', { length: 200 }).notNull(),
  parentCode: varchar('parent_code', { length: 50 }),
  isActive: boolean('is_active').notNull().default(true),
});

/** Every transaction received, with its outcome: the ledger that makes a resend a no-op. */
export const floorTransactions = pgTable('floor_transactions', {
  id: uuid('id').primaryKey(),
  deviceId: varchar('device_id', { length: 100 }).notNull(),
  seq: integer('seq').notNull(),
  type: varchar('type', { length: 20 }).notNull(),
  operationId: uuid('operation_id'),
  employeeId: uuid('employee_id'),
  stationId: uuid('station_id'),
  sentBy: varchar('sent_by', { length: 100 }).notNull(),
  clientAt: timestamp('client_at', { withTimezone: true }),
  at: timestamp('at', { withTimezone: true }),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  good: integer('good'),
  scrap: integer('scrap'),
  reason: varchar('reason', { length: 50 }),
  status: varchar('status', { length: 12 }).notNull(),
  message: text('message'),
  field: varchar('field', { length: 50 }),
});

/** The progress of one operation (routing step) as the floor reported it. */
export const floorOperations = pgTable('floor_operations', {
  routingId: uuid('routing_id').primaryKey(),
  status: varchar('status', { length: 12 }).notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  good: integer('good').notNull().default(0),
  scrap: integer('scrap').notNull().default(0),
  pauseReason: varchar('pause_reason', { length: 50 }),
  overrunReason: varchar('overrun_reason', { length: 50 }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One operator working on one operation from started_at to ended_at (open while working). */
export const floorLabor = pgTable('floor_labor', {
  id: uuid('id').primaryKey().defaultRandom(),
  routingId: uuid('routing_id').notNull(),
  employeeId: uuid('employee_id').notNull(),
  stationId: uuid('station_id'),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  endedAt: timestamp('ended_at', { withTimezone: true }),
});

/** Attendance, apart from job time: clock in, clock out (closed at shift end when forgotten). */
export const floorAttendance = pgTable('floor_attendance', {
  id: uuid('id').primaryKey().defaultRandom(),
  employeeId: uuid('employee_id').notNull(),
  clockIn: timestamp('clock_in', { withTimezone: true }).notNull(),
  clockOut: timestamp('clock_out', { withTimezone: true }),
  autoClosed: boolean('auto_closed').notNull().default(false),
});
