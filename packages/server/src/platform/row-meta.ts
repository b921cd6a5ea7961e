import { integer, timestamp } from 'drizzle-orm/pg-core';

/**
 * The optimistic-lock version and timestamps every editable table carries (migration 0001).
 * Here rather than in one module's tables.ts so that no module imports another's tables for it.
 */
export const rowMeta = {
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};
