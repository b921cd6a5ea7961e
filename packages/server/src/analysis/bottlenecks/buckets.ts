import { isoDate, localDate, localToUtc } from '../../platform/time-zone.js';

/** A stretch of the analysis window: one local day or one ISO week, clipped to the window. */
export interface Bucket {
  /** "2026-11-30" for a day, "2026-W49" for an ISO week */
  key: string;
  start: number;
  end: number;
}

/** ISO 8601 week of a calendar date: weeks start on Monday, week 1 holds the year's first Thursday. */
export function isoWeekKey(year: number, month: number, day: number): string {
  const date = Date.UTC(year, month - 1, day);
  const weekday = (new Date(date).getUTCDay() + 6) % 7; // 0 = Monday
  const thursday = new Date(date + (3 - weekday) * 86_400_000);
  const isoYear = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / (7 * 86_400_000));
  return `${isoYear}-W${String(week).padStart(2, '0')}`;
}

/**
 * The local days and ISO weeks of [fromMs, toMs) in the shop's time zone. Day boundaries are
 * local midnights, so a day across a daylight-saving change is 23 or 25 hours long, as the
 * floor lives it.
 */
export function buckets(fromMs: number, toMs: number, timeZone: string): { days: Bucket[]; weeks: Bucket[] } {
  const days: Bucket[] = [];
  const weeks: Bucket[] = [];
  const first = localDate(fromMs, timeZone);
  for (let i = 0; ; i++) {
    const d = new Date(Date.UTC(first.year, first.month - 1, first.day + i));
    const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    const dayStart = localToUtc(y, m, day, 0, timeZone);
    if (dayStart >= toMs) break;
    const next = new Date(Date.UTC(y, m - 1, day + 1));
    const dayEnd = localToUtc(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, timeZone);
    const start = Math.max(dayStart, fromMs);
    const end = Math.min(dayEnd, toMs);
    if (end <= start) continue;
    days.push({ key: isoDate(y, m, day), start, end });
    const week = isoWeekKey(y, m, day);
    const last = weeks[weeks.length - 1];
    if (last && last.key === week) last.end = end;
    else weeks.push({ key: week, start, end });
  }
  return { days, weeks };
}
