import { and, count, eq, lt } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { scheduleSlots } from '../planning/tables.js';
import type { Db } from '../platform/db.js';
import { forwardSchedule, type ScheduleJob } from './demo-schedule.js';
import type { DemoShop } from './model.js';

const CHUNK = 500;

/**
 * Books the demo's forward schedule as schedule slots. One bulk insert instead of createSlot
 * per slot: createSlot's eight round trips per slot made this the slowest part of the demo
 * (6 s of 12 on a busy PGlite). Its rules hold by construction (right center type, after
 * every predecessor, no overlap: see demo-schedule.test.ts), and the overlap rule is checked
 * once more in SQL here so a regression fails the load instead of publishing a clash.
 */
export async function bookDemoSlots(
  tx: Db,
  shop: DemoShop,
  jobs: ScheduleJob[],
  options: { days: number; timeZone: string },
): Promise<number> {
  const planned = forwardSchedule({
    startDate: shop.startDate,
    days: options.days,
    centers: shop.workCenters,
    shifts: shop.shifts,
    exceptions: shop.exceptions,
    jobs,
    timeZone: options.timeZone,
  });
  for (let i = 0; i < planned.length; i += CHUNK) {
    await tx.insert(scheduleSlots).values(
      planned.slice(i, i + CHUNK).map((p) => ({
        routingId: p.routingId,
        workCenterId: p.workCenterId,
        plannedStart: p.start,
        plannedEnd: p.end,
        notes: 'demo forward schedule',
      })),
    );
  }
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
  if (n > 0) throw new Error(`demo schedule: ${n} overlapping slot pairs; nothing was loaded`);
  return planned.length;
}
