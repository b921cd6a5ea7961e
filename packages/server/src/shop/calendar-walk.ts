import { isoDate, localDate, localToUtc } from '../platform/time-zone.js';

/** A weekly shift rule as stored in shift_calendars. */
export interface ShiftRule {
  workCenterId: string;
  dayOfWeek: number; // 0 = Monday, the day the shift starts
  shiftNumber?: number;
  name?: string;
  startTime: string; // HH:MM[:SS] local
  endTime: string; // at or before startTime: ends the next day
  isActive: boolean;
  /** local spans not worked; a span before the start lies on the next day */
  breaks?: ReadonlyArray<{ start: string; end: string }>;
}

export interface CalendarException {
  workCenterId: string | null; // null: plant-wide
  exceptionDate: string; // YYYY-MM-DD local
  exceptionType: string;
}

/** [start, end) in UTC milliseconds */
export type UtcInterval = [number, number];

export interface ShiftOccurrence {
  workCenterId: string;
  shiftNumber: number;
  name: string;
  /** local date the shift starts on, YYYY-MM-DD */
  date: string;
  start: number;
  end: number;
  /** UTC spans inside [start, end) not worked, sorted */
  breaks: UtcInterval[];
  /** (end - start) less the breaks, in minutes: the shift's capacity */
  workingMinutes: number;
}

const DAY = 86_400_000;

export const minuteOfDay = (t: string): number => {
  const [h, m] = t.split(':');
  return Number(h) * 60 + Number(m);
};

/** Minutes of a shift's span after its start day's midnight; an end at or before the start is the next day. */
export function shiftSpanMinutes(startTime: string, endTime: string): [number, number] {
  const a = minuteOfDay(startTime);
  let b = minuteOfDay(endTime);
  if (b <= a) b += 1440;
  return [a, b];
}

/** A break's span in the same minutes as shiftSpanMinutes: a time before the shift start is the next day. */
export function breakSpanMinutes(shiftStart: number, start: string, end: string): [number, number] {
  let a = minuteOfDay(start);
  if (a < shiftStart) a += 1440;
  let b = minuteOfDay(end);
  while (b <= a) b += 1440;
  return [a, b];
}

/**
 * The one walk over local days that all working time comes from: each active shift of one work
 * center on each local day in the shop's zone (so a shift keeps its wall-clock times across a
 * daylight-saving change), minus the days with a holiday, shutdown or maintenance exception. An
 * exception on a date removes the shifts that start that date (a night shift that starts the
 * evening before a holiday still runs its hours into the holiday morning, as shops do).
 * Answers every occurrence overlapping [fromMs, toMs), unclipped, sorted by start.
 */
export function shiftOccurrences(
  shifts: readonly ShiftRule[],
  exceptions: readonly CalendarException[],
  workCenterId: string,
  fromMs: number,
  toMs: number,
  timeZone: string,
): ShiftOccurrence[] {
  const own = shifts.filter((s) => s.isActive && s.workCenterId === workCenterId);
  if (own.length === 0) return [];
  const blocked = new Set(
    exceptions.filter((e) => e.workCenterId === null || e.workCenterId === workCenterId).map((e) => e.exceptionDate),
  );
  const out: ShiftOccurrence[] = [];
  // Start a day early so a night shift from the previous evening is included.
  const first = localDate(fromMs - DAY, timeZone);
  for (let i = 0; ; i++) {
    const d = new Date(Date.UTC(first.year, first.month - 1, first.day + i));
    const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    if (localToUtc(y, m, day, 0, timeZone) >= toMs) break;
    const date = isoDate(y, m, day);
    if (blocked.has(date)) continue;
    const weekday = (d.getUTCDay() + 6) % 7;
    for (const s of own) {
      if (s.dayOfWeek !== weekday) continue;
      const [startMin, endMin] = shiftSpanMinutes(s.startTime, s.endTime);
      const start = localToUtc(y, m, day, startMin, timeZone);
      const end = localToUtc(y, m, day, endMin, timeZone);
      if (end <= fromMs || start >= toMs) continue;
      const breaks: UtcInterval[] = [];
      for (const b of s.breaks ?? []) {
        const [ba, bb] = breakSpanMinutes(startMin, b.start, b.end);
        const a = Math.max(start, localToUtc(y, m, day, ba, timeZone));
        const z = Math.min(end, localToUtc(y, m, day, bb, timeZone));
        if (z > a) breaks.push([a, z]);
      }
      breaks.sort((p, q) => p[0] - q[0]);
      const breakMs = breaks.reduce((sum, [a, z]) => sum + z - a, 0);
      out.push({
        workCenterId,
        shiftNumber: s.shiftNumber ?? 0,
        name: s.name ?? '',
        date,
        start,
        end,
        breaks,
        workingMinutes: Math.round((end - start - breakMs) / 60_000),
      });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The worked parts of the occurrences inside [fromMs, toMs): breaks cut out, touching spans merged. */
export function workingIntervalsOf(
  occurrences: readonly ShiftOccurrence[],
  fromMs: number,
  toMs: number,
): UtcInterval[] {
  const pieces: UtcInterval[] = [];
  for (const o of occurrences) {
    let cursor = o.start;
    for (const [a, z] of [...o.breaks, [o.end, o.end] as UtcInterval]) {
      const lo = Math.max(cursor, fromMs);
      const hi = Math.min(a, toMs);
      if (hi > lo) pieces.push([lo, hi]);
      cursor = Math.max(cursor, z);
    }
  }
  return mergeIntervals(pieces);
}

/** Intervals sorted and merged where they touch or overlap (a new array; the input is left as it was). */
export function mergeIntervals(pieces: readonly UtcInterval[]): UtcInterval[] {
  const merged: UtcInterval[] = [];
  for (const iv of [...pieces].sort((p, q) => p[0] - q[0])) {
    const last = merged[merged.length - 1];
    if (last && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1]);
    else merged.push([iv[0], iv[1]]);
  }
  return merged;
}

/** Working intervals of one center, or null when it has no shift rule at all (always open, as the planner treats it). */
export function centerWorkingIntervals(
  shifts: readonly ShiftRule[],
  exceptions: readonly CalendarException[],
  workCenterId: string,
  fromMs: number,
  toMs: number,
  timeZone: string,
): UtcInterval[] | null {
  if (!shifts.some((s) => s.workCenterId === workCenterId)) return null;
  return workingIntervalsOf(shiftOccurrences(shifts, exceptions, workCenterId, fromMs, toMs, timeZone), fromMs, toMs);
}
