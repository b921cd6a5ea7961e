import type { CalendarIndex } from '@kerf/solver';

/** A booked stretch of a work center, in minutes from the promise's time zero. */
export interface Booking {
  start: number;
  end: number;
  /** who holds it (job number), for the justification */
  jobNumber: string;
  priority: number;
}

export interface Fit {
  setupStart: number;
  start: number;
  end: number;
}

/**
 * One work center's calendar and its existing bookings, treated as fixed: capable-to-promise
 * fits new work into the gaps and never moves what is booked. Bookings are merged into
 * disjoint busy stretches (sorted by start, hence also by end) so a fit is a binary search
 * plus a walk over the gaps.
 */
export class CenterTimeline {
  private starts: number[] = [];
  private ends: number[] = [];

  constructor(
    readonly id: string,
    readonly calendar: CalendarIndex,
    readonly bookings: readonly Booking[],
  ) {
    for (const b of [...bookings].sort((x, y) => x.start - y.start)) this.merge(b.start, b.end);
  }

  /** Marks [start, end) busy (the new job's own earlier steps on this center). */
  reserve(start: number, end: number): void {
    if (end <= start) return;
    const all = this.starts.map((s, i): [number, number] => [s, this.ends[i]!]);
    all.push([start, end]);
    all.sort((a, b) => a[0] - b[0]);
    this.starts = [];
    this.ends = [];
    for (const [a, b] of all) this.merge(a, b);
  }

  private merge(a: number, b: number): void {
    if (b <= a) return;
    const n = this.starts.length;
    if (n > 0 && a <= this.ends[n - 1]!) this.ends[n - 1] = Math.max(this.ends[n - 1]!, b);
    else {
      this.starts.push(a);
      this.ends.push(b);
    }
  }

  /** index of the first busy stretch ending after t */
  private firstEndingAfter(t: number): number {
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ends[mid]! > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * Earliest placement at or after `ready`: the setup inside one working interval (a setup is
   * not split), the run pausing outside working time, and the whole span [setupStart, end)
   * clear of bookings. null when the calendar has no room left.
   */
  earliestFit(ready: number, setup: number, run: number): Fit | null {
    let t = ready;
    for (;;) {
      const setupStart = this.calendar.setupStart(t, setup, run);
      if (!Number.isFinite(setupStart)) return null;
      const start = setupStart + setup;
      const end = run > 0 ? this.calendar.endAfter(start, run) : start;
      if (!Number.isFinite(end)) return null;
      const i = this.firstEndingAfter(setupStart);
      if (i >= this.starts.length || this.starts[i]! >= end) return { setupStart, start, end };
      t = this.ends[i]!;
    }
  }

  /** The same placement on an empty center: what the calendar alone allows. */
  freeFit(ready: number, setup: number, run: number): Fit | null {
    const setupStart = this.calendar.setupStart(ready, setup, run);
    if (!Number.isFinite(setupStart)) return null;
    const start = setupStart + setup;
    const end = run > 0 ? this.calendar.endAfter(start, run) : start;
    return Number.isFinite(end) ? { setupStart, start, end } : null;
  }

  /** Jobs whose bookings overlap [from, to): who kept this center busy. */
  bookedBetween(from: number, to: number): Booking[] {
    return this.bookings.filter((b) => b.start < to && b.end > from);
  }
}
