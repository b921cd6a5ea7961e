import { and, desc, eq, isNull, type SQL } from 'drizzle-orm';
import type { Actor } from '../../auth/actor.js';
import { recordAudit } from '../../auth/audit.js';
import type { Db } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { replanSuggestions, type ReplanReason } from './tables.js';

export interface ReplanSuggestion {
  id: string;
  workCenterId: string;
  machineId: string | null;
  reason: ReplanReason;
  /** when the machine went down or came back */
  since: string;
  createdAt: string;
  closedAt: string | null;
  closedBy: string | null;
  closeReason: 'dismissed' | 'superseded' | null;
}

type Row = typeof replanSuggestions.$inferSelect;

function publicSuggestion(row: Row): ReplanSuggestion {
  return {
    id: row.id,
    workCenterId: row.workCenterId,
    machineId: row.machineId,
    reason: row.reason,
    since: row.since.toISOString(),
    createdAt: row.createdAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
    closedBy: row.closedBy,
    closeReason: row.closeReason,
  };
}

/**
 * Opens a suggestion for a work center (inside the caller's transaction). The opposite open
 * suggestion is superseded: "back" makes "down" moot and vice versa. Returns null when one
 * with the same reason is already open (nothing new to tell the planner).
 */
export async function openSuggestion(
  tx: Db,
  input: { workCenterId: string; machineId: string; reason: ReplanReason; since: Date },
  now: Date,
): Promise<ReplanSuggestion | null> {
  const opposite: ReplanReason = input.reason === 'machine_down' ? 'machine_back' : 'machine_down';
  await tx
    .update(replanSuggestions)
    .set({ closedAt: now, closedBy: 'kerf', closeReason: 'superseded' })
    .where(
      and(
        eq(replanSuggestions.workCenterId, input.workCenterId),
        eq(replanSuggestions.reason, opposite),
        isNull(replanSuggestions.closedAt),
      ),
    );
  const row = (
    await tx
      .insert(replanSuggestions)
      .values({ ...input, createdAt: now })
      .onConflictDoNothing()
      .returning()
  )[0];
  return row ? publicSuggestion(row) : null;
}

export async function listSuggestions(
  db: Db,
  filter: { open?: boolean; workCenter?: string; limit: number; offset: number },
): Promise<ReplanSuggestion[]> {
  const where: SQL[] = [];
  if (filter.open === true) where.push(isNull(replanSuggestions.closedAt));
  if (filter.workCenter !== undefined) where.push(eq(replanSuggestions.workCenterId, filter.workCenter));
  const rows = await db
    .select()
    .from(replanSuggestions)
    .where(and(...where))
    .orderBy(desc(replanSuggestions.createdAt), desc(replanSuggestions.id))
    .limit(filter.limit)
    .offset(filter.offset);
  return rows.map(publicSuggestion);
}

/** The planner has seen it (replanned or decided not to): 404 unknown, 409 already closed; audited. */
export async function dismissSuggestion(db: Db, actor: Actor, id: string, now = new Date()): Promise<ReplanSuggestion> {
  return db.transaction(async (tx) => {
    const before = (
      await tx.select().from(replanSuggestions).where(eq(replanSuggestions.id, id)).for('update').limit(1)
    )[0];
    if (!before) throw notFound('replan suggestion', id);
    if (before.closedAt)
      throw new AppError(
        'conflict',
        'suggestion_closed',
        `replan suggestion ${id} is already closed (${before.closeReason ?? 'closed'} at ${before.closedAt.toISOString()})`,
      );
    const after = (
      await tx
        .update(replanSuggestions)
        .set({ closedAt: now, closedBy: actor.name, closeReason: 'dismissed' })
        .where(eq(replanSuggestions.id, id))
        .returning()
    )[0]!;
    await recordAudit(tx, actor, 'update', 'replan_suggestion', id, publicSuggestion(before), publicSuggestion(after));
    return publicSuggestion(after);
  });
}
