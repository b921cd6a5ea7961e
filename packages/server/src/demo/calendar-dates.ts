/**
 * Date arithmetic on UTC calendar days (YYYY-MM-DD strings), and the US holidays a
 * fabrication plant typically closes for. No clock is read here: callers pass dates in.
 */

const DAY_MS = 86_400_000;

export function parseDay(day: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`expected YYYY-MM-DD, got "${day}"`);
  const d = new Date(`${day}T00:00:00.000Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day)
    throw new Error(`not a calendar date: "${day}"`);
  return d;
}

export const formatDay = (d: Date): string => d.toISOString().slice(0, 10);

export const addDays = (d: Date, days: number): Date => new Date(d.getTime() + days * DAY_MS);

/** 0 = Monday ... 6 = Sunday, the convention of shift_calendars.day_of_week */
export const weekdayOf = (d: Date): number => (d.getUTCDay() + 6) % 7;

/** The Monday 00:00 UTC of the week containing `now`. */
export function mondayOf(now: Date): string {
  const midnight = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  return formatDay(addDays(midnight, -weekdayOf(midnight)));
}

/** The n-th (1-based) given weekday (0 = Monday) of a month; n = -1 for the last one. */
function nthWeekday(year: number, month: number, weekday: number, n: number): Date {
  if (n > 0) {
    const first = new Date(Date.UTC(year, month, 1));
    return addDays(first, ((weekday - weekdayOf(first) + 7) % 7) + (n - 1) * 7);
  }
  const last = new Date(Date.UTC(year, month + 1, 0));
  return addDays(last, -((weekdayOf(last) - weekday + 7) % 7));
}

/** A fixed-date holiday on a weekend is observed on the Friday before or the Monday after. */
function observed(d: Date): Date {
  const wd = weekdayOf(d);
  if (wd === 5) return addDays(d, -1);
  if (wd === 6) return addDays(d, 1);
  return d;
}

export interface Holiday {
  date: string;
  name: string;
}

function holidaysOfYear(year: number): Holiday[] {
  const thanksgiving = nthWeekday(year, 10, 3, 4);
  const christmasEve = new Date(Date.UTC(year, 11, 24));
  const list: Array<[Date, string]> = [
    [observed(new Date(Date.UTC(year, 0, 1))), "New Year's Day"],
    [nthWeekday(year, 4, 0, -1), 'Memorial Day'],
    [observed(new Date(Date.UTC(year, 6, 4))), 'Independence Day'],
    [nthWeekday(year, 8, 0, 1), 'Labor Day'],
    [thanksgiving, 'Thanksgiving Day'],
    [addDays(thanksgiving, 1), 'Day after Thanksgiving'],
    // Christmas Eve is a plant holiday only on a weekday; it yields to an observed Christmas.
    ...(weekdayOf(christmasEve) < 5 ? [[christmasEve, 'Christmas Eve'] as [Date, string]] : []),
    [observed(new Date(Date.UTC(year, 11, 25))), 'Christmas Day'],
  ];
  const byDate = new Map<string, string>();
  for (const [d, name] of list) byDate.set(formatDay(d), name);
  return [...byDate].map(([date, name]) => ({ date, name }));
}

/** Plant holidays on or after `from` and before `until`, in date order. */
export function usHolidays(from: Date, until: Date): Holiday[] {
  const out: Holiday[] = [];
  for (let y = from.getUTCFullYear() - 1; y <= until.getUTCFullYear() + 1; y++) {
    for (const h of holidaysOfYear(y)) {
      const d = parseDay(h.date);
      if (d >= from && d < until && !out.some((o) => o.date === h.date)) out.push(h);
    }
  }
  return out.sort((a, b) => a.date.localeCompare(b.date));
}
