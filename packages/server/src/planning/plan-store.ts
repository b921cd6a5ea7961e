import { CalendarIndex } from '@kerf/solver';
import type { Db } from '../platform/db.js';
import type { BuiltProblem } from './problem-builder.js';
import type { RunOutcome } from './solver-runner.js';
import { plans, planSlots, type StoredViolation } from './plan-tables.js';

const MINUTE = 60_000;

export interface PlanKpis {
  weightedTardiness: number;
  lateJobs: number;
  makespanEnd: Date | null;
  setupMinutes: number;
  /** busy minutes (setups and processing) over working minutes of all centers from time zero to the plan's end */
  utilizationPct: number | null;
  operations: number;
  /** completion of each job in the plan, by job number */
  jobEnds: Map<string, Date>;
}

function utilization(built: BuiltProblem, outcome: RunOutcome): number | null {
  const end = outcome.values.makespan;
  if (!(end > 0)) return null;
  const cals = built.problem.resources.map((r) => new CalendarIndex(r.calendar));
  let busy = 0;
  for (const s of outcome.schedule.operations) busy += cals[s.resource]!.workBetween(Math.max(0, s.setupStart), s.end);
  const available = cals.reduce((sum, c) => sum + c.workBetween(0, end), 0);
  return available > 0 ? Math.round((10_000 * busy) / available) / 100 : null;
}

/** KPIs of a solver outcome, in the shop's terms (dates, job numbers). */
export function planKpis(built: BuiltProblem, outcome: RunOutcome): PlanKpis {
  const { problem, t0 } = built;
  const at = (minutes: number) => new Date(t0 + minutes * MINUTE);
  const ends = problem.jobs.map((job) =>
    Math.max(...job.operations.map((o) => outcome.schedule.operations[o]?.end ?? 0)),
  );
  return {
    weightedTardiness: outcome.values.weightedTardiness,
    lateJobs: problem.jobs.filter((job, j) => ends[j]! > job.due).length,
    makespanEnd: problem.operations.length ? at(outcome.values.makespan) : null,
    setupMinutes: Math.round(outcome.values.setupMinutes),
    utilizationPct: utilization(built, outcome),
    operations: problem.operations.length,
    jobEnds: new Map(problem.jobs.map((job, j) => [job.id, at(ends[j]!)])),
  };
}

/** Stores a solver outcome as a draft plan with its slots; returns the plan id. */
export async function storeDraftPlan(
  tx: Db,
  built: BuiltProblem,
  outcome: RunOutcome,
  createdBy: string,
): Promise<string> {
  const { problem, t0, routingOf, workCenterOf } = built;
  const at = (minutes: number) => new Date(t0 + minutes * MINUTE);
  const fixed = new Set(problem.fixed.map((f) => f.operation));
  const kpis = planKpis(built, outcome);
  const violations: StoredViolation[] = outcome.violations.map((v) => ({
    kind: v.kind,
    message: v.message,
    ...(v.operation !== undefined && routingOf[v.operation] ? { routingId: routingOf[v.operation] } : {}),
  }));
  const plan = (
    await tx
      .insert(plans)
      .values({
        objective: problem.objective,
        timeZero: new Date(t0),
        weightedTardiness: kpis.weightedTardiness,
        lateJobs: kpis.lateJobs,
        makespanEnd: kpis.makespanEnd,
        setupMinutes: kpis.setupMinutes,
        utilizationPct: kpis.utilizationPct,
        operations: kpis.operations,
        valid: outcome.valid,
        violations,
        createdBy,
      })
      .returning({ id: plans.id })
  )[0]!;
  const rows = outcome.schedule.operations.map((s) => ({
    planId: plan.id,
    routingId: routingOf[s.operation]!,
    workCenterId: workCenterOf[s.resource]!,
    setupStart: at(s.setupStart),
    plannedStart: at(s.start),
    plannedEnd: at(s.end),
    isFixed: fixed.has(s.operation),
  }));
  for (let i = 0; i < rows.length; i += 1000) await tx.insert(planSlots).values(rows.slice(i, i + 1000));
  return plan.id;
}
