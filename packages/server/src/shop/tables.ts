import { boolean, date, integer, jsonb, numeric, pgTable, text, time, uuid, varchar } from 'drizzle-orm/pg-core';
import { rowMeta } from '../platform/row-meta.js';

export const departments = pgTable('departments', {
  id: varchar('id', { length: 50 }).primaryKey(),
  name: varchar('name', { length: 200 }).notNull(),
  description: text('description'),
  ...rowMeta,
});

export const workCenters = pgTable('work_centers', {
  id: varchar('id', { length: 50 }).primaryKey(),
  name: varchar('name', { length: 200 }).notNull(),
  departmentId: varchar('department_id', { length: 50 }).notNull(),
  machineType: varchar('machine_type', { length: 100 }).notNull(),
  capacityMinutesPerShift: integer('capacity_minutes_per_shift').notNull().default(480),
  efficiencyFactor: numeric('efficiency_factor', { precision: 3, scale: 2, mode: 'number' }).notNull().default(0.85),
  setupCategory: varchar('setup_category', { length: 50 }),
  isBottleneck: boolean('is_bottleneck').notNull().default(false),
  isActive: boolean('is_active').notNull().default(true),
  iotDeviceId: varchar('iot_device_id', { length: 100 }),
  sigmanestMachineId: varchar('sigmanest_machine_id', { length: 100 }),
  ...rowMeta,
});

export const shiftCalendars = pgTable('shift_calendars', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: varchar('name', { length: 100 }).notNull(),
  workCenterId: varchar('work_center_id', { length: 50 }).notNull(),
  dayOfWeek: integer('day_of_week').notNull(),
  shiftNumber: integer('shift_number').notNull(),
  startTime: time('start_time').notNull(),
  endTime: time('end_time').notNull(),
  isActive: boolean('is_active').notNull().default(true),
  /** local wall-clock spans the shift does not work (migration 0017) */
  breaks: jsonb('breaks').$type<Array<{ start: string; end: string }>>().notNull().default([]),
  ...rowMeta,
});

export const calendarExceptions = pgTable('calendar_exceptions', {
  id: uuid('id').primaryKey().defaultRandom(),
  workCenterId: varchar('work_center_id', { length: 50 }),
  exceptionDate: date('exception_date', { mode: 'string' }).notNull(),
  exceptionType: varchar('exception_type', { length: 20 }).notNull(),
  description: text('description'),
  ...rowMeta,
});
