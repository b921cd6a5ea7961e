/**
 * Non-working time of a work center in a window, from its weekly shifts and the calendar
 * exceptions (holiday, maintenance, shutdown close the whole day). UTC for now: shift times
 * are read as UTC wall-clock times.
 */
import type { CalendarException, Shift } from '../../api/types';

const DAY = 86_400_000;

export interface Interval {
  start: number;
  end: number;
}

function timeOfDay(hms: string): number {
  const [h = '0', m = '0', s = '0'] = hms.split(':');
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000;
}

/** Working intervals of one work center overlapping [from, to), merged and sorted. */
export function workingTime(shifts: Shift[], closedDays: Set<string>, from: number, to: number): Interval[] {
  const out: Interval[] = [];
  const firstDay = Math.floor(from / DAY) * DAY - DAY; // a night shift from the day before
  for (let day = firstDay; day < to; day += DAY) {
    const date = new Date(day);
    if (closedDays.has(date.toISOString().slice(0, 10))) continue;
    const weekday = (date.getUTCDay() + 6) % 7; // 0 = Monday
    for (const s of shifts) {
      if (!s.isActive || s.dayOfWeek !== weekday) continue;
      const start = day + timeOfDay(s.startTime);
      let end = day + timeOfDay(s.endTime);
      if (end <= start) end += DAY;
      if (end > from && start < to) out.push({ start: Math.max(start, from), end: Math.min(end, to) });
    }
  }
  out.sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const i of out) {
    const last = merged[merged.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else merged.push({ ...i });
  }
  return merged;
}

/** The complement of the working time in [from, to). */
export function nonWorkingTime(shifts: Shift[], closedDays: Set<string>, from: number, to: number): Interval[] {
  const gaps: Interval[] = [];
  let cursor = from;
  for (const w of workingTime(shifts, closedDays, from, to)) {
    if (w.start > cursor) gaps.push({ start: cursor, end: w.start });
    cursor = Math.max(cursor, w.end);
  }
  if (cursor < to) gaps.push({ start: cursor, end: to });
  return gaps;
}

/** Closed days (YYYY-MM-DD) per work center; exceptions without a work center close every one. */
export function closedDaysByWorkCenter(
  exceptions: CalendarException[],
  workCenterIds: string[],
): Map<string, Set<string>> {
  const map = new Map(workCenterIds.map((id) => [id, new Set<string>()]));
  for (const e of exceptions) {
    const day = e.exceptionDate.slice(0, 10);
    if (e.workCenterId === null) for (const set of map.values()) set.add(day);
    else map.get(e.workCenterId)?.add(day);
  }
  return map;
}

/** Available minutes of a work center in [from, to). */
export function capacityMinutes(shifts: Shift[], closedDays: Set<string>, from: number, to: number): number {
  return workingTime(shifts, closedDays, from, to).reduce((sum, i) => sum + (i.end - i.start) / 60_000, 0);
}
