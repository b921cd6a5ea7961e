import { isoDate, localDate, localToUtc } from '../platform/time-zone.js';

export interface ShiftRule {
  dayOfWeek: number; // 0 = Monday, the day the shift starts
  startTime: string; // HH:MM[:SS] local
  endTime: string; // at or before startTime: ends the next day
  isActive: boolean;
}

export interface CalendarException {
  workCenterId: string | null; // null: plant-wide
  exceptionDate: string; // YYYY-MM-DD local
  exceptionType: string;
}

/** [start, end) in UTC milliseconds */
export type UtcInterval = [number, number];

const minutesOf = (t: string): number => {
  const [h, m] = t.split(':');
  return Number(h) * 60 + Number(m);
};

/**
 * The working intervals of one work center between two instants: each active shift on each
 * local day, minus the days with a holiday, shutdown or maintenance exception. An exception on
 * a date removes the shifts that start that date (a night shift that starts the evening before
 * a holiday still runs its hours into the holiday morning, as shops do). Touching shifts merge.
 */
export function workingIntervals(
  shifts: readonly ShiftRule[],
  exceptions: readonly CalendarException[],
  workCenterId: string,
  fromMs: number,
  toMs: number,
  timeZone: string,
): UtcInterval[] {
  const blocked = new Set(
    exceptions.filter((e) => e.workCenterId === null || e.workCenterId === workCenterId).map((e) => e.exceptionDate),
  );
  const active = shifts.filter((s) => s.isActive);
  const out: UtcInterval[] = [];
  // Start a day early so a night shift from the previous evening is included.
  const first = localDate(fromMs - 86_400_000, timeZone);
  for (let i = 0; ; i++) {
    const dayUtc = Date.UTC(first.year, first.month - 1, first.day + i);
    const d = new Date(dayUtc);
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth() + 1;
    const day = d.getUTCDate();
    const dayStart = localToUtc(y, m, day, 0, timeZone);
    if (dayStart >= toMs) break;
    if (blocked.has(isoDate(y, m, day))) continue;
    const weekday = (d.getUTCDay() + 6) % 7;
    for (const s of active) {
      if (s.dayOfWeek !== weekday) continue;
      const startMin = minutesOf(s.startTime);
      let endMin = minutesOf(s.endTime);
      if (endMin <= startMin) endMin += 1440;
      const start = localToUtc(y, m, day, startMin, timeZone);
      const end = localToUtc(y, m, day, endMin, timeZone);
      const a = Math.max(start, fromMs);
      const b = Math.min(end, toMs);
      if (b > a) out.push([a, b]);
    }
  }
  out.sort((p, q) => p[0] - q[0]);
  const merged: UtcInterval[] = [];
  for (const iv of out) {
    const last = merged[merged.length - 1];
    if (last && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1]);
    else merged.push([iv[0], iv[1]]);
  }
  return merged;
}
