import { routingStepById } from '../jobs/queries.js';
import type { Db } from '../platform/db.js';
import { loadCalendarExceptions, loadShiftRules } from '../shop/calendar-queries.js';
import { workCentersByIds } from '../shop/queries.js';
import { readScheduleSlots } from './schedule-reads.js';

/** Open slots that end after `fromMs`, locked: the rescheduler moves some and reads the rest. */
export async function openSlotsAfter(tx: Db, fromMs: number) {
  return readScheduleSlots(tx, { statusClass: 'open', from: new Date(fromMs), forUpdate: true });
}

export async function calendarRows(tx: Db, workCenterIds: string[]) {
  const wanted = new Set(workCenterIds);
  const [shifts, exceptions, centers] = await Promise.all([
    loadShiftRules(tx).then((rows) => rows.filter((s) => wanted.has(s.workCenterId))),
    // every exception, as before: the horizon is only known once the moves are computed
    loadCalendarExceptions(tx, '0001-01-01'),
    workCentersByIds(tx, workCenterIds),
  ]);
  return { shifts, exceptions, centers };
}

export async function routingOf(tx: Db, routingId: string) {
  return routingStepById(tx, routingId);
}
