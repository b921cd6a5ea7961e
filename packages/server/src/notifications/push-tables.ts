import { integer, pgTable, smallint, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

/** The installation's VAPID key pair (migration 0022): one row, id 1. */
export const pushVapidKeys = pgTable('push_vapid_keys', {
  id: smallint('id').primaryKey().default(1),
  publicKey: varchar('public_key', { length: 100 }).notNull(),
  privateKey: varchar('private_key', { length: 100 }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A browser's push subscription, per user and device. */
export const pushSubscriptions = pgTable('push_subscriptions', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id').notNull(),
  deviceId: varchar('device_id', { length: 100 }).notNull(),
  endpoint: text('endpoint').notNull().unique(),
  p256dh: varchar('p256dh', { length: 100 }).notNull(),
  auth: varchar('auth', { length: 40 }).notNull(),
  userAgent: varchar('user_agent', { length: 300 }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
  failures: integer('failures').notNull().default(0),
});

/** Notifications already pushed (the claim that keeps a second worker from pushing again). */
export const pushDispatches = pgTable('push_dispatches', {
  notificationId: uuid('notification_id').primaryKey(),
  claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull().defaultNow(),
});
