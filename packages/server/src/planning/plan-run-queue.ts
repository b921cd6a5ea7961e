import type { Config } from '../platform/config.js';
import { AppError } from '../platform/errors.js';

/** How many plan runs a shop may have (KERF_PLAN_RUNS_*, KERF_PLAN_RUN_MAX_SECONDS). */
export interface PlanRunLimits {
  maxConcurrent: number;
  maxQueued: number;
  perUser: number;
  maxSeconds: number;
}

export const DEFAULT_PLAN_RUN_LIMITS: PlanRunLimits = { maxConcurrent: 1, maxQueued: 10, perUser: 1, maxSeconds: 300 };

export const planRunLimits = (config: Config): PlanRunLimits => ({
  maxConcurrent: config.planRunsMaxConcurrent,
  maxQueued: config.planRunsMaxQueued,
  perUser: config.planRunsPerUser,
  maxSeconds: config.planRunMaxSeconds,
});

/** A queued or running run of the shop, as admission sees it. */
export interface ActiveRun {
  id: string;
  status: string;
  /** requested_by_key */
  owner: string | null;
}

const plural = (n: number) => `${n} plan run${n === 1 ? '' : 's'}`;

/**
 * Admission of a new plan run against the shop's active runs (every instance's, read under
 * the plan-run lock, so two requests cannot both pass a check before either is counted): at
 * most maxConcurrent solving, up to maxQueued waiting in request order, at most perUser of
 * either per owner. Each run is a worker thread holding a whole problem, so without a bound a
 * burst of requests takes a worker's memory and starves it. Returns whether the shop has room
 * to solve it now, or throws 429 naming what is full.
 */
export function admitPlanRun(active: ActiveRun[], owner: string, limits: PlanRunLimits): 'running' | 'queued' {
  const own = active.filter((s) => s.owner === owner);
  if (own.length >= limits.perUser) {
    const list = own.map((s) => `${s.id} (${s.status})`).join(', ');
    throw new AppError(
      'rate_limited',
      'plan_run_per_user_limit',
      `you already have ${plural(own.length)} queued or running: ${list}; wait for it to finish or cancel it`,
    );
  }
  const running = active.filter((s) => s.status === 'running').length;
  const waiting = active.length - running;
  if (running < limits.maxConcurrent && waiting === 0) return 'running';
  if (waiting >= limits.maxQueued) {
    throw new AppError(
      'rate_limited',
      'plan_runs_busy',
      `${plural(running)} running and ${waiting} queued, the most this shop allows ` +
        `(KERF_PLAN_RUNS_MAX_CONCURRENT ${limits.maxConcurrent}, KERF_PLAN_RUNS_MAX_QUEUED ${limits.maxQueued}); ` +
        'try again when one has finished',
    );
  }
  return 'queued';
}
