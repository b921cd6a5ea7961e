import {
  boolean,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import type { ScenarioChange } from './scenario-changes.js';
import { rowMeta } from '../platform/row-meta.js';

export interface StoredViolation {
  kind: string;
  message: string;
  routingId?: string;
}

export const plans = pgTable('plans', {
  id: uuid('id').primaryKey().defaultRandom(),
  status: varchar('status', { length: 20 }).notNull().default('draft'),
  objective: varchar('objective', { length: 30 }).notNull(),
  timeZero: timestamp('time_zero', { withTimezone: true }).notNull(),
  weightedTardiness: numeric('weighted_tardiness', { precision: 14, scale: 2, mode: 'number' }).notNull(),
  lateJobs: integer('late_jobs').notNull(),
  makespanEnd: timestamp('makespan_end', { withTimezone: true }),
  setupMinutes: integer('setup_minutes').notNull(),
  utilizationPct: numeric('utilization_pct', { precision: 5, scale: 2, mode: 'number' }),
  operations: integer('operations').notNull(),
  valid: boolean('valid').notNull(),
  violations: jsonb('violations').$type<StoredViolation[]>().notNull().default([]),
  createdBy: varchar('created_by', { length: 200 }),
  publishedBy: varchar('published_by', { length: 200 }),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  ...rowMeta,
});

export const planSlots = pgTable(
  'plan_slots',
  {
    planId: uuid('plan_id').notNull(),
    routingId: uuid('routing_id').notNull(),
    workCenterId: varchar('work_center_id', { length: 50 }).notNull(),
    setupStart: timestamp('setup_start', { withTimezone: true }).notNull(),
    plannedStart: timestamp('planned_start', { withTimezone: true }).notNull(),
    plannedEnd: timestamp('planned_end', { withTimezone: true }).notNull(),
    isFixed: boolean('is_fixed').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.planId, t.routingId] })],
);

export interface ProgressPoint {
  elapsedMs: number;
  bestObjective: number;
}

export const planRuns = pgTable('plan_runs', {
  id: uuid('id').primaryKey().defaultRandom(),
  status: varchar('status', { length: 20 }).notNull().default('running'),
  trigger: varchar('trigger', { length: 20 }).notNull().default('manual'),
  objective: varchar('objective', { length: 30 }).notNull(),
  timeLimitSeconds: integer('time_limit_seconds').notNull(),
  horizonDays: integer('horizon_days').notNull(),
  frozenMinutes: integer('frozen_minutes').notNull(),
  planId: uuid('plan_id'),
  progress: jsonb('progress').$type<ProgressPoint[]>().notNull().default([]),
  stats: jsonb('stats').$type<Record<string, unknown>>(),
  error: text('error'),
  requestedBy: varchar('requested_by', { length: 200 }),
  /** whom the per-user limit counts the run against (`${actor.type}:${actor.id}`) */
  requestedByKey: varchar('requested_by_key', { length: 250 }),
  seed: integer('seed'),
  queuedAt: timestamp('queued_at', { withTimezone: true }).notNull().defaultNow(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  /** the instance (INSTANCE_ID) whose worker runs it; it heartbeats while it solves */
  claimedBy: varchar('claimed_by', { length: 200 }),
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
  cancelRequestedAt: timestamp('cancel_requested_at', { withTimezone: true }),
});

export const scenarios = pgTable('scenarios', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: varchar('name', { length: 200 }).notNull(),
  status: varchar('status', { length: 20 }).notNull().default('running'),
  changes: jsonb('changes').$type<ScenarioChange[]>().notNull(),
  basePlanId: uuid('base_plan_id'),
  kpis: jsonb('kpis').$type<Record<string, unknown>>(),
  result: jsonb('result').$type<Record<string, unknown>>(),
  error: text('error'),
  createdBy: varchar('created_by', { length: 200 }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});
