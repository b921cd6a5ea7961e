import { ShopCalendar } from '../shop/calendar-shop.js';
import type { UtcInterval } from '../shop/calendar-walk.js';
import type { AnalysisSnapshot } from './model.js';

/**
 * One work center's working time as sorted, merged UTC intervals with prefix sums, so "how many
 * working minutes lie between a and b" is two binary searches. A center without any shift has
 * no calendar yet and is treated as always available, as the plan builder does
 * (planning/problem-builder.ts), so the two never disagree about what is working time.
 */
export class CenterCalendar {
  private readonly before: number[] = [];

  constructor(readonly intervals: readonly UtcInterval[] | null) {
    let sum = 0;
    for (const [a, b] of intervals ?? []) {
      this.before.push(sum);
      sum += b - a;
    }
  }

  get alwaysOpen(): boolean {
    return this.intervals === null;
  }

  /** index of the last interval starting at or before t, or -1 */
  private indexAt(t: number): number {
    const ivs = this.intervals ?? [];
    let lo = 0;
    let hi = ivs.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ivs[mid]![0] <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** working milliseconds from the start of the calendar up to t */
  private cumulative(t: number): number {
    const k = this.indexAt(t);
    if (k < 0) return 0;
    const [a, b] = this.intervals![k]!;
    return this.before[k]! + Math.min(t, b) - a;
  }

  /** working milliseconds in [a, b) */
  workingMs(a: number, b: number): number {
    if (b <= a) return 0;
    if (this.intervals === null) return b - a;
    return this.cumulative(b) - this.cumulative(a);
  }

  /** true when work can start at t: t lies in some [start, end) */
  isWorkingAt(t: number): boolean {
    if (this.intervals === null) return true;
    const k = this.indexAt(t);
    return k >= 0 && t < this.intervals[k]![1];
  }

  /** true when work can end at t: t lies in some (start, end] */
  isWorkingUntil(t: number): boolean {
    if (this.intervals === null) return true;
    const k = this.indexAt(t - 1);
    return k >= 0 && t <= this.intervals[k]![1];
  }

  /** the first instant at or after t when the center works, or null past the calendar's end */
  nextWorkingStart(t: number): number | null {
    if (this.intervals === null || this.isWorkingAt(t)) return t;
    const next = this.intervals[this.indexAt(t) + 1];
    return next ? next[0] : null;
  }
}

/** The shop calendar over the snapshot's shift and exception rows. */
export const shopCalendarOf = (s: AnalysisSnapshot): ShopCalendar =>
  new ShopCalendar(s.shifts, s.exceptions, s.timeZone);

/** Calendars of every work center over the snapshot's span, from the shop calendar. */
export function buildCalendars(s: AnalysisSnapshot, shop = shopCalendarOf(s)): Map<string, CenterCalendar> {
  const out = new Map<string, CenterCalendar>();
  for (const id of s.centers.keys()) out.set(id, new CenterCalendar(shop.workingIntervals(id, s.spanFrom, s.spanTo)));
  return out;
}
