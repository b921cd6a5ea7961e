import { insertSlotsChecked } from '../planning/slot-bulk-insert.js';
import type { Db } from '../platform/db.js';
import { forwardSchedule, type ScheduleJob } from './demo-schedule.js';
import type { DemoShop } from './model.js';

/**
 * Books the demo's forward schedule as schedule slots. One bulk insert instead of createSlot
 * per slot: createSlot's eight round trips per slot made this the slowest part of the demo
 * (6 s of 12 on a busy PGlite). Its rules hold by construction (right center type, after
 * every predecessor, no overlap: see demo-schedule.test.ts), and the overlap rule is checked
 * once more in SQL (planning's insertSlotsChecked) so a regression fails the load instead of
 * publishing a clash.
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
  try {
    return await insertSlotsChecked(
      tx,
      planned.map((p) => ({
        routingId: p.routingId,
        workCenterId: p.workCenterId,
        plannedStart: p.start,
        plannedEnd: p.end,
        notes: 'demo forward schedule',
      })),
    );
  } catch (err) {
    throw new Error(`demo schedule: ${err instanceof Error ? err.message : String(err)}`);
  }
}
