import { pgTable, primaryKey, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

/** In-app notification for a role or one user (migration 0010); read state lives in notification_reads. */
export const notifications = pgTable('notifications', {
  id: uuid('id').primaryKey().defaultRandom(),
  recipientRole: varchar('recipient_role', { length: 30 }),
  recipientUserId: uuid('recipient_user_id'),
  kind: varchar('kind', { length: 50 }).notNull(),
  title: varchar('title', { length: 300 }).notNull(),
  body: text('body').notNull(),
  link: varchar('link', { length: 500 }),
  firingId: uuid('firing_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const notificationReads = pgTable(
  'notification_reads',
  {
    notificationId: uuid('notification_id').notNull(),
    userId: uuid('user_id').notNull(),
    readAt: timestamp('read_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.notificationId, t.userId] })],
);
