import { formatRange } from '../format.js';
import { stepName, type AnalysisView } from '../view.js';
import { conflictOf, type Conflict } from './types.js';

/**
 * Rule: the slot's work center machine_type differs from the routing step's work_center_type
 * (found in SQL, conflict-queries.ts). POST /schedule-slots refuses this, but imports, direct
 * edits and a center whose type was changed afterwards can still produce it. Always an error.
 */
export function wrongTypeConflicts(
  view: AnalysisView,
  rows: ReadonlyArray<{ slotId: string; machineType: string; neededType: string }>,
): Conflict[] {
  const out: Conflict[] = [];
  for (const r of rows) {
    const s = view.slotById.get(r.slotId);
    if (!s) continue;
    out.push(
      conflictOf('wrong_type', 'error', [s], {
        workCenterId: s.workCenterId,
        from: s.start,
        to: s.end,
        explanation:
          `${stepName(s)} is planned on ${s.workCenterId} (${formatRange(s.start, s.end, view.timeZone)}), a ${r.machineType} work center, ` +
          `but the step needs a ${r.neededType}.`,
      }),
    );
  }
  return out;
}
