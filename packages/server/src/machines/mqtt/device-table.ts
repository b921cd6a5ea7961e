import { boolean, integer, pgTable, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

/** `mqtt_devices` (migrations 0009 and 0012): device logins of the embedded broker. */
export const mqttDevices = pgTable('mqtt_devices', {
  id: uuid('id').notNull().defaultRandom(),
  username: varchar('username', { length: 100 }).primaryKey(),
  passwordHash: text('password_hash').notNull(),
  allowedTopics: text('allowed_topics').array().notNull().default([]),
  machineId: uuid('machine_id'),
  enabled: boolean('enabled').notNull().default(true),
  version: integer('version').notNull().default(1),
  rotatedAt: timestamp('rotated_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
