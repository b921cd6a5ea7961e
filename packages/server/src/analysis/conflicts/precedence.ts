import { formatInstant, formatMinutes } from '../format.js';
import { MINUTE } from '../model.js';
import { predecessorsOf, stepName, type AnalysisView } from '../view.js';
import { conflictOf, type Conflict } from './types.js';

/**
 * Rule: a slot must not start before every slot of the routing steps it depends on
 * (job_routings.dependencies) has ended. One conflict per (slot, predecessor slot) pair.
 * Predecessors that are complete or not scheduled at all are not checked: there is no planned
 * end to compare with. Always an error: the parts are not there yet.
 */
export function precedenceConflicts(view: AnalysisView): Conflict[] {
  const out: Conflict[] = [];
  const tz = view.timeZone;
  for (const s of view.snapshot.slots) {
    for (const p of predecessorsOf(view, s)) {
      if (s.start >= p.end) continue;
      out.push(
        conflictOf('precedence', 'error', [s, p], {
          workCenterId: s.workCenterId,
          from: s.start,
          to: p.end,
          explanation:
            `${stepName(s)} (step ${s.sequence}) starts ${formatInstant(s.start, tz)} on ${s.workCenterId}, ` +
            `${formatMinutes((p.end - s.start) / MINUTE)} before ${stepName(p)} (step ${p.sequence}), which must finish first, ` +
            `ends ${formatInstant(p.end, tz)} on ${p.workCenterId}.`,
        }),
      );
    }
  }
  return out;
}
