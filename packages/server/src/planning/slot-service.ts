import { and, asc, desc, eq, gt, lt, type SQL } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { recordAudit } from '../auth/audit.js';
import { routingStepById } from '../jobs/queries.js';
import type { ListParams } from '../platform/crud/list-query.js';
import { MAX_LIMIT, splitTotal, totalOver } from '../platform/crud/list-query.js';
import type { Db } from '../platform/db.js';
import type { EventBus } from '../platform/events.js';
import { AppError, invalid, notFound, staleVersion } from '../platform/errors.js';
import { workCenterById } from '../shop/queries.js';
import { countSlots, overlappingSlots, selectSlots, slotJobId } from './slot-queries.js';
import { announceRush } from './rush-notice.js';
import { scheduleSlots } from './tables.js';

export interface SlotListParams extends ListParams {
  from?: string;
  to?: string;
  workCenterId?: string;
  status?: string;
  jobId?: string;
}

export async function listSlots(db: Db, p: SlotListParams) {
  const conds: Array<SQL | undefined> = [
    // Window semantics: every slot that overlaps [from, to).
    p.from ? gt(scheduleSlots.plannedEnd, new Date(p.from)) : undefined,
    p.to ? lt(scheduleSlots.plannedStart, new Date(p.to)) : undefined,
    p.workCenterId ? eq(scheduleSlots.workCenterId, p.workCenterId) : undefined,
    p.status ? eq(scheduleSlots.status, p.status) : undefined,
    p.jobId ? eq(slotJobId, p.jobId) : undefined,
  ];
  if (p.sort && !['plannedStart', '-plannedStart'].includes(p.sort)) {
    throw invalid('sort', 'schedule slots sort by plannedStart or -plannedStart');
  }
  const where = and(...conds);
  const limit = Math.min(p.limit ?? 50, MAX_LIMIT);
  const offset = p.offset ?? 0;
  const order =
    p.sort === '-plannedStart'
      ? [desc(scheduleSlots.plannedStart), desc(scheduleSlots.id)]
      : [asc(scheduleSlots.plannedStart), asc(scheduleSlots.id)];
  const rows = await selectSlots(db, where, { total: totalOver })
    .orderBy(...order)
    .limit(limit)
    .offset(offset);
  const { items, total } = await splitTotal(rows, offset, () => countSlots(db, where));
  return { items, total, limit, offset };
}

export async function getSlot(db: Db, id: string) {
  const row = (await selectSlots(db, eq(scheduleSlots.id, id)).limit(1))[0];
  if (!row) throw notFound('schedule slot', id);
  return row;
}

/** A slot may only sit on a work center of its routing step's type, and not on top of other work. */
async function checkPlacement(
  tx: Db,
  routingId: string,
  workCenterId: string,
  start: Date,
  end: Date,
  exceptId?: string,
) {
  if (!(end > start)) throw invalid('plannedEnd', 'must be after plannedStart');
  const routing = await routingStepById(tx, routingId);
  if (!routing) throw invalid('routingId', `routing ${routingId} does not exist`, 'unknown_reference');
  const wc = await workCenterById(tx, workCenterId);
  if (!wc) throw invalid('workCenterId', `work center ${workCenterId} does not exist`, 'unknown_reference');
  if (wc.machineType !== routing.workCenterType) {
    throw invalid(
      'workCenterId',
      `work center ${workCenterId} is a ${wc.machineType}; this step needs a ${routing.workCenterType}`,
      'wrong_work_center_type',
    );
  }
  const clashes = await overlappingSlots(tx, workCenterId, start, end, exceptId);
  if (clashes.length > 0) {
    throw new AppError(
      'conflict',
      'slot_overlap',
      `workCenterId: ${workCenterId} is already booked ${clashes
        .map((c) => `${c.plannedStart.toISOString()}..${c.plannedEnd.toISOString()}`)
        .join(', ')}`,
      'workCenterId',
      { overlapping: clashes.map((c) => c.id) },
    );
  }
}

export async function createSlot(
  db: Db,
  events: EventBus,
  actor: Actor,
  input: { routingId: string; workCenterId: string; plannedStart: string; plannedEnd: string; notes?: string | null },
) {
  const start = new Date(input.plannedStart);
  const end = new Date(input.plannedEnd);
  return db.transaction(async (tx) => {
    await checkPlacement(tx, input.routingId, input.workCenterId, start, end);
    const row = (
      await tx
        .insert(scheduleSlots)
        .values({
          routingId: input.routingId,
          workCenterId: input.workCenterId,
          plannedStart: start,
          plannedEnd: end,
          notes: input.notes ?? null,
        })
        .returning()
    )[0]!;
    await recordAudit(tx, actor, 'create', 'schedule_slot', row.id, null, row);
    await events.record(tx, { type: 'slot.changed', slotId: row.id, action: 'create' });
    await announceRush(tx, events, row.routingId, input.workCenterId);
    return getSlot(tx, row.id);
  });
}

async function lockSlot(tx: Db, id: string, version: number) {
  const before = (await tx.select().from(scheduleSlots).where(eq(scheduleSlots.id, id)).for('update').limit(1))[0];
  if (!before) throw notFound('schedule slot', id);
  if (before.version !== version) throw staleVersion('schedule slot', id, version);
  return before;
}

export async function cancelSlot(db: Db, events: EventBus, actor: Actor, id: string, version: number, reason: string) {
  return db.transaction(async (tx) => {
    const before = await lockSlot(tx, id, version);
    if (['complete', 'cancelled'].includes(before.status)) {
      throw new AppError('conflict', 'slot_closed', `schedule slot ${id} is already ${before.status}`);
    }
    const after = (
      await tx
        .update(scheduleSlots)
        .set({ status: 'cancelled', delayReason: reason, version: version + 1, updatedAt: new Date() })
        .where(and(eq(scheduleSlots.id, id), eq(scheduleSlots.version, version)))
        .returning()
    )[0];
    if (!after) throw staleVersion('schedule slot', id, version);
    await recordAudit(tx, actor, 'cancel', 'schedule_slot', id, before, after);
    await events.record(tx, { type: 'slot.changed', slotId: id, action: 'cancel' });
    return getSlot(tx, id);
  });
}
