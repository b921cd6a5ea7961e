import { boolean, integer, jsonb, pgTable, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { rowMeta } from '../../platform/row-meta.js';

/** One alarm occurrence of a machine (migration 0010); at most one open row per (machine, code). */
export const machineAlarms = pgTable('machine_alarms', {
  id: uuid('id').primaryKey().defaultRandom(),
  machineId: uuid('machine_id').notNull(),
  code: varchar('code', { length: 200 }).notNull(),
  severity: varchar('severity', { length: 10 }).$type<'fault' | 'warning'>().notNull(),
  message: text('message').notNull().default(''),
  source: varchar('source', { length: 200 }).notNull(),
  raisedAt: timestamp('raised_at', { withTimezone: true }).notNull(),
  acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
  acknowledgedBy: varchar('acknowledged_by', { length: 200 }),
  clearedAt: timestamp('cleared_at', { withTimezone: true }),
  ...rowMeta,
});

export type AlarmRuleKind = 'machine_down' | 'bottleneck_fault';

export const alarmRules = pgTable('alarm_rules', {
  id: varchar('id', { length: 50 }).primaryKey(),
  kind: varchar('kind', { length: 30 }).$type<AlarmRuleKind>().notNull(),
  name: varchar('name', { length: 200 }).notNull(),
  enabled: boolean('enabled').notNull().default(true),
  thresholdMinutes: integer('threshold_minutes').notNull().default(0),
  notifyRoles: jsonb('notify_roles').$type<string[]>().notNull(),
  ...rowMeta,
});

export const alarmRuleFirings = pgTable('alarm_rule_firings', {
  id: uuid('id').primaryKey().defaultRandom(),
  ruleId: varchar('rule_id', { length: 50 }).notNull(),
  machineId: uuid('machine_id').notNull(),
  conditionSince: timestamp('condition_since', { withTimezone: true }).notNull(),
  firedAt: timestamp('fired_at', { withTimezone: true }).notNull(),
  resolvedAt: timestamp('resolved_at', { withTimezone: true }),
});

export type ReplanReason = 'machine_down' | 'machine_back';

export const replanSuggestions = pgTable('replan_suggestions', {
  id: uuid('id').primaryKey().defaultRandom(),
  workCenterId: varchar('work_center_id', { length: 50 }).notNull(),
  machineId: uuid('machine_id'),
  reason: varchar('reason', { length: 20 }).$type<ReplanReason>().notNull(),
  since: timestamp('since', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  closedBy: varchar('closed_by', { length: 200 }),
  closeReason: varchar('close_reason', { length: 20 }).$type<'dismissed' | 'superseded'>(),
});
