import type { CenterCalendar } from '../calendar.js';
import { MINUTE, type AnalysisCenter, type AnalysisShift, type AnalysisSlot } from '../model.js';
import { ShopCalendar } from '../../shop/calendar-shop.js';
import type { ShiftOccurrence } from '../../shop/calendar-walk.js';
import type { AnalysisView } from '../view.js';
import type { Bucket } from './buckets.js';

export type CapacitySource = 'calendar' | 'default' | 'inactive';

export interface BucketLoad {
  key: string;
  start: string;
  end: string;
  loadMinutes: number;
  capacityMinutes: number;
  /** null when there is no capacity to compare with */
  utilisationPct: number | null;
}

export const utilisation = (load: number, capacity: number): number | null =>
  capacity > 0 ? Math.round((load / capacity) * 1000) / 10 : null;

export function bucketLoad(b: Bucket, loadMinutes: number, capacityMinutes: number): BucketLoad {
  const load = Math.round(loadMinutes);
  const capacity = Math.round(capacityMinutes);
  return {
    key: b.key,
    start: new Date(b.start).toISOString(),
    end: new Date(b.end).toISOString(),
    loadMinutes: load,
    capacityMinutes: capacity,
    utilisationPct: utilisation(load, capacity),
  };
}

/**
 * Minutes of a slot that fall in [a, b). A slot's load is its working time: a slot that pauses
 * overnight loads the machine only for the hours it works. A slot with no working minutes at
 * all (planned outside working time, reported as a conflict) counts its clock minutes, so its
 * load is not silently lost.
 */
export function slotMinutesIn(slot: AnalysisSlot, calendar: CenterCalendar | undefined, a: number, b: number): number {
  const lo = Math.max(slot.start, a);
  const hi = Math.min(slot.end, b);
  if (hi <= lo) return 0;
  if (!calendar || calendar.workingMs(slot.start, slot.end) === 0) return (hi - lo) / MINUTE;
  return calendar.workingMs(lo, hi) / MINUTE;
}

/**
 * When a center has no shifts, its capacity falls back to capacity_minutes_per_shift once per
 * weekday (one day shift from 06:00 local), the shop's usual minimum; the response says
 * capacitySource "default" so nobody mistakes it for a calendar.
 */
function fallbackShifts(center: AnalysisCenter): AnalysisShift[] {
  const end = 360 + Math.min(center.capacityMinutesPerShift, 1440);
  const hhmm = (min: number) =>
    `${String(Math.floor(min / 60) % 24).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
  return [0, 1, 2, 3, 4].map((dayOfWeek) => ({
    workCenterId: center.id,
    name: 'default shift',
    dayOfWeek,
    shiftNumber: 1,
    startTime: '06:00',
    endTime: hhmm(end),
    isActive: true,
  }));
}

export interface CenterCapacity {
  source: CapacitySource;
  occurrences: ShiftOccurrence[];
  perShift: number;
}

export function centerCapacity(view: AnalysisView, center: AnalysisCenter, from: number, to: number): CenterCapacity {
  if (!center.isActive) return { source: 'inactive', occurrences: [], perShift: 0 };
  const own = view.snapshot.shifts.filter((s) => s.workCenterId === center.id);
  const source: CapacitySource = own.length > 0 ? 'calendar' : 'default';
  const rules = own.length > 0 ? own : fallbackShifts(center);
  const shop = own.length > 0 ? view.shop : new ShopCalendar(rules, view.snapshot.exceptions, view.timeZone);
  const occurrences = shop.occurrences(center.id, from, to);
  return { source, occurrences, perShift: center.capacityMinutesPerShift };
}

/**
 * Capacity in [a, b): the shift minutes inside it, each shift scaled down when its length
 * exceeds its working minutes (a 510-min shift with 60 min of breaks gives 450, spread evenly;
 * capacity_minutes_per_shift only for a center without shifts). That is the same bound the
 * overloaded_shift conflict uses and the planner plans with, so the three agree.
 */
export function capacityIn(c: CenterCapacity, a: number, b: number): number {
  let sum = 0;
  for (const o of c.occurrences) {
    const inside = Math.min(o.end, b) - Math.max(o.start, a);
    if (inside <= 0) continue;
    const length = o.end - o.start;
    // a calendar shift's capacity is its length less its breaks, as the planner plans it
    const perShift = c.source === 'default' ? c.perShift : o.workingMinutes;
    sum += (inside / MINUTE) * Math.min(1, perShift / (length / MINUTE));
  }
  return sum;
}
