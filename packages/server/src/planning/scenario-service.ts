import { desc, eq } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../platform/db.js';
import { notFound } from '../platform/errors.js';
import { isoDate, localDate } from '../platform/time-zone.js';
import { routingStep } from '../jobs/routing-job-view.js';
import { planKpis, type PlanKpis } from './plan-store.js';
import { plans, planSlots, scenarios } from './plan-tables.js';
import { buildProblem } from './problem-builder.js';
import { loadPlanningSnapshot } from './problem-queries.js';
import { calendarAdjuster, withRushJobs, type ScenarioChange } from './scenario-changes.js';
import { runSolverInWorker } from './solver-runner.js';

const running = new Map<string, Promise<void>>();

export interface ScenarioRequest {
  name: string;
  changes: ScenarioChange[];
  timeLimitSeconds: number;
  frozenMinutes: number;
}

/**
 * A what-if: the open work re-planned with the scenario's changes applied in memory only (a
 * machine down, an overtime shift, a rush job), then its KPIs set side by side with the
 * published plan's. Nothing in the live schedule changes.
 */
export async function startScenario(db: Db, timeZone: string, actor: Actor, req: ScenarioRequest, now = Date.now()) {
  const t0 = now;
  const calendarDays = 112;
  const from = localDate(t0 - 86_400_000, timeZone);
  const to = localDate(t0 + calendarDays * 86_400_000, timeZone);
  // Read and check synchronously so a bad rush job answers 400 before anything runs.
  const base = await db.transaction((tx) =>
    loadPlanningSnapshot(tx, isoDate(from.year, from.month, from.day), isoDate(to.year, to.month, to.day)),
  );
  const { snapshot, rushJobIds } = withRushJobs(base, req.changes);
  const built = buildProblem(snapshot, {
    objective: 'weighted_tardiness',
    t0,
    calendarDays,
    frozenMinutes: req.frozenMinutes,
    timeZone,
    adjustCalendar: calendarAdjuster(req.changes),
  });
  const published = (await db.select().from(plans).where(eq(plans.status, 'published')).limit(1))[0];
  const row = (
    await db
      .insert(scenarios)
      .values({ name: req.name, changes: req.changes, basePlanId: published?.id ?? null, createdBy: actor.name })
      .returning({ id: scenarios.id })
  )[0]!;

  const work = (async () => {
    try {
      const outcome = await runSolverInWorker(built.problem, {
        timeLimitMs: req.timeLimitSeconds * 1000,
        seed: 1,
        onProgress: () => undefined,
      }).result;
      const mine = planKpis(built, outcome);
      const publishedEnds = published ? await jobEndsOfPlan(db, published.id) : new Map<string, Date>();
      const dueOf = new Map(snapshot.jobs.map((j) => [j.jobNumber, j.dueDate]));
      const rushJobs = [...rushJobIds.values()].map((jobNumber) => ({
        jobNumber,
        completion: mine.jobEnds.get(jobNumber) ?? null,
        dueDate: dueOf.get(jobNumber),
        late: (mine.jobEnds.get(jobNumber)?.getTime() ?? 0) > (dueOf.get(jobNumber)?.getTime() ?? Infinity),
      }));
      const later = [...mine.jobEnds]
        .filter(([n, end]) => publishedEnds.has(n) && end.getTime() > publishedEnds.get(n)!.getTime())
        .map(([jobNumber, end]) => ({
          jobNumber,
          publishedEnd: publishedEnds.get(jobNumber)!,
          scenarioEnd: end,
          laterByMinutes: Math.round((end.getTime() - publishedEnds.get(jobNumber)!.getTime()) / 60_000),
        }))
        .sort((a, b) => b.laterByMinutes - a.laterByMinutes);
      await db
        .update(scenarios)
        .set({
          status: 'done',
          kpis: {
            scenario: kpiJson(mine),
            published: published
              ? {
                  weightedTardiness: published.weightedTardiness,
                  lateJobs: published.lateJobs,
                  makespanEnd: published.makespanEnd,
                  setupMinutes: published.setupMinutes,
                  operations: published.operations,
                }
              : null,
          },
          result: {
            valid: outcome.valid,
            violations: outcome.violations.length,
            rushJobs,
            jobsLaterThanPublished: later.slice(0, 50),
            stats: outcome.stats,
          },
          finishedAt: new Date(),
        })
        .where(eq(scenarios.id, row.id));
    } catch (err) {
      await db
        .update(scenarios)
        .set({ status: 'failed', error: err instanceof Error ? err.message : String(err), finishedAt: new Date() })
        .where(eq(scenarios.id, row.id));
    }
  })();
  running.set(
    row.id,
    work.finally(() => running.delete(row.id)),
  );
  return { id: row.id, operations: built.problem.operations.length };
}

function kpiJson(k: PlanKpis) {
  return {
    weightedTardiness: k.weightedTardiness,
    lateJobs: k.lateJobs,
    makespanEnd: k.makespanEnd,
    setupMinutes: k.setupMinutes,
    operations: k.operations,
  };
}

async function jobEndsOfPlan(db: Db, planId: string): Promise<Map<string, Date>> {
  const rows = await db
    .select({ jobNumber: routingStep.jobNumber, end: planSlots.plannedEnd })
    .from(planSlots)
    .innerJoin(routingStep, eq(routingStep.routingId, planSlots.routingId))
    .where(eq(planSlots.planId, planId));
  const out = new Map<string, Date>();
  for (const r of rows) if (!out.has(r.jobNumber) || out.get(r.jobNumber)! < r.end) out.set(r.jobNumber, r.end);
  return out;
}

export async function getScenario(db: Db, id: string) {
  const row = (await db.select().from(scenarios).where(eq(scenarios.id, id)).limit(1))[0];
  if (!row) throw notFound('scenario', id);
  return row;
}

export async function listScenarios(db: Db) {
  return db
    .select({
      id: scenarios.id,
      name: scenarios.name,
      status: scenarios.status,
      createdAt: scenarios.createdAt,
      createdBy: scenarios.createdBy,
    })
    .from(scenarios)
    .orderBy(desc(scenarios.createdAt))
    .limit(50);
}

export async function waitForScenario(id: string): Promise<void> {
  await running.get(id);
}

export async function waitForAllScenarios(): Promise<void> {
  await Promise.all(running.values());
}
