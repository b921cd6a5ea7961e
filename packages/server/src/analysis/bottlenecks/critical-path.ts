import { MINUTE, type AnalysisSlot } from '../model.js';
import { predecessorsOf, type AnalysisView } from '../view.js';

export interface PathStep {
  slotId: string;
  workCenterId: string;
  jobNumber: string;
  operationCode: string;
  start: string;
  end: string;
  /** why the walk came here from the step after it: the job's own routing, or the machine was busy */
  via: 'last' | 'routing' | 'machine';
}

export interface LateJobPath {
  jobId: string;
  jobNumber: string;
  dueDate: string;
  plannedEnd: string;
  lateMinutes: number;
  criticalPath: PathStep[];
}

/** A gap of at most this much working time still counts as "touching": minutes get rounded. */
const TOUCH_MS = MINUTE;

/**
 * The critical path of each late job: start at its last slot and walk back, each time to the
 * slot that held the current one up. Two things can: a routing predecessor (parts not there
 * yet) or the previous slot on the same work center (machine busy). One holds a slot up when
 * it "touches" it: no working time of the slot's center lies between its end and the slot's
 * start (ending at 14:30 on Friday touches a start at 06:00 on Monday). Of the touching ones
 * the walk follows the one that ends last, the routing on a tie; with none touching, the slot
 * started for a reason of its own and the path ends. One path per job keeps the answer
 * explainable: "J-1042 waited on WELD-02, which was busy with J-1039, ...".
 *
 * Late jobs: open jobs whose last active slot ends after the due date and that have an active
 * slot overlapping [from, to).
 */
export function lateJobPaths(view: AnalysisView, from: number, to: number): LateJobPath[] {
  const position = new Map<string, number>();
  for (const list of view.slotsByCenter.values()) list.forEach((s, i) => position.set(s.id, i));
  const touches = (before: AnalysisSlot, after: AnalysisSlot): boolean => {
    const cal = view.calendars.get(after.workCenterId);
    if (before.end >= after.start) return true;
    return (cal ? cal.workingMs(before.end, after.start) : after.start - before.end) <= TOUCH_MS;
  };

  const out: LateJobPath[] = [];
  for (const [jobId, slots] of view.slotsByJob) {
    const job = view.snapshot.jobs.get(jobId);
    if (!job || job.status === 'complete' || job.status === 'cancelled') continue;
    if (!slots.some((s) => s.start < to && s.end > from)) continue;
    const last = slots.reduce((a, b) => (b.end > a.end ? b : a));
    if (last.end <= job.dueDate) continue;

    const path: PathStep[] = [];
    const seen = new Set<string>();
    let cur: AnalysisSlot | undefined = last;
    let via: PathStep['via'] = 'last';
    while (cur && !seen.has(cur.id)) {
      seen.add(cur.id);
      path.push({
        slotId: cur.id,
        workCenterId: cur.workCenterId,
        jobNumber: cur.jobNumber,
        operationCode: cur.operationCode,
        start: new Date(cur.start).toISOString(),
        end: new Date(cur.end).toISOString(),
        via,
      });
      const here: AnalysisSlot = cur;
      let next: AnalysisSlot | undefined;
      for (const p of predecessorsOf(view, here)) {
        if (touches(p, here) && (!next || p.end > next.end)) {
          next = p;
          via = 'routing';
        }
      }
      const prevOnCenter = view.slotsByCenter.get(here.workCenterId)?.[(position.get(here.id) ?? 0) - 1];
      if (prevOnCenter && touches(prevOnCenter, here) && (!next || prevOnCenter.end > next.end)) {
        next = prevOnCenter;
        via = 'machine';
      }
      cur = next;
    }
    out.push({
      jobId,
      jobNumber: job.jobNumber,
      dueDate: new Date(job.dueDate).toISOString(),
      plannedEnd: new Date(last.end).toISOString(),
      lateMinutes: Math.round((last.end - job.dueDate) / MINUTE),
      criticalPath: path,
    });
  }
  return out.sort((a, b) => b.lateMinutes - a.lateMinutes || a.jobNumber.localeCompare(b.jobNumber));
}
