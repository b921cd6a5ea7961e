import { formatInstant, formatMinutes } from '../format.js';
import { MINUTE } from '../model.js';
import type { AnalysisView } from '../view.js';
import { conflictOf, type Conflict } from './types.js';

/**
 * Rule: a job (not complete or cancelled) whose latest active slot ends after its due date.
 * The conflict names that last slot. A warning: the plan can be carried out, the customer just
 * gets the job late.
 */
export function lateJobConflicts(view: AnalysisView): Conflict[] {
  const out: Conflict[] = [];
  const tz = view.timeZone;
  for (const [jobId, slots] of view.slotsByJob) {
    const job = view.snapshot.jobs.get(jobId);
    if (!job || job.status === 'complete' || job.status === 'cancelled') continue;
    const last = slots.reduce((a, b) => (b.end > a.end ? b : a));
    if (last.end <= job.dueDate) continue;
    out.push(
      conflictOf('late_job', 'warning', [last], {
        workCenterId: last.workCenterId,
        from: job.dueDate,
        to: last.end,
        explanation:
          `${job.jobNumber} is due ${formatInstant(job.dueDate, tz)} but its last step, ${last.operationCode} on ${last.workCenterId}, ` +
          `ends ${formatInstant(last.end, tz)}: ${formatMinutes((last.end - job.dueDate) / MINUTE)} late.`,
      }),
    );
  }
  return out;
}
