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

interface Slot {
  id: string;
  owner: string;
  status: 'queued' | 'running';
  /** called when a queued run may start */
  begin?: () => void;
}

export const planRunLimits = (config: Config): PlanRunLimits => ({
  maxConcurrent: config.planRunsMaxConcurrent,
  maxQueued: config.planRunsMaxQueued,
  perUser: config.planRunsPerUser,
  maxSeconds: config.planRunMaxSeconds,
});

const plural = (n: number) => `${n} plan run${n === 1 ? '' : 's'}`;

/**
 * Admission of plan runs in this process: at most maxConcurrent solving, up to maxQueued
 * waiting in request order, at most perUser of either per owner. Each run is a worker thread
 * holding a whole problem, so without a bound a burst of requests takes the server's memory
 * and starves the API. Synchronous, so two requests arriving together cannot both pass a
 * check before either is counted. Kept apart from the run itself, so durable runs can move
 * it into the database.
 */
export class PlanRunQueue {
  private readonly slots = new Map<string, Slot>();
  private readonly waiting: Slot[] = [];

  /**
   * Counts a new run in, running or queued, or throws 429 naming what is full. `begin` is
   * called later for a queued run, when a running one leaves.
   */
  admit(id: string, owner: string, limits: PlanRunLimits, begin: () => void): 'running' | 'queued' {
    const own = [...this.slots.values()].filter((s) => s.owner === owner);
    if (own.length >= limits.perUser) {
      const list = own.map((s) => `${s.id} (${s.status})`).join(', ');
      throw new AppError(
        'rate_limited',
        'plan_run_per_user_limit',
        `you already have ${plural(own.length)} queued or running: ${list}; wait for it to finish or cancel it`,
      );
    }
    const running = this.slots.size - this.waiting.length;
    if (running < limits.maxConcurrent && this.waiting.length === 0) {
      this.slots.set(id, { id, owner, status: 'running' });
      return 'running';
    }
    if (this.waiting.length >= limits.maxQueued) {
      throw new AppError(
        'rate_limited',
        'plan_runs_busy',
        `${plural(running)} running and ${this.waiting.length} queued, the most this shop allows ` +
          `(KERF_PLAN_RUNS_MAX_CONCURRENT ${limits.maxConcurrent}, KERF_PLAN_RUNS_MAX_QUEUED ${limits.maxQueued}); ` +
          'try again when one has finished',
      );
    }
    const slot: Slot = { id, owner, status: 'queued', begin };
    this.slots.set(id, slot);
    this.waiting.push(slot);
    return 'queued';
  }

  /** 1 for the next run to start; null when the run is not waiting. */
  position(id: string): number | null {
    const i = this.waiting.findIndex((s) => s.id === id);
    return i < 0 ? null : i + 1;
  }

  /** Takes a queued run out of the line; false when it is not queued (running or gone). */
  withdraw(id: string): boolean {
    const i = this.waiting.findIndex((s) => s.id === id);
    if (i < 0) return false;
    this.waiting.splice(i, 1);
    this.slots.delete(id);
    return true;
  }

  /** A run has ended (or never got going): the next in line starts if there is room. */
  release(id: string, limits: PlanRunLimits): void {
    if (this.waiting.some((s) => s.id === id)) this.withdraw(id);
    else this.slots.delete(id);
    while (this.waiting.length > 0 && this.slots.size - this.waiting.length < limits.maxConcurrent) {
      const next = this.waiting.shift()!;
      next.status = 'running';
      next.begin?.();
    }
  }

  queuedIds(): string[] {
    return this.waiting.map((s) => s.id);
  }
}
