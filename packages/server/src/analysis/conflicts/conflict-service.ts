import type { Db } from '../../platform/db.js';
import { invalid } from '../../platform/errors.js';
import { materialDemand, materialStock, overlappingSlotPairs, wrongTypeSlots } from '../conflict-queries.js';
import { loadAnalysisSnapshot } from '../analysis-queries.js';
import { buildView, type AnalysisView } from '../view.js';
import { lateJobConflicts } from './late-jobs.js';
import { materialShortConflicts } from './material-short.js';
import { outsideWorkingTimeConflicts } from './outside-working-time.js';
import { overlapConflicts } from './overlaps.js';
import { overloadedShiftConflicts } from './overloaded-shifts.js';
import { precedenceConflicts } from './precedence.js';
import { CONFLICT_KINDS, type Conflict, type ConflictKind } from './types.js';
import { workCenterDownConflicts } from './work-center-down.js';
import { wrongTypeConflicts } from './wrong-type.js';

export interface ConflictFilter {
  from?: string;
  to?: string;
  workCenterId?: string;
  kind?: ConflictKind;
}

export interface ConflictReport {
  timeZone: string;
  total: number;
  counts: Record<ConflictKind, number>;
  items: Conflict[];
}

type Detector = (db: Db, view: AnalysisView) => Promise<Conflict[]> | Conflict[];

const DETECTORS: Record<ConflictKind, Detector> = {
  overlap: async (db, view) => overlapConflicts(view, await overlappingSlotPairs(db)),
  outside_working_time: (_db, view) => outsideWorkingTimeConflicts(view),
  precedence: (_db, view) => precedenceConflicts(view),
  wrong_type: async (db, view) => wrongTypeConflicts(view, await wrongTypeSlots(db)),
  late_job: (_db, view) => lateJobConflicts(view),
  overloaded_shift: (_db, view) => overloadedShiftConflicts(view),
  material_short: async (db, view) => materialShortConflicts(view, await materialDemand(db), await materialStock(db)),
  work_center_down: (_db, view) => workCenterDownConflicts(view),
};

/**
 * Conflicts of the current schedule. Detection always runs over every active slot, because a
 * conflict inside the window can be caused by work outside it (a predecessor, an earlier slot);
 * the filters only choose which conflicts are reported: those of the kind, those touching the
 * work center (as its center or through one of its slots), and those whose time [from, to)
 * meets the window (conflicts without a time, such as material for unscheduled jobs, always do).
 */
export async function findConflicts(db: Db, timeZone: string, filter: ConflictFilter): Promise<ConflictReport> {
  const from = filter.from ? Date.parse(filter.from) : -Infinity;
  const to = filter.to ? Date.parse(filter.to) : Infinity;
  if (!(to > from)) throw invalid('to', 'must be after from');
  const view = buildView(await loadAnalysisSnapshot(db, timeZone));
  const kinds = filter.kind ? [filter.kind] : CONFLICT_KINDS;
  const found: Conflict[] = [];
  for (const kind of kinds) found.push(...(await DETECTORS[kind](db, view)));

  const items = found.filter((c) => {
    if (
      filter.workCenterId &&
      c.workCenterId !== filter.workCenterId &&
      !c.slotIds.some((id) => view.slotById.get(id)?.workCenterId === filter.workCenterId)
    ) {
      return false;
    }
    if (c.from === undefined) return true;
    const a = Date.parse(c.from);
    const b = c.to === undefined ? a : Date.parse(c.to);
    // [a, b) meets [from, to); an instant (a = b) meets it when it lies inside.
    return a < to && (b > from || (a === b && a >= from));
  });
  items.sort(
    (x, y) =>
      severityRank(x) - severityRank(y) || (x.from ?? '').localeCompare(y.from ?? '') || x.kind.localeCompare(y.kind),
  );
  const counts = Object.fromEntries(CONFLICT_KINDS.map((k) => [k, 0])) as Record<ConflictKind, number>;
  for (const c of items) counts[c.kind]++;
  return { timeZone, total: items.length, counts, items };
}

const severityRank = (c: Conflict): number => (c.severity === 'error' ? 0 : 1);
