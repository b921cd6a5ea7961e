import type { AlarmValue } from '@kerf/connectors';
import { and, desc, eq, gte, isNull, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../auth/actor.js';
import { recordAudit } from '../../auth/audit.js';
import type { Db } from '../../platform/db.js';
import type { EventBus } from '../../platform/events.js';
import { AppError, notFound } from '../../platform/errors.js';
import { machinesRef } from './machine-refs.js';
import { machineAlarms } from './tables.js';
import { isUuid } from '../../platform/uuid.js';

const ENTITY = 'machine_alarm';

export interface AlarmRecord {
  id: string;
  machineId: string;
  machineCode: string;
  workCenterId: string | null;
  departmentId: string;
  code: string;
  severity: 'fault' | 'warning';
  message: string;
  source: string;
  raisedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  clearedAt: string | null;
  version: number;
}

type AlarmRow = typeof machineAlarms.$inferSelect;
type MachineInfo = Pick<typeof machinesRef.$inferSelect, 'code' | 'workCenterId' | 'departmentId'>;

function publicAlarm(row: AlarmRow, machine: MachineInfo): AlarmRecord {
  return {
    id: row.id,
    machineId: row.machineId,
    machineCode: machine.code,
    workCenterId: machine.workCenterId,
    departmentId: machine.departmentId,
    code: row.code,
    severity: row.severity,
    message: row.message,
    source: row.source,
    raisedAt: row.raisedAt.toISOString(),
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: row.acknowledgedBy,
    clearedAt: row.clearedAt?.toISOString() ?? null,
    version: row.version,
  };
}

export interface AlarmObservation {
  /** MachineEvent.machineId: the machine's code */
  machineCode: string;
  alarm: AlarmValue;
  /** when the machine observed it */
  at: Date;
  source: string;
}

export type AlarmChange =
  | { action: 'raised' | 'cleared'; alarm: AlarmRecord }
  | { action: 'unchanged'; alarm: AlarmRecord | null }
  | { action: 'unknown_machine'; alarm: null };

/**
 * Applies one alarm observation: an active alarm opens a record unless one is already open for
 * (machine, code) (a re-raise, e.g. after a reconnect, changes nothing); an inactive one closes
 * the open record, and is ignored when none is open. The partial unique index makes a race
 * between two instances end in one record.
 */
/** Records an alarm observation; a raise or a clear records its event in the same transaction. */
export async function applyAlarm(db: Db, events: EventBus, obs: AlarmObservation): Promise<AlarmChange> {
  return db.transaction(async (tx) => {
    const machine = (
      await tx
        .select({
          id: machinesRef.id,
          code: machinesRef.code,
          workCenterId: machinesRef.workCenterId,
          departmentId: machinesRef.departmentId,
        })
        .from(machinesRef)
        .where(eq(machinesRef.code, obs.machineCode))
        .limit(1)
    )[0];
    if (!machine) return { action: 'unknown_machine', alarm: null };
    const open = (
      await tx
        .select()
        .from(machineAlarms)
        .where(
          and(
            eq(machineAlarms.machineId, machine.id),
            eq(machineAlarms.code, obs.alarm.code),
            isNull(machineAlarms.clearedAt),
          ),
        )
        .for('update')
        .limit(1)
    )[0];
    if (obs.alarm.active) {
      if (open) return { action: 'unchanged', alarm: publicAlarm(open, machine) };
      const inserted = await tx
        .insert(machineAlarms)
        .values({
          machineId: machine.id,
          code: obs.alarm.code,
          severity: obs.alarm.severity,
          message: obs.alarm.message,
          source: obs.source,
          raisedAt: obs.at,
        })
        .onConflictDoNothing()
        .returning();
      const row = inserted[0];
      if (!row) return { action: 'unchanged', alarm: null };
      const alarm = publicAlarm(row, machine);
      await events.record(tx, { type: 'alarm.raised', alarm });
      return { action: 'raised', alarm };
    }
    if (!open) return { action: 'unchanged', alarm: null };
    // A clear stamped before the raise (clock skew between sources) still closes it, at the raise time.
    const clearedAt = obs.at < open.raisedAt ? open.raisedAt : obs.at;
    const closed = (
      await tx
        .update(machineAlarms)
        .set({ clearedAt, version: open.version + 1, updatedAt: new Date() })
        .where(eq(machineAlarms.id, open.id))
        .returning()
    )[0]!;
    const alarm = publicAlarm(closed, machine);
    await events.record(tx, { type: 'alarm.cleared', alarm });
    return { action: 'cleared', alarm };
  });
}

/**
 * A supervisor acknowledges an alarm (POST /alarms/{id}/acknowledge): 404 when unknown, 409 when
 * already acknowledged. A cleared alarm may still be acknowledged (someone saw it); audited.
 */
export async function acknowledgeAlarm(
  db: Db,
  events: EventBus,
  actor: Actor,
  id: string,
  now = new Date(),
): Promise<AlarmRecord> {
  return db.transaction(async (tx) => {
    const found = (
      await tx
        .select({ alarm: machineAlarms, machine: machinesRef })
        .from(machineAlarms)
        .innerJoin(machinesRef, eq(machinesRef.id, machineAlarms.machineId))
        .where(eq(machineAlarms.id, id))
        .for('update', { of: machineAlarms })
        .limit(1)
    )[0];
    if (!found) throw notFound('alarm', id);
    if (found.alarm.acknowledgedAt) {
      throw new AppError(
        'conflict',
        'already_acknowledged',
        `alarm ${id} was already acknowledged by ${found.alarm.acknowledgedBy ?? 'someone'} at ${found.alarm.acknowledgedAt.toISOString()}`,
      );
    }
    const updated = (
      await tx
        .update(machineAlarms)
        .set({ acknowledgedAt: now, acknowledgedBy: actor.name, version: found.alarm.version + 1, updatedAt: now })
        .where(eq(machineAlarms.id, id))
        .returning()
    )[0]!;
    const before = publicAlarm(found.alarm, found.machine);
    const after = publicAlarm(updated, found.machine);
    await recordAudit(tx, actor, 'update', ENTITY, id, before, after);
    await events.record(tx, { type: 'alarm.acknowledged', alarm: after });
    return after;
  });
}

export interface AlarmFilter {
  active?: boolean;
  /** machine code or id */
  machine?: string;
  department?: string;
  since?: Date;
  limit: number;
  offset: number;
}

export async function listAlarms(db: Db, filter: AlarmFilter): Promise<{ items: AlarmRecord[]; total: number }> {
  const where: SQL[] = [];
  if (filter.active === true) where.push(isNull(machineAlarms.clearedAt));
  if (filter.active === false) where.push(isNotNull(machineAlarms.clearedAt));
  if (filter.machine !== undefined)
    where.push(isUuid(filter.machine) ? eq(machinesRef.id, filter.machine) : eq(machinesRef.code, filter.machine));
  if (filter.department !== undefined) where.push(eq(machinesRef.departmentId, filter.department));
  if (filter.since !== undefined) where.push(gte(machineAlarms.raisedAt, filter.since));
  const rows = await db
    .select({ alarm: machineAlarms, machine: machinesRef, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(machineAlarms)
    .innerJoin(machinesRef, eq(machinesRef.id, machineAlarms.machineId))
    .where(and(...where))
    .orderBy(desc(machineAlarms.raisedAt), desc(machineAlarms.id))
    .limit(filter.limit)
    .offset(filter.offset);
  return { items: rows.map((r) => publicAlarm(r.alarm, r.machine)), total: rows[0]?.total ?? 0 };
}
