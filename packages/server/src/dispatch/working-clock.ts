import type { ShopCalendar } from '../shop/calendar-shop.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * A clock that runs only while the work center works: minutes of its working time since a
 * fixed origin. CR and SLACK measure "time until due" on it, as the planner counts capacity,
 * so a job due Monday morning has Friday's last hours and Monday's first, not the weekend.
 * The span is widened to whole UTC days so the calendar's memo serves a whole day of requests.
 */
export function workingClock(
  shop: ShopCalendar,
  workCenterId: string,
  instants: readonly number[],
): (ms: number) => number {
  const lo = Math.floor(Math.min(...instants) / DAY) * DAY - DAY;
  const hi = Math.ceil(Math.max(...instants) / DAY) * DAY + DAY;
  const index = shop.calendarIndex(workCenterId, lo, hi);
  return (ms) => index.workBefore((ms - lo) / MINUTE);
}
