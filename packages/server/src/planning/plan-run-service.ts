import { desc, eq } from 'drizzle-orm';
import type { Objective } from '@kerf/solver';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../platform/db.js';
import { AppError, notFound } from '../platform/errors.js';
import type { EventBus } from '../platform/events.js';
import { isoDate, localDate } from '../platform/time-zone.js';
import { plans, planRuns, type ProgressPoint } from './plan-tables.js';
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
}

/** Runs in flight in this process, so they can be cancelled and awaited (tests, shutdown). */
const running = new Map<string, { handle?: RunHandle; done: Promise<void> }>();

/**
 * Starts a plan run and returns at once: the snapshot is read and the problem built here, the
 * search runs in a worker thread, progress goes to the event bus, and the result is stored as
 * a draft plan with the validator's verdict.
 */
export async function startPlanRun(deps: PlanningDeps, actor: Actor, req: PlanRunRequest): Promise<{ id: string }> {
  const run = (
    await deps.db
      .insert(planRuns)
      .values({
        objective: req.objective,
        timeLimitSeconds: req.timeLimitSeconds,
        horizonDays: req.horizonDays,
        frozenMinutes: req.frozenMinutes,
        trigger: req.trigger ?? 'manual',
        requestedBy: actor.name,
      })
      .returning({ id: planRuns.id })
  )[0]!;
  const entry: { handle?: RunHandle; done: Promise<void> } = { done: Promise.resolve() };
  entry.done = execute(deps, actor, run.id, req, entry).finally(() => running.delete(run.id));
  running.set(run.id, entry);
  return run;
}

async function execute(
  deps: PlanningDeps,
  actor: Actor,
  runId: string,
  req: PlanRunRequest,
  entry: { handle?: RunHandle },
): Promise<void> {
  const progress: ProgressPoint[] = [];
  try {
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
  return db.select().from(planRuns).orderBy(desc(planRuns.startedAt)).limit(limit);
}

export function cancelPlanRun(id: string): void {
  const entry = running.get(id);
  if (!entry?.handle) throw new AppError('conflict', 'not_running', `plan run ${id} is not running in this process`);
  entry.handle.cancel();
}

/** Resolves when the run has finished (for tests and graceful shutdown). */
export async function waitForPlanRun(id: string): Promise<void> {
  await running.get(id)?.done;
}

/** Cancels every run in this process and waits for them to store what they have. */
export async function cancelAllPlanRuns(): Promise<void> {
  for (const entry of running.values()) entry.handle?.cancel();
  await waitForAllPlanRuns();
}

export async function waitForAllPlanRuns(): Promise<void> {
  await Promise.all([...running.values()].map((r) => r.done));
}
