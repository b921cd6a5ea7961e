import { isoDate, localDate, localToUtc } from '../platform/time-zone.js';
import type { AnalysisException, AnalysisShift } from './model.js';

export interface ShiftOccurrence {
  workCenterId: string;
  shiftNumber: number;
  name: string;
  /** local date the shift starts on, YYYY-MM-DD */
  date: string;
  start: number;
  end: number;
}

const minutesOf = (t: string): number => {
  const [h, m] = t.split(':');
  return Number(h) * 60 + Number(m);
};

/**
 * Each individual shift of one work center that starts in [fromMs, toMs), unmerged: the
 * per-shift capacity check needs the shift as an occurrence with a name, whereas
 * workingIntervals() merges touching shifts into one stretch. The rules are the same as there:
 * shifts are local wall-clock times, an end at or before the start ends the next day, and a
 * holiday, maintenance or shutdown exception on a date removes the shifts starting that date.
 */
export function shiftOccurrences(
  shifts: readonly AnalysisShift[],
  exceptions: readonly AnalysisException[],
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
  const first = localDate(fromMs, timeZone);
  for (let i = 0; ; i++) {
    const d = new Date(Date.UTC(first.year, first.month - 1, first.day + i));
    const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    if (localToUtc(y, m, day, 0, timeZone) >= toMs) break;
    const date = isoDate(y, m, day);
    if (blocked.has(date)) continue;
    const weekday = (d.getUTCDay() + 6) % 7;
    for (const s of own) {
      if (s.dayOfWeek !== weekday) continue;
      const startMin = minutesOf(s.startTime);
      let endMin = minutesOf(s.endTime);
      if (endMin <= startMin) endMin += 1440;
      const start = localToUtc(y, m, day, startMin, timeZone);
      if (start < fromMs || start >= toMs) continue;
      out.push({
        workCenterId,
        shiftNumber: s.shiftNumber,
        name: s.name,
        date,
        start,
        end: localToUtc(y, m, day, endMin, timeZone),
      });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
