import { sql } from 'drizzle-orm';
import { bigserial, boolean, char, integer, jsonb, pgTable, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { rowMeta } from '../platform/row-meta.js';

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  username: varchar('username', { length: 100 }).notNull(),
  displayName: varchar('display_name', { length: 200 }),
  role: varchar('role', { length: 30 }).notNull(),
  passwordHash: varchar('password_hash').notNull(),
  isActive: boolean('is_active').notNull().default(true),
  ...rowMeta,
});

export const sessions = pgTable('sessions', {
  tokenHash: char('token_hash', { length: 64 }).primaryKey(),
  userId: uuid('user_id').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const apiKeys = pgTable('api_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: varchar('name', { length: 100 }).notNull(),
  keyPrefix: varchar('key_prefix', { length: 16 }).notNull(),
  keyHash: char('key_hash', { length: 64 }).notNull(),
  scopes: jsonb('scopes').$type<string[]>().notNull().default([]),
  createdBy: uuid('created_by'),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  ...rowMeta,
});

export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  actorType: varchar('actor_type', { length: 10 }).notNull(),
  actorId: varchar('actor_id', { length: 100 }),
  actorName: varchar('actor_name', { length: 200 }),
  action: varchar('action', { length: 20 }).notNull(),
  entity: varchar('entity', { length: 50 }).notNull(),
  entityId: varchar('entity_id', { length: 100 }).notNull(),
  before: jsonb('before'),
  after: jsonb('after'),
});

/** The columns of a user that may leave the server (never the password hash). */
export const publicUser = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  isActive: users.isActive,
  version: users.version,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
};

/** User names compare ignoring case (migration 0013's unique index on lower(username)). */
export const usernameIs = (username: string) => sql`lower(${users.username}) = lower(${username})`;

/** A shared shop-floor tablet: its device token opens only the station screen (ADR 0022). */
export const floorStations = pgTable('floor_stations', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: varchar('name', { length: 100 }).notNull(),
  workCenterIds: jsonb('work_center_ids').$type<string[]>().notNull(),
  tokenPrefix: varchar('token_prefix', { length: 16 }).notNull(),
  tokenHash: char('token_hash', { length: 64 }).notNull(),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
});

/** How an operator signs in on a station: a badge (scanned) or a PIN (typed). */
export const operatorCredentials = pgTable('operator_credentials', {
  userId: uuid('user_id').primaryKey(),
  badge: varchar('badge', { length: 48 }),
  pinHash: varchar('pin_hash'),
  failedAttempts: integer('failed_attempts').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Who was signed in on which station, and when: the windows offline work is accepted in. */
export const stationSignIns = pgTable('station_sign_ins', {
  id: uuid('id').primaryKey().defaultRandom(),
  stationId: uuid('station_id').notNull(),
  userId: uuid('user_id').notNull(),
  sessionHash: char('session_hash', { length: 64 }).notNull(),
  signedInAt: timestamp('signed_in_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  signedOutAt: timestamp('signed_out_at', { withTimezone: true }),
});
