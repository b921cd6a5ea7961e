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
  operations: number;
  /** completion of each job in the plan, by job number */
  jobEnds: Map<string, Date>;
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
