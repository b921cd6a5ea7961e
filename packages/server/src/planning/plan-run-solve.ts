import { and, eq, sql } from 'drizzle-orm';
import type { Objective } from '@kerf/solver';
import type { Db } from '../platform/db.js';
import type { EventBus } from '../platform/events.js';
import { isoDate, localDate } from '../platform/time-zone.js';
import { planRuns, type ProgressPoint } from './plan-tables.js';
import { buildProblem, type BuiltProblem } from './problem-builder.js';
import { loadPlanningSnapshot } from './problem-queries.js';
import { storeDraftPlan } from './plan-store.js';
import { runSolverInWorker, type RunHandle, type RunOutcome } from './solver-runner.js';

export interface SolveDeps {
  db: Db;
  events: EventBus;
  timeZone: string;
  instanceId: string;
  heartbeatMs: number;
  now: () => number;
}

/** A claimed run solving in this process. */
export interface LocalRun {
  done: Promise<void>;
  /** stops the search; the run stores what it found and ends cancelled */
  cancel: () => void;
}

/** The row is no longer ours (recovered by another instance after a stall): store nothing. */
class LostClaim extends Error {}

/**
 * Solves one claimed run: reads the snapshot, builds the problem, searches in a worker thread
 * (progress on the event bus), stores the draft plan and finishes the row. While it runs it
 * heartbeats the row; the heartbeat also reads cancel_requested_at, so a cancel from any
 * instance stops the search within one interval.
 */
export function solvePlanRun(deps: SolveDeps, row: typeof planRuns.$inferSelect): LocalRun {
  const runId = row.id;
  const ours = and(eq(planRuns.id, runId), eq(planRuns.claimedBy, deps.instanceId), eq(planRuns.status, 'running'));
  let handle: RunHandle | undefined;
  let cancelled = false;
  const cancel = () => {
    cancelled = true;
    handle?.cancel();
  };
  const heartbeat = setInterval(() => {
    void deps.db
      .update(planRuns)
      .set({ heartbeatAt: sql`now()` }) // the database's clock, the one recovery compares with
      .where(ours)
      .returning({ cancelRequestedAt: planRuns.cancelRequestedAt })
      .then(
        (rows) => {
          // No row: another instance took it for dead; stop rather than solve for nobody.
          if (rows.length === 0 || rows[0]!.cancelRequestedAt) cancel();
        },
        () => undefined, // a missed beat is retried; three in a row and the run is recovered elsewhere
      );
  }, deps.heartbeatMs);
  heartbeat.unref();

  const progress: ProgressPoint[] = [];
  const work = async () => {
    try {
      const t0 = deps.now();
      // Calendars reach well past the horizon so late work still finds working time; an overloaded
      // shop may need more, so the run widens the calendar once before it gives up.
      let calendarDays = Math.max(row.horizonDays * 4, 60);
      let built: BuiltProblem | undefined;
      let outcome: RunOutcome | undefined;
      for (let attempt = 0; attempt < 2; attempt++) {
        const from = localDate(t0 - 86_400_000, deps.timeZone);
        const to = localDate(t0 + calendarDays * 86_400_000, deps.timeZone);
        const snapshot = await deps.db.transaction((tx) =>
          loadPlanningSnapshot(tx, isoDate(from.year, from.month, from.day), isoDate(to.year, to.month, to.day)),
        );
        built = buildProblem(snapshot, {
          objective: row.objective as Objective,
          t0,
          calendarDays,
          frozenMinutes: row.frozenMinutes,
          timeZone: deps.timeZone,
        });
        handle = runSolverInWorker(built.problem, {
          timeLimitMs: row.timeLimitSeconds * 1000,
          seed: row.seed ?? 1,
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
        if (cancelled) handle.cancel();
        outcome = await handle.result;
        if (outcome.schedule.operations.every((o) => Number.isFinite(o.end))) break;
        if (attempt === 1) {
          throw new Error(
            `the open work does not fit in ${calendarDays} days of working calendar; add capacity (shifts) or put jobs on hold`,
          );
        }
        calendarDays *= 3;
      }
      if (!built || !outcome) throw new Error('plan run produced no result');
      const status = outcome.stats.cancelled ? 'cancelled' : 'done';
      const planId = await deps.db.transaction(async (tx) => {
        const id = await storeDraftPlan(tx, built, outcome, row.requestedBy ?? 'unknown');
        const finished = await tx
          .update(planRuns)
          .set({
            status,
            planId: id,
            progress: progress.slice(-500),
            stats: { ...outcome.stats, operations: built.problem.operations.length, skipped: built.skipped },
            finishedAt: new Date(),
          })
          .where(ours)
          .returning({ id: planRuns.id });
        if (finished.length === 0) throw new LostClaim();
        return id;
      });
      deps.events.publish({ type: 'plan-run.finished', runId, status, planId });
    } catch (err) {
      if (err instanceof LostClaim) return;
      const message = err instanceof Error ? err.message : String(err);
      const failed = await deps.db
        .update(planRuns)
        .set({ status: 'failed', error: message, progress: progress.slice(-500), finishedAt: new Date() })
        .where(ours)
        .returning({ id: planRuns.id })
        // Unrecorded, the run is recovered as failed once its heartbeat is stale.
        .catch(() => []);
      if (failed.length) deps.events.publish({ type: 'plan-run.finished', runId, status: 'failed', planId: null });
    } finally {
      clearInterval(heartbeat);
    }
  };
  return { done: work(), cancel };
}
