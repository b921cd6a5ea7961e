import {
  customType,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';

// node-postgres reads BYTEA as a Buffer, PGlite as a Uint8Array: both come back as a Buffer.
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => value,
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/** A problem reported from the floor (migration 0021) and how a supervisor handled it. */
export const floorIssues = pgTable('floor_issues', {
  id: uuid('id').primaryKey().defaultRandom(),
  clientId: uuid('client_id').notNull().unique(),
  kind: varchar('kind', { length: 12 }).notNull(),
  reasonCode: varchar('reason_code', { length: 50 }).notNull(),
  operationId: uuid('operation_id'),
  workCenterId: varchar('work_center_id', { length: 50 }).notNull(),
  machineId: uuid('machine_id'),
  note: text('note'),
  reportedBy: uuid('reported_by').notNull(),
  // Names are kept as they were when it happened, like the audit log does.
  reportedByName: varchar('reported_by_name', { length: 100 }).notNull(),
  stationId: uuid('station_id'),
  clientAt: timestamp('client_at', { withTimezone: true }),
  reportedAt: timestamp('reported_at', { withTimezone: true }).notNull().defaultNow(),
  status: varchar('status', { length: 12 }).notNull().default('open'),
  acknowledgedBy: uuid('acknowledged_by'),
  acknowledgedByName: varchar('acknowledged_by_name', { length: 100 }),
  acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
  closedBy: uuid('closed_by'),
  closedByName: varchar('closed_by_name', { length: 100 }),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  resolution: text('resolution'),
});

/** Up to four photos of an issue, numbered 0-3 in the order they were sent. */
export const floorIssuePhotos = pgTable(
  'floor_issue_photos',
  {
    issueId: uuid('issue_id').notNull(),
    n: smallint('n').notNull(),
    contentType: varchar('content_type', { length: 20 }).notNull(),
    size: integer('size').notNull(),
    width: integer('width'),
    height: integer('height'),
    bytes: bytea('bytes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.issueId, t.n] })],
);
