import type { CalendarIndex } from '@kerf/solver';
import { ShopCalendar } from '../shop/calendar-shop.js';
import { CenterTimeline, type Booking } from './center-timeline.js';
import type { PromiseSnapshot } from './promise-queries.js';

const MINUTE = 60_000;

export interface FloorModel {
  /** active centers by type, each with its calendar index and efficiency */
  centersByType: Map<string, Array<{ id: string; efficiency: number; calendar: CalendarIndex }>>;
  /** every type, active or not: a type with only inactive centers is "down", not "unknown" */
  allTypes: Set<string>;
  /** bookings per center, minutes from t0 */
  bookings: Map<string, Booking[]>;
}

/**
 * The shop floor in minutes from t0: calendars of the active centers (a center without shifts
 * is always open, as the planner treats it) and their bookings. An in-progress slot that is
 * past its planned end still holds its center for a tenth of its planned length (the planner's
 * overrun rule), since it is still on the machine.
 */
export function floorModel(s: PromiseSnapshot, t0: number, horizonEnd: number, timeZone: string): FloorModel {
  const toMin = (ms: number) => (ms - t0) / MINUTE;
  const centersByType: FloorModel['centersByType'] = new Map();
  const allTypes = new Set<string>();
  // The shop calendar walks each distinct set of shifts and exceptions once: most centers share one.
  const shop = new ShopCalendar(s.shifts, s.exceptions, timeZone);
  for (const wc of s.centers) {
    allTypes.add(wc.machineType);
    if (!wc.isActive) continue;
    const calendar = shop.calendarIndex(wc.id, t0, horizonEnd);
    const list = centersByType.get(wc.machineType) ?? [];
    list.push({ id: wc.id, efficiency: wc.efficiencyFactor > 0 ? wc.efficiencyFactor : 1, calendar });
    centersByType.set(wc.machineType, list);
  }
  const bookings = new Map<string, Booking[]>();
  for (const b of s.bookings) {
    const start = Math.floor(toMin(b.plannedStart.getTime()));
    let end = Math.ceil(toMin(b.plannedEnd.getTime()));
    if (b.status === 'in_progress' && end <= 0) end = Math.max(1, Math.ceil((end - start) / 10));
    if (end <= 0) continue; // wholly in the past: holds nothing from now on
    const list = bookings.get(b.workCenterId) ?? [];
    list.push({ start, end, jobNumber: b.jobNumber, priority: b.priority });
    bookings.set(b.workCenterId, list);
  }
  return { centersByType, allTypes, bookings };
}

/** One timeline per active center, with the bookings `keep` selects (all, or higher priority). */
export function timelines(floor: FloorModel, keep: (b: Booking) => boolean): Map<string, CenterTimeline> {
  const out = new Map<string, CenterTimeline>();
  for (const list of floor.centersByType.values()) {
    for (const c of list)
      out.set(c.id, new CenterTimeline(c.id, c.calendar, (floor.bookings.get(c.id) ?? []).filter(keep)));
  }
  return out;
}
