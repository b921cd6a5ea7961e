import { formatList, formatMinutes, formatRange } from '../format.js';
import { DAY, MINUTE, type AnalysisSlot } from '../model.js';
import { stepName, type AnalysisView } from '../view.js';
import { conflictOf, type Conflict } from './types.js';

/**
 * Rule: for each occurrence of a shift on a work center (from the shop calendar), the planned
 * minutes are the parts of its slots that fall inside the shift's [start, end) outside its
 * breaks; more than the shift's working minutes (its length less its breaks, the number the
 * planner plans with) by a whole minute is an overload. Overlapping slots count twice, as they do for the machine. A warning: the shift
 * can work overtime or push work to the next one. Centers without shifts have no shifts to
 * overload and are skipped.
 */
export function overloadedShiftConflicts(view: AnalysisView): Conflict[] {
  const out: Conflict[] = [];
  const tz = view.timeZone;
  for (const [centerId, slots] of view.slotsByCenter) {
    const center = view.snapshot.centers.get(centerId);
    if (!center || slots.length === 0) continue;
    const from = slots[0]!.start - DAY;
    const to = Math.max(...slots.map((s) => s.end)) + DAY;
    for (const occ of view.shop.occurrences(centerId, from, to)) {
      const capacity = occ.workingMinutes;
      let planned = 0;
      const involved: AnalysisSlot[] = [];
      for (const s of slots) {
        if (s.start >= occ.end) break; // sorted by start: nothing later can reach this shift
        const lo = Math.max(s.start, occ.start);
        const hi = Math.min(s.end, occ.end);
        if (hi <= lo) continue;
        let inside = hi - lo;
        for (const [a, b] of occ.breaks) inside -= Math.max(0, Math.min(b, hi) - Math.max(a, lo));
        if (inside <= 0) continue;
        planned += inside / MINUTE;
        involved.push(s);
      }
      if (planned < capacity + 1) continue;
      out.push(
        conflictOf('overloaded_shift', 'warning', involved, {
          workCenterId: centerId,
          from: occ.start,
          to: occ.end,
          explanation:
            `${centerId} shift ${occ.shiftNumber} (${occ.name}) on ${formatRange(occ.start, occ.end, tz)} has ${formatMinutes(planned, 'h')} planned ` +
            `against a capacity of ${formatMinutes(capacity, 'h')} per shift (${formatMinutes(planned - capacity, 'h')} over): ${formatList(involved.map(stepName))}.`,
        }),
      );
    }
  }
  return out;
}
