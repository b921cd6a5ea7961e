/**
 * Non-working time of a work center in a window, from its weekly shifts and the calendar
 * exceptions (holiday, maintenance, shutdown close the whole day). Shift times are wall-clock
 * times in the shop's time zone, daylight-saving aware, as the server plans them.
 */
import type { CalendarException, Shift } from '../../api/types';
import { localParts, localToUtc } from '../../format';

const DAY = 86_400_000;

export interface Interval {
  start: number;
  end: number;
}

function minuteOfDay(hms: string): number {
  const [h = '0', m = '0', s = '0'] = hms.split(':');
  return Number(h) * 60 + Number(m) + Number(s) / 60;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Working intervals of one work center overlapping [from, to), merged and sorted. */
export function workingTime(shifts: Shift[], closedDays: Set<string>, from: number, to: number): Interval[] {
  const out: Interval[] = [];
  // Local days from the one before `from` (a night shift reaching into the window) to `to`.
  const first = localParts(from - DAY);
  for (let i = 0; ; i++) {
    const dayStart = localToUtc(first.year, first.month, first.day + i);
    if (dayStart >= to) break;
    const l = localParts(dayStart);
    if (closedDays.has(`${l.year}-${pad(l.month)}-${pad(l.day)}`)) continue;
    for (const s of shifts) {
      if (!s.isActive || s.dayOfWeek !== l.weekday) continue;
      const startMin = minuteOfDay(s.startTime);
      let endMin = minuteOfDay(s.endTime);
      if (endMin <= startMin) endMin += 24 * 60;
      const start = localToUtc(l.year, l.month, l.day, startMin);
      const end = localToUtc(l.year, l.month, l.day, endMin);
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
