/**
 * Objective values of a schedule. Deliberately free of feasibility checks (see validate.ts):
 * search code calls this in its inner loop.
 */
import type { ObjectiveValues, Objective, Problem, Schedule } from './model.js';

export function evaluate(problem: Problem, schedule: Schedule): ObjectiveValues {
  const ops = schedule.operations;
  let makespan = 0;
  let setupMinutes = 0;
  for (const s of ops) {
    if (s.end > makespan) makespan = s.end;
    setupMinutes += s.start - s.setupStart;
  }
  let weightedTardiness = 0;
  let flowTime = 0;
  for (const job of problem.jobs) {
    if (job.operations.length === 0) continue;
    let end = -Infinity;
    for (const o of job.operations) {
      const e = ops[o]?.end ?? Infinity;
      if (e > end) end = e;
    }
    if (end > job.due) weightedTardiness += job.weight * (end - job.due);
    flowTime += end - job.release;
  }
  return { makespan, weightedTardiness, setupMinutes, flowTime };
}

/**
 * One number to minimise for the problem's objective. Lexicographic objectives are folded
 * with large multipliers; exact for the integer magnitudes shops produce (tardiness below
 * ~1e6 weighted minutes x 1e9 stays inside 2^53 only approximately, so compareObjectives
 * should be preferred when exactness matters).
 */
export function scalarObjective(objective: Objective, v: ObjectiveValues): number {
  switch (objective) {
    case 'makespan':
      return v.makespan;
    case 'weighted_tardiness':
      return v.weightedTardiness;
    case 'lexicographic':
      return v.weightedTardiness * 1e9 + v.makespan * 1e4 + v.setupMinutes;
  }
}

/** Negative when a is better than b for the objective, 0 when equal, positive when worse. */
export function compareObjectives(objective: Objective, a: ObjectiveValues, b: ObjectiveValues): number {
  switch (objective) {
    case 'makespan':
      return a.makespan - b.makespan || a.weightedTardiness - b.weightedTardiness || a.setupMinutes - b.setupMinutes;
    case 'weighted_tardiness':
      return a.weightedTardiness - b.weightedTardiness || a.makespan - b.makespan || a.setupMinutes - b.setupMinutes;
    case 'lexicographic':
      return a.weightedTardiness - b.weightedTardiness || a.makespan - b.makespan || a.setupMinutes - b.setupMinutes;
  }
}
