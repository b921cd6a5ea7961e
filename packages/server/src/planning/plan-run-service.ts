import { randomUUID } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import type { Objective } from '@kerf/solver';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../platform/db.js';
import { AppError, invalid, notFound } from '../platform/errors.js';
import type { EventBus } from '../platform/events.js';
import { isoDate, localDate } from '../platform/time-zone.js';
import { plans, planRuns, type ProgressPoint } from './plan-tables.js';
import { DEFAULT_PLAN_RUN_LIMITS, PlanRunQueue, type PlanRunLimits } from './plan-run-queue.js';
import { buildProblem, type BuiltProblem } from './problem-builder.js';
import { loadPlanningSnapshot } from './problem-queries.js';
import { storeDraftPlan } from './plan-store.js';
import { runSolverInWorker, type RunHandle, type RunOutcome } from './solver-runner.js';

export interface PlanRunRequest {
  objective: Objective;
  timeLimitSeconds: number;
  horizonDays: number;
  frozenMinutes: number;
  seed?: number;
  trigger?: 'manual' | 'nightly';
}

export interface PlanningDeps {
  db: Db;
  events: EventBus;
  timeZone: string;
  now?: () => number;
  /** default: one run at a time, 10 queued, one per user, 300 s (DEFAULT_PLAN_RUN_LIMITS) */
  limits?: PlanRunLimits;
}

interface Entry {
  done: Promise<void>;
  handle?: RunHandle;
  /** lets a queued run go: when a running one leaves, or to record its cancellation */
  begin: () => void;
  cancelled: boolean;
}

/** Runs queued or in flight in this process, so they can be cancelled and awaited (tests, shutdown). */
const running = new Map<string, Entry>();
const queue = new PlanRunQueue();

/** A run's owner for the per-user limit: a user, an API key, or Kerf itself (nightly). */
const ownerOf = (actor: Actor) => `${actor.type}:${actor.id}`;

/**
 * Starts a plan run and returns at once, or queues it when the shop's concurrent runs are
 * taken (PlanRunQueue: 429 beyond the queue or the per-user limit). When it runs, the
 * snapshot is read and the problem built here, the search runs in a worker thread, progress
 * goes to the event bus, and the result is stored as a draft plan with the validator's verdict.
 */
export async function startPlanRun(
  deps: PlanningDeps,
  actor: Actor,
  req: PlanRunRequest,
): Promise<{ id: string; status: 'running' | 'queued'; queuePosition: number | null }> {
  const limits = deps.limits ?? DEFAULT_PLAN_RUN_LIMITS;
  if (req.timeLimitSeconds > limits.maxSeconds) {
    throw invalid(
      'timeLimitSeconds',
      `${req.timeLimitSeconds} seconds asked; a plan run may take at most ${limits.maxSeconds} seconds (KERF_PLAN_RUN_MAX_SECONDS)`,
      'time_limit_too_long',
    );
  }
  const id = randomUUID();
  let begin = () => {};
  const mayStart = new Promise<void>((resolve) => (begin = resolve));
  // Counted in before the first await: simultaneous requests all see each other.
  const status = queue.admit(id, ownerOf(actor), limits, () => begin());
  try {
    await deps.db.insert(planRuns).values({
      id,
      status,
      objective: req.objective,
      timeLimitSeconds: req.timeLimitSeconds,
      horizonDays: req.horizonDays,
      frozenMinutes: req.frozenMinutes,
      trigger: req.trigger ?? 'manual',
      requestedBy: actor.name,
    });
  } catch (err) {
    queue.release(id, limits);
    throw err;
  }
  if (status === 'running') begin();
  const entry: Entry = { done: Promise.resolve(), begin: () => begin(), cancelled: false };
  entry.done = (async () => {
    await mayStart;
    if (entry.cancelled) return recordQueuedCancel(deps, id);
    await execute(deps, actor, id, req, entry, status === 'queued');
  })().finally(() => {
    running.delete(id);
    queue.release(id, limits);
  });
  running.set(id, entry);
  return { id, status, queuePosition: queue.position(id) };
}

async function recordQueuedCancel(deps: PlanningDeps, runId: string): Promise<void> {
  await deps.db
    .update(planRuns)
    .set({ status: 'cancelled', error: 'cancelled while queued', finishedAt: new Date() })
    .where(eq(planRuns.id, runId));
  deps.events.publish({ type: 'plan-run.finished', runId, status: 'cancelled', planId: null });
}

