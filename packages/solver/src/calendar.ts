/**
 * Working-time arithmetic on a resource calendar: sorted, disjoint intervals [start, end),
 * or null for "always open". Every query is a binary search over the intervals plus a
 * lookup in precomputed cumulative working minutes, so schedulers can call these in hot
 * loops. Times past the last interval have no working time: queries that need more
 * working time than the calendar holds return Infinity, which callers treat as infeasible.
 */
import type { Interval } from './model.js';

export class CalendarIndex {
  /** interval starts, ends, and working minutes before each interval (touching intervals merged) */
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  readonly cum: Float64Array;
  readonly alwaysOpen: boolean;
  readonly totalWork: number;

  constructor(intervals: readonly Interval[] | null) {
    this.alwaysOpen = intervals === null;
    const merged: Array<[number, number]> = [];
    for (const [a, b] of intervals ?? []) {
      if (!(b > a)) continue;
      const last = merged[merged.length - 1];
      // touching shifts form one continuous stretch of work: a setup may run across them
      if (last && a <= last[1]) last[1] = Math.max(last[1], b);
      else merged.push([a, b]);
    }
    const n = merged.length;
    this.starts = new Float64Array(n);
    this.ends = new Float64Array(n);
    this.cum = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      const iv = merged[i]!;
      this.starts[i] = iv[0];
      this.ends[i] = iv[1];
      this.cum[i + 1] = this.cum[i]! + iv[1] - iv[0];
    }
    this.totalWork = this.alwaysOpen ? Infinity : this.cum[n]!;
  }

  /** index of the first interval whose end is > t (the one containing t, or the next); n if none */
  private firstEndingAfter(t: number): number {
    const ends = this.ends;
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ends[mid]! > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** true when t is a working instant */
  isWorking(t: number): boolean {
    if (this.alwaysOpen) return true;
    const i = this.firstEndingAfter(t);
    return i < this.starts.length && this.starts[i]! <= t;
  }

  /** the next working instant >= t, or Infinity when the calendar has no more working time */
  nextWorking(t: number): number {
    if (this.alwaysOpen) return t;
    const i = this.firstEndingAfter(t);
    if (i >= this.starts.length) return Infinity;
    return Math.max(t, this.starts[i]!);
  }

  /** working minutes in [0, t) */
  workBefore(t: number): number {
    if (this.alwaysOpen) return t;
    const i = this.firstEndingAfter(t);
    if (i >= this.starts.length) return this.cum[i]!;
    const s = this.starts[i]!;
    return this.cum[i]! + (t > s ? t - s : 0);
  }

  /** working minutes in [a, b) */
  workBetween(a: number, b: number): number {
    if (b <= a) return 0;
    return this.workBefore(b) - this.workBefore(a);
  }

  /** earliest instant at which w working minutes have elapsed since time zero */
  instantAfterWork(w: number): number {
    if (this.alwaysOpen) return w;
    if (w <= 0) return 0;
    if (w > this.totalWork) return Infinity;
    // first interval i with cum[i + 1] >= w
    const cum = this.cum;
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid + 1]! >= w) hi = mid;
      else lo = mid + 1;
    }
    return this.starts[lo]! + (w - cum[lo]!);
  }

  /**
   * End of d working minutes started at t: processing pauses outside the intervals.
   * d = 0 ends at t. The end lands on an interval end when the work fits exactly.
   */
  endAfter(t: number, d: number): number {
    if (d <= 0) return t;
    if (this.alwaysOpen) return t + d;
    return this.instantAfterWork(this.workBefore(t) + d);
  }

  /**
   * Earliest setup start x >= t such that a setup of s minutes fits inside one working
   * interval and processing (d minutes) starts right after it at x + s. When d > 0 the
   * processing start must itself be a working instant of the same interval, so a setup never
   * ends exactly at shift end with the work waiting for the next shift.
   * s = 0 and d > 0 gives the next working instant; s = 0 and d = 0 gives t.
   */
  setupStart(t: number, s: number, d: number): number {
    if (s <= 0 && d <= 0) return t;
    if (this.alwaysOpen) return t;
    const room = s + (d > 0 ? 1 : 0);
    const n = this.starts.length;
    for (let i = this.firstEndingAfter(t); i < n; i++) {
      const x = Math.max(t, this.starts[i]!);
      if (x + room <= this.ends[i]!) return x;
    }
    return Infinity;
  }

  /** true when [a, b) lies inside one (merged) working interval; empty spans are inside */
  spanInside(a: number, b: number): boolean {
    if (b <= a || this.alwaysOpen) return true;
    const i = this.firstEndingAfter(a);
    return i < this.starts.length && this.starts[i]! <= a && b <= this.ends[i]!;
  }
}

const ALWAYS = new CalendarIndex(null);

/** Build one index per resource calendar; resources without a calendar share one instance. */
export function calendarIndexes(calendars: ReadonlyArray<readonly Interval[] | null>): CalendarIndex[] {
  return calendars.map((c) => (c === null ? ALWAYS : new CalendarIndex(c)));
}
