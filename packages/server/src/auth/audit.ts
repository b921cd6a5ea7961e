import { desc } from 'drizzle-orm';
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