async function execute(
  deps: PlanningDeps,
  actor: Actor,
  runId: string,
  req: PlanRunRequest,
  entry: Entry,
  fromQueue: boolean,
): Promise<void> {
  const progress: ProgressPoint[] = [];
  try {
    if (fromQueue) {
      // started_at is when the run began solving, so a run's row shows its real duration.
      await deps.db.update(planRuns).set({ status: 'running', startedAt: new Date() }).where(eq(planRuns.id, runId));
    }
    const t0 = (deps.now ?? Date.now)();
    // Calendars reach well past the horizon so late work still finds working time; an overloaded
    // shop may need more, so the run widens the calendar once before it gives up.
    let calendarDays = Math.max(req.horizonDays * 4, 60);
    let built: BuiltProblem | undefined;
    let outcome: RunOutcome | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      const from = localDate(t0 - 86_400_000, deps.timeZone);
      const to = localDate(t0 + calendarDays * 86_400_000, deps.timeZone);
      const snapshot = await deps.db.transaction((tx) =>
        loadPlanningSnapshot(tx, isoDate(from.year, from.month, from.day), isoDate(to.year, to.month, to.day)),
      );
      built = buildProblem(snapshot, {
        objective: req.objective,
        t0,
        calendarDays,
        frozenMinutes: req.frozenMinutes,
        timeZone: deps.timeZone,
      });
      entry.handle = runSolverInWorker(built.problem, {
        timeLimitMs: req.timeLimitSeconds * 1000,
        seed: req.seed ?? 1,
        onProgress: (p) => {
          progress.push(p);
          deps.events.publish({
            type: 'plan-run.progress',
            runId,
            elapsedMs: p.elapsedMs,
            bestObjective: p.bestObjective,
          });
        },
      });
      // A cancel that came while the snapshot was read stops the search at once.
      if (entry.cancelled) entry.handle.cancel();
      outcome = await entry.handle.result;
      if (outcome.schedule.operations.every((o) => Number.isFinite(o.end))) break;
      if (attempt === 1) {
        throw new Error(
          `the open work does not fit in ${calendarDays} days of working calendar; add capacity (shifts) or put jobs on hold`,
        );
      }
      calendarDays *= 3;
    }
    if (!built || !outcome) throw new Error('plan run produced no result');
    const planId = await deps.db.transaction(async (tx) => {
      const id = await storeDraftPlan(tx, built, outcome, actor.name);
      await tx
        .update(planRuns)
        .set({
          status: outcome.stats.cancelled ? 'cancelled' : 'done',
          planId: id,
          progress: progress.slice(-500),
          stats: { ...outcome.stats, operations: built.problem.operations.length, skipped: built.skipped },
          finishedAt: new Date(),
        })
        .where(eq(planRuns.id, runId));
      return id;
    });
    deps.events.publish({
      type: 'plan-run.finished',
      runId,
      status: outcome.stats.cancelled ? 'cancelled' : 'done',
      planId,
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await deps.db
      .update(planRuns)
      .set({ status: 'failed', error: message, progress: progress.slice(-500), finishedAt: new Date() })
      .where(eq(planRuns.id, runId));
    deps.events.publish({ type: 'plan-run.finished', runId, status: 'failed', planId: null });
  }
}

export async function getPlanRun(db: Db, id: string) {
  const run = (await db.select().from(planRuns).where(eq(planRuns.id, id)).limit(1))[0];
  if (!run) throw notFound('plan run', id);
  const plan = run.planId ? (await db.select().from(plans).where(eq(plans.id, run.planId)).limit(1))[0] : undefined;
  return {
    ...run,
    queuePosition: queue.position(run.id),
    valid: plan?.valid ?? null,
    violations: plan?.violations ?? [],
    objectiveValues: plan
      ? {
          weightedTardiness: plan.weightedTardiness,
          lateJobs: plan.lateJobs,
          makespanEnd: plan.makespanEnd,
          setupMinutes: plan.setupMinutes,
          utilizationPct: plan.utilizationPct,
          operations: plan.operations,
        }
      : null,
  };
}

export async function listPlanRuns(db: Db, limit: number) {
  const rows = await db.select().from(planRuns).orderBy(desc(planRuns.startedAt)).limit(limit);
  return rows.map((r) => ({ ...r, queuePosition: queue.position(r.id) }));
}

/**
 * Cancels a run: a queued one leaves the queue and is recorded cancelled before this returns;
 * a running one stops its search and stores what it has found (the run then ends cancelled).
 */
export async function cancelPlanRun(id: string): Promise<'cancelled' | 'cancelling'> {
  const entry = running.get(id);
  if (!entry) throw new AppError('conflict', 'not_running', `plan run ${id} is not queued or running in this process`);
  entry.cancelled = true;
  if (queue.withdraw(id)) {
    entry.begin();
    await entry.done;
    return 'cancelled';
  }
  entry.handle?.cancel();
  return 'cancelling';
}

/** Resolves when the run has finished (for tests and graceful shutdown). */
export async function waitForPlanRun(id: string): Promise<void> {
  await running.get(id)?.done;
}

/** Cancels every run in this process, queued ones first, and waits for them to store what they have. */
export async function cancelAllPlanRuns(): Promise<void> {
  for (const id of queue.queuedIds()) await cancelPlanRun(id);
  for (const entry of running.values()) {
    entry.cancelled = true;
    entry.handle?.cancel();
  }
  await waitForAllPlanRuns();
}

export async function waitForAllPlanRuns(): Promise<void> {
  // A finishing run lets a queued one start, so wait until nothing is left.
  while (running.size > 0) await Promise.all([...running.values()].map((r) => r.done));
}
