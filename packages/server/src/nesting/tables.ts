import {
  bigint,
  bigserial,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/** The nesting module's tables, exactly as migration 0011 creates them. Only nesting/ imports these. */

const tz = { withTimezone: true } as const;
const num = (name: string, precision: number, scale: number) => numeric(name, { precision, scale, mode: 'number' });

/** Written in the same transaction as the Kerf change; drained by the sync worker. */
export const nestingOutbox = pgTable('nesting_outbox', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  kind: varchar('kind', { length: 30 }).notNull(),
  jobId: uuid('job_id'),
  payload: jsonb('payload').notNull(),
  transId: varchar('trans_id', { length: 8 })
    .notNull()
    .unique()
    .default(sql`('K' || lpad(to_hex(nextval('nesting_trans_seq')), 7, '0'))`),
  status: varchar('status', { length: 12 }).notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: timestamp('next_attempt_at', tz).notNull().defaultNow(),
  lastError: text('last_error'),
  createdAt: timestamp('created_at', tz).notNull().defaultNow(),
  sentAt: timestamp('sent_at', tz),
  updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
});

/** TransAct rows SimTrans flagged with ErrorTag, with the logged reason. */
export const nestingErrors = pgTable(
  'nesting_errors',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    outboxId: bigint('outbox_id', { mode: 'number' }).notNull(),
    transId: varchar('trans_id', { length: 10 }).notNull(),
    transType: varchar('trans_type', { length: 10 }).notNull(),
    reason: text('reason').notNull(),
    sourceRow: bigint('source_row', { mode: 'number' }).notNull(),
    at: timestamp('at', tz).notNull().defaultNow(),
  },
  (t) => [unique().on(t.transId, t.sourceRow)],
);

/** Materials Kerf has already created in SigmaNEST (SN60 is sent once per material). */
export const nestingKnownMaterials = pgTable('nesting_known_materials', {
  material: varchar('material', { length: 50 }).primaryKey(),
  sentAt: timestamp('sent_at', tz).notNull().defaultNow(),
});

export const nestingSyncState = pgTable('nesting_sync_state', {
  direction: varchar('direction', { length: 10 }).primaryKey(),
  lastSyncAt: timestamp('last_sync_at', tz),
  lastError: text('last_error'),
  lastErrorAt: timestamp('last_error_at', tz),
  nextAttemptAt: timestamp('next_attempt_at', tz),
  leaseOwner: varchar('lease_owner', { length: 200 }),
  leaseUntil: timestamp('lease_until', tz),
});

/** One row per applied (or rejected) feedback packet: a packet is applied at most once. */
export const nestPackets = pgTable('nest_packets', {
  packetId: varchar('packet_id', { length: 60 }).primaryKey(),
  source: varchar('source', { length: 200 }).notNull(),
  status: varchar('status', { length: 10 }).notNull(),
  programs: integer('programs').notNull().default(0),
  reason: text('reason'),
  at: timestamp('at', tz).notNull().defaultNow(),
});

export const nestRejections = pgTable('nest_rejections', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  source: varchar('source', { length: 200 }).notNull(),
  reason: text('reason').notNull(),
  at: timestamp('at', tz).notNull().defaultNow(),
});

/** A nest = one SigmaNEST program run (ProgramName, RepeatID) on one sheet. */
export const nestResults = pgTable(
  'nest_results',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    programName: varchar('program_name', { length: 100 }).notNull(),
    repeatId: integer('repeat_id').notNull(),
    status: varchar('status', { length: 10 }).notNull(),
    sheetName: varchar('sheet_name', { length: 100 }),
    material: varchar('material', { length: 50 }),
    thickness: num('thickness', 8, 4),
    sheetWidth: num('sheet_width', 10, 3),
    sheetLength: num('sheet_length', 10, 3),
    sheetQty: integer('sheet_qty').notNull().default(1),
    utilization: num('utilization', 6, 4),
    scrapFraction: num('scrap_fraction', 6, 4),
    cutTimeSeconds: num('cut_time_seconds', 12, 2),
    pierceCount: integer('pierce_count'),
    cutLength: num('cut_length', 14, 3),
    ncFile: text('nc_file'),
    machine: varchar('machine', { length: 100 }),
    /** the materials row whose stock this nest consumed (given back on delete) */
    stockMaterialId: uuid('stock_material_id'),
    packetId: varchar('packet_id', { length: 60 }).notNull(),
    postedAt: timestamp('posted_at', tz).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
  },
  (t) => [unique().on(t.programName, t.repeatId)],
);

export const nestParts = pgTable('nest_parts', {
  id: uuid('id').primaryKey().defaultRandom(),
  nestId: uuid('nest_id').notNull(),
  jobId: uuid('job_id'),
  woNumber: varchar('wo_number', { length: 50 }).notNull(),
  partName: varchar('part_name', { length: 100 }).notNull(),
  quantity: integer('quantity').notNull(),
  cutTimeSeconds: num('cut_time_seconds', 12, 2),
  cutLength: num('cut_length', 14, 3),
  pierceCount: integer('pierce_count'),
  partLength: num('part_length', 10, 3),
  partWidth: num('part_width', 10, 3),
});

/** When a job's laser work becomes schedulable: the real cut time and release time per job. */
export const nestJobTimes = pgTable('nest_job_times', {
  jobId: uuid('job_id').primaryKey(),
  routingId: uuid('routing_id'),
  cutSeconds: num('cut_seconds', 12, 2).notNull(),
  readyAt: timestamp('ready_at', tz).notNull(),
  updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
});
