import { formatList, formatRange } from '../format.js';
import { stepName, type AnalysisView } from '../view.js';
import { conflictOf, type Conflict } from './types.js';

/**
 * Rule: a work center switched off in the shop model (is_active = false) that still has active
 * slots. One conflict per center, naming all of them. Machine status from MTConnect / OPC UA
 * (offline, alarm) would belong here too once Kerf stores it; it does not yet. An error: the
 * work will not happen there.
 */
export function workCenterDownConflicts(view: AnalysisView): Conflict[] {
  const out: Conflict[] = [];
  for (const [centerId, slots] of view.slotsByCenter) {
    const center = view.snapshot.centers.get(centerId);
    if (!center || center.isActive || slots.length === 0) continue;
    const from = slots[0]!.start;
    const to = Math.max(...slots.map((s) => s.end));
    out.push(
      conflictOf('work_center_down', 'error', slots, {
        workCenterId: centerId,
        from,
        to,
        explanation:
          `${centerId} (${center.name}) is switched off (inactive) but has ${slots.length} slot${slots.length === 1 ? '' : 's'} planned ` +
          `${formatRange(from, to, view.timeZone)}: ${formatList(slots.map(stepName))}.`,
      }),
    );
  }
  return out;
}
