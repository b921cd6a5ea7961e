import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import type { Actor } from './actor.js';
import { auditLog } from './tables.js';

export type AuditAction =
  'create' | 'update' | 'delete' | 'import' | 'login' | 'move' | 'cancel' | 'publish' | 'discard';

/** Writes one audit row; call it inside the transaction that makes the change. */
export async function recordAudit(
  tx: Db,
  actor: Actor,
  action: AuditAction,
  entity: string,
  entityId: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  await tx.insert(auditLog).values({
    actorType: actor.type,
    actorId: actor.id,
    actorName: actor.name,
    action,
    entity,
    entityId,
    before: before ?? null,
    after: after ?? null,
  });
}

/** The newest audit rows first. */
export async function listAudit(db: Db, limit: number) {
  return db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(limit);
}

/** The audit rows of one entity, oldest first (what happened to it since it was written). */
export async function auditTrail(db: Db, entity: string, entityId: string) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entity, entity), eq(auditLog.entityId, entityId)))
    .orderBy(asc(auditLog.id));
}

/**
 * The newest audit row of `entity` whose before-image contains `fragment` (JSON containment),
 * e.g. the job update that replaced a routing step: the step's id survives only in the audit.
 */
export async function latestAuditBeforeContaining(db: Db, entity: string, fragment: unknown) {
  return (
    await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, entity), sql`${auditLog.before} @> ${JSON.stringify(fragment)}::jsonb`))
      .orderBy(desc(auditLog.id))
      .limit(1)
  )[0];
}
