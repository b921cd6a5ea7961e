import { formatMinutes, formatRange } from '../format.js';
import { MINUTE } from '../model.js';
import { stepName, type AnalysisView } from '../view.js';
import { conflictOf, type Conflict } from './types.js';

/**
 * Rule: two active slots on one work center whose [start, end) intervals intersect (touching
 * end-to-start is fine). One conflict per pair, found by the SQL self-join in
 * conflict-queries.ts. Always an error: a machine does one job at a time.
 */
export function overlapConflicts(
  view: AnalysisView,
  pairs: ReadonlyArray<{ firstId: string; secondId: string }>,
): Conflict[] {
  const out: Conflict[] = [];
  for (const p of pairs) {
    const a = view.slotById.get(p.firstId);
    const b = view.slotById.get(p.secondId);
    // Both queries read committed data a moment apart; a slot changed in between is skipped.
    if (!a || !b) continue;
    const from = Math.min(a.start, b.start);
    const to = Math.max(a.end, b.end);
    const overlap = (Math.min(a.end, b.end) - Math.max(a.start, b.start)) / MINUTE;
    const tz = view.timeZone;
    out.push(
      conflictOf('overlap', 'error', [a, b], {
        workCenterId: a.workCenterId,
        from,
        to,
        explanation:
          `${a.workCenterId} is booked twice on ${formatRange(from, to, tz)}: ${stepName(a)} (${formatRange(a.start, a.end, tz)}) ` +
          `and ${stepName(b)} (${formatRange(b.start, b.end, tz)}) overlap by ${formatMinutes(overlap)}.`,
      }),
    );
  }
  return out;
}
