import { formatInstant, formatMinutes, formatRange } from '../format.js';
import { MINUTE } from '../model.js';
import { stepName, type AnalysisView } from '../view.js';
import { conflictOf, type Conflict } from './types.js';

/**
 * Rule: a slot must START at an instant inside one of its work center's working intervals and
 * END at an instant inside or at the end of one. In between it may span nights, weekends and
 * holidays: work pauses at shift end and resumes at the next shift (handbook, Calendars), so a
 * percentage-of-length rule would flag every valid overnight slot. Error when none of the
 * slot's minutes are working time (nobody will do it as planned), warning otherwise (the work
 * fits partly and will finish later than shown). A center without any shift has no calendar
 * yet and is always available, as the planner assumes, so its slots are never flagged.
 */
export function outsideWorkingTimeConflicts(view: AnalysisView): Conflict[] {
  const out: Conflict[] = [];
  const tz = view.timeZone;
  for (const s of view.snapshot.slots) {
    const cal = view.calendars.get(s.workCenterId);
    if (!cal || cal.alwaysOpen) continue;
    const startsOutside = !cal.isWorkingAt(s.start);
    const endsOutside = !cal.isWorkingUntil(s.end);
    if (!startsOutside && !endsOutside) continue;
    const working = cal.workingMs(s.start, s.end) / MINUTE;
    const length = (s.end - s.start) / MINUTE;
    const reasons: string[] = [];
    if (startsOutside) {
      const next = cal.nextWorkingStart(s.start);
      reasons.push(
        `it starts outside its shifts (${next === null ? 'no shift follows in the calendar' : `next shift starts ${formatInstant(next, tz)}`})`,
      );
    }
    if (endsOutside) reasons.push(`it ends at ${formatInstant(s.end, tz)}, when no shift is running`);
    out.push(
      conflictOf('outside_working_time', working === 0 ? 'error' : 'warning', [s], {
        workCenterId: s.workCenterId,
        from: s.start,
        to: s.end,
        explanation:
          `${stepName(s)} is planned on ${s.workCenterId} ${formatRange(s.start, s.end, tz)} outside working time: ${reasons.join(' and ')}; ` +
          `${formatMinutes(working)} of its ${formatMinutes(length)} fall in working time.`,
      }),
    );
  }
  return out;
}
