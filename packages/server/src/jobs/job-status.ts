import type { Actor } from '../auth/actor.js';
import type { Permission } from '../auth/permissions.js';
import { AppError, invalid } from '../platform/errors.js';
import type { JOB_STATUSES } from './schemas.js';

/**
 * The one table of job statuses (ADR 0014). A job is created planned, on hold
 * or released, and reaches in_progress and complete only through released: release is the
 * production manager's decision (job:release), so no request may step around it.
 */
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Statuses a new job may be created with (API and CSV import). */
export const INITIAL_STATUSES: readonly JobStatus[] = ['planned', 'on_hold', 'released'];

/**
 * Allowed next statuses. on_hold goes back only to the status it was held from (or planned,
 * or cancelled): see nextStatuses. complete and cancelled are final.
 */
const TRANSITIONS: Record<JobStatus, readonly JobStatus[]> = {
  planned: ['released', 'on_hold', 'cancelled'],
  released: ['in_progress', 'on_hold', 'cancelled'],
  in_progress: ['complete', 'on_hold', 'cancelled'],
  on_hold: ['planned', 'cancelled'],
  complete: [],
  cancelled: [],
};

/** Entering these statuses needs a permission beyond job:create. */
const NEEDS: Partial<Record<JobStatus, Permission>> = { released: 'job:release' };
const ACT: Partial<Record<JobStatus, string>> = { released: 'releasing a job' };

/** Where a job may go from `from`; `heldFrom` is the status an on_hold job was held from. */
export function nextStatuses(from: JobStatus, heldFrom: JobStatus | null): JobStatus[] {
  const next = [...TRANSITIONS[from]];
  // Resuming a released or started job needs no new release: it was released before the hold.
  if (from === 'on_hold' && heldFrom && heldFrom !== 'planned') next.unshift(heldFrom);
  return next;
}

const describe = (list: readonly JobStatus[]) =>
  list.map((s) => (NEEDS[s] ? `${s} (needs ${NEEDS[s]})` : s)).join(', ');

function requirePermission(actor: Actor, status: JobStatus): void {
  const needed = NEEDS[status];
  if (needed && !actor.permissions.has(needed)) {
    throw new AppError(
      'forbidden',
      'forbidden',
      `status: ${ACT[status] ?? `setting a job to ${status}`} needs the permission ${needed}`,
      'status',
    );
  }
}

/** Checks the status of a new job: 400 for a status a job cannot start in, 403 without the permission. */
export function checkInitialStatus(actor: Actor, status: JobStatus): void {
  if (!INITIAL_STATUSES.includes(status)) {
    throw invalid(
      'status',
      `a new job starts as ${INITIAL_STATUSES.join(', ').replace(/, (?=[^,]*$)/, ' or ')}, not ${status}; ` +
        'in_progress and complete follow a release',
      'invalid_status',
    );
  }
  requirePermission(actor, status);
}

/**
 * Checks a status change of an existing job: 409 naming the allowed next statuses when the
 * table has no such step, 403 when the step needs a permission the actor lacks. Returns the
 * job's new held-from status (set on entering on_hold, cleared on leaving it).
 */
export function checkTransition(
  actor: Actor,
  job: { jobNumber: string; status: JobStatus; heldFrom: JobStatus | null },
  to: JobStatus,
): JobStatus | null {
  if (to === job.status) return job.heldFrom;
  const allowed = nextStatuses(job.status, job.heldFrom);
  if (!allowed.includes(to)) {
    const options = allowed.length > 0 ? `it can move to ${describe(allowed)}` : 'it takes no further status';
    throw new AppError(
      'conflict',
      'invalid_transition',
      `status: job ${job.jobNumber} is ${job.status}; ${options}, not ${to}`,
      'status',
      { from: job.status, allowed },
    );
  }
  // Back to where the job was held from: the release (if any) was already granted.
  if (!(job.status === 'on_hold' && to === job.heldFrom)) requirePermission(actor, to);
  return to === 'on_hold' ? job.status : null;
}
