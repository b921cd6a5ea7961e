import { randomUUID } from 'node:crypto';
import { resolveRoutingDependencies } from '../jobs/routing-rules.js';
import type { RoutingInputT } from '../jobs/schemas.js';
import type { PlanningSnapshot } from './problem-builder.js';
import { mergeIntervals, type UtcInterval } from '../shop/calendar-walk.js';

export type ScenarioChange =
  | { type: 'machine_down'; workCenterId: string; from: string; to: string }
  | { type: 'overtime'; workCenterId: string; from: string; to: string }
  | {
      type: 'rush_job';
      jobNumber: string;
      quantity: number;
      dueDate: string;
      priority?: number;
      routings: RoutingInputT[];
    };

/** Removes [from, to) from sorted disjoint intervals. */
export function subtract(intervals: UtcInterval[], from: number, to: number): UtcInterval[] {
  const out: UtcInterval[] = [];
  for (const [a, b] of intervals) {
    if (b <= from || a >= to) out.push([a, b]);
    else {
      if (a < from) out.push([a, from]);
      if (b > to) out.push([to, b]);
    }
  }
  return out;
}

/** Adds [from, to) to sorted disjoint intervals, merging what touches. */
export function add(intervals: UtcInterval[], from: number, to: number): UtcInterval[] {
  return mergeIntervals([...intervals, [from, to]]);
}

/** The calendar adjustment of a scenario's machine-down and overtime changes. */
export function calendarAdjuster(changes: ScenarioChange[]) {
  return (workCenterId: string, intervals: UtcInterval[]): UtcInterval[] => {
    let out = intervals;
    for (const c of changes) {
      if (c.type === 'rush_job' || c.workCenterId !== workCenterId) continue;
      const from = Date.parse(c.from);
      const to = Date.parse(c.to);
      out = c.type === 'machine_down' ? subtract(out, from, to) : add(out, from, to);
    }
    return out;
  };
}

/** Adds the scenario's rush jobs to the snapshot as if they had been entered (nothing is written). */
export function withRushJobs(
  snapshot: PlanningSnapshot,
  changes: ScenarioChange[],
): { snapshot: PlanningSnapshot; rushJobIds: Map<string, string> } {
  const rushJobIds = new Map<string, string>();
  const jobs = [...snapshot.jobs];
  const routings = [...snapshot.routings];
  changes.forEach((c, i) => {
    if (c.type !== 'rush_job') return;
    const deps = resolveRoutingDependencies(c.routings, `changes[${i}].routings`);
    const jobId = `scenario-${randomUUID()}`;
    rushJobIds.set(jobId, c.jobNumber);
    jobs.push({ id: jobId, jobNumber: c.jobNumber, dueDate: new Date(c.dueDate), priority: c.priority ?? 1 });
    const idOf = new Map(c.routings.map((r) => [r.sequence, `${jobId}/${r.sequence}`]));
    for (const r of c.routings) {
      routings.push({
        id: idOf.get(r.sequence)!,
        jobId,
        sequence: r.sequence,
        workCenterType: r.workCenterType,
        setupMinutes: r.setupMinutes ?? 0,
        runMinutesPerUnit: r.runMinutesPerUnit,
        quantity: r.quantity ?? c.quantity,
        setupCategory: r.setupCategory ?? null,
        dependencies: (deps.get(r.sequence) ?? []).map((d) => idOf.get(d)!),
      });
    }
  });
  return { snapshot: { ...snapshot, jobs, routings }, rushJobIds };
}
