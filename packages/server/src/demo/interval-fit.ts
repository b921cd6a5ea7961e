import type { UtcInterval } from '../shop/calendar-walk.js';

/** Fitting work into a work center's working intervals ([start, end) UTC ms, sorted, merged). */

/**
 * The earliest instant at or after `ready` inside working time where the setup fits in the
 * rest of its interval (a setup is not split across non-working time).
 */
export function earliestStart(intervals: readonly UtcInterval[], ready: number, setupMs: number): number | undefined {
  for (const [a, b] of intervals) {
    if (b <= ready) continue;
    const start = Math.max(a, ready);
    // An interval shorter than the setup itself would never fit; start it at the interval's start.
    if (b - start >= setupMs || (start === a && b - a < setupMs)) return start;
  }
  return undefined;
}

/** When `workMs` of working time started at `start` is done; work pauses outside the intervals. */
export function finishTime(intervals: readonly UtcInterval[], start: number, workMs: number): number | undefined {
  let left = workMs;
  for (const [a, b] of intervals) {
    if (b <= start) continue;
    const from = Math.max(a, start);
    if (b - from >= left) return from + left;
    left -= b - from;
  }
  return undefined;
}

/** True when `t` lies inside working time (interval start included, end excluded). */
export const isWorking = (intervals: readonly UtcInterval[], t: number): boolean =>
  intervals.some(([a, b]) => t >= a && t < b);
