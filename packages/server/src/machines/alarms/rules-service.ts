import { asc, eq } from 'drizzle-orm';
import type { Actor } from '../../auth/actor.js';
import { recordAudit } from '../../auth/audit.js';
import type { Db } from '../../platform/db.js';
import { notFound, staleVersion } from '../../platform/errors.js';
import { alarmRules, type AlarmRuleKind } from './tables.js';

const ENTITY = 'alarm_rule';

export interface AlarmRule {
  id: string;
  kind: AlarmRuleKind;
  name: string;
  enabled: boolean;
  thresholdMinutes: number;
  notifyRoles: string[];
  version: number;
  updatedAt: string;
}

export interface AlarmRulePatch {
  version: number;
  enabled?: boolean;
  thresholdMinutes?: number;
  notifyRoles?: string[];
}

function publicRule(row: typeof alarmRules.$inferSelect): AlarmRule {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    enabled: row.enabled,
    thresholdMinutes: row.thresholdMinutes,
    notifyRoles: row.notifyRoles,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listRules(db: Db): Promise<AlarmRule[]> {
  return (await db.select().from(alarmRules).orderBy(asc(alarmRules.id))).map(publicRule);
}

/** Changes a built-in rule's settings (PATCH /alarm-rules/{id}); optimistic version, audited. */
export async function updateRule(db: Db, actor: Actor, id: string, patch: AlarmRulePatch): Promise<AlarmRule> {
  return db.transaction(async (tx) => {
    const before = (await tx.select().from(alarmRules).where(eq(alarmRules.id, id)).for('update').limit(1))[0];
    if (!before) throw notFound('alarm rule', id);
    if (before.version !== patch.version) throw staleVersion('alarm rule', id, patch.version);
    const after = (
      await tx
        .update(alarmRules)
        .set({
          ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
          ...(patch.thresholdMinutes !== undefined ? { thresholdMinutes: patch.thresholdMinutes } : {}),
          ...(patch.notifyRoles !== undefined ? { notifyRoles: [...new Set(patch.notifyRoles)] } : {}),
          version: before.version + 1,
          updatedAt: new Date(),
        })
        .where(eq(alarmRules.id, id))
        .returning()
    )[0]!;
    await recordAudit(tx, actor, 'update', ENTITY, id, publicRule(before), publicRule(after));
    return publicRule(after);
  });
}
