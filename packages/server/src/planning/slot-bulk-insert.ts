import { and, count, eq, lt } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../platform/db.js';
import { scheduleSlots } from './tables.js';

const CHUNK = 500;

export interface SlotInsert {
  routingId: string;
  workCenterId: string;
  plannedStart: Date;
  plannedEnd: Date;
  notes: string | null;
}

/**
 * Books many slots at once (a generated schedule) without createSlot's per-slot checks, then
 * checks the overlap rule once in SQL: a clash throws, so the caller's transaction loads nothing.
 * The caller vouches for center types and order and audits the load as a whole.
 */
export async function insertSlotsChecked(tx: Db, rows: SlotInsert[]): Promise<number> {
  for (let i = 0; i < rows.length; i += CHUNK) await tx.insert(scheduleSlots).values(rows.slice(i, i + CHUNK));
  const other = alias(scheduleSlots, 'other');
  const clashes = await tx
    .select({ n: count() })
    .from(scheduleSlots)
    .innerJoin(
      other,
      and(
        eq(other.workCenterId, scheduleSlots.workCenterId),
        lt(scheduleSlots.id, other.id),
        lt(scheduleSlots.plannedStart, other.plannedEnd),
        lt(other.plannedStart, scheduleSlots.plannedEnd),
      ),
    );
  const n = Number(clashes[0]?.n ?? 0);
  if (n > 0) throw new Error(`${n} overlapping slot pairs; nothing was loaded`);
  return rows.length;
}
