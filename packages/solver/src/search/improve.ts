/**
 * Anytime improvement for the general model: late-acceptance hill climbing over the
 * priority list decoded by the serial SGS. Late acceptance needs no temperature tuning,
 * which matters because objective scales differ by orders of magnitude between shops.
 * A stagnating walk restarts from the best list. Deterministic for a seed when stopped by
 * an iteration limit.
 */
import type { Compiled } from '../compiled.js';
import { compareObjectives, evaluate } from '../evaluate.js';
import type { Objective, ObjectiveValues, Schedule, SearchOptions } from '../model.js';
import { Rng } from '../random.js';
import { serialDecode } from '../sgs.js';
import { copyState, cloneState, ListState, MoveContext, perturb } from './moves.js';

export interface ImproveResult {
  schedule: Schedule;
  values: ObjectiveValues;
  iterations: number;
  timeToBestMs: number;
}

/** Scalar guiding the walk: the objective plus small tie-breakers that keep plateaus moving. */
export function searchCost(objective: Objective, v: ObjectiveValues, jobs: number): number {
  switch (objective) {
    case 'makespan':
      return v.makespan + (0.5 * v.flowTime) / (Math.max(1, jobs) * (v.makespan + 1));
    case 'weighted_tardiness':
      return v.weightedTardiness + 1e-3 * (v.setupMinutes + v.flowTime / Math.max(1, jobs));
    case 'lexicographic':
      return v.weightedTardiness * 1e9 + v.makespan * 1e4 + v.setupMinutes;
  }
}

/** List positions from a schedule: operations ordered by start time. */
export function stateFromSchedule(c: Compiled, s: Schedule): ListState {
  const ops = s.operations;
  const order = Int32Array.from({ length: c.n }, (_, i) => i).sort(
    (a, b) => ops[a]!.start - ops[b]!.start || ops[a]!.setupStart - ops[b]!.setupStart || a - b,
  );
  const pos = new Int32Array(c.n);
  for (let i = 0; i < c.n; i++) pos[order[i]!] = i;
  // keep the start schedule's resources: the decoder's greedy mode choice may differ from
  // the one the schedule was built with, and the walk must be able to reproduce its start
  const mode = new Int32Array(c.n).fill(-1);
  for (let o = 0; o < c.n; o++) {
    for (let m = c.modeStart[o]!; m < c.modeStart[o + 1]!; m++) if (c.modeRes[m] === ops[o]!.resource) mode[o] = m;
  }
  return { order, pos, mode };
}

function context(c: Compiled, rng: Rng, sched: Schedule, seqs: number[][], dueDriven: boolean): MoveContext {
  const tardyJobs: number[] = [];
  const tardyWeight: number[] = [];
  c.problem.jobs.forEach((job, j) => {
    let end = 0;
    for (const o of job.operations) end = Math.max(end, sched.operations[o]!.end);
    if (end > job.due) {
      tardyJobs.push(j);
      tardyWeight.push(job.weight * (end - job.due));
    }
  });
  return { c, rng, sched, seqs, tardyJobs, tardyWeight, dueDriven };
}

export function improve(c: Compiled, start: Schedule, options: SearchOptions, t0: number): ImproveResult {
  const objective = c.problem.objective;
  const jobs = c.problem.jobs.length;
  const rng = new Rng(options.seed ?? 1);
  const maxIter = options.maxIterations ?? Infinity;
  const dueDriven = objective !== 'makespan';

  let bestSched = start;
  let bestValues = evaluate(c.problem, start);
  let timeToBest = performance.now() - t0;

  const cur = stateFromSchedule(c, start);
  const first = { seqs: [] as number[][] };
  let curSched = serialDecode(c, cur.pos, cur.mode, first);
  let curOrder = first.seqs;
  let curValues = evaluate(c.problem, curSched);
  if (compareObjectives(objective, curValues, bestValues) < 0) {
    bestSched = curSched;
    bestValues = curValues;
  }
  let curCost = searchCost(objective, curValues, jobs);
  const best = cloneState(cur);
  const cand = cloneState(cur);
  let bestOrder = curOrder;
  let ctx = context(c, rng, curSched, curOrder, dueDriven);

  const L = 50 + Math.min(450, Math.floor(c.n / 4));
  const hist = new Float64Array(L).fill(curCost);
  const restartAfter = Math.max(500, 5 * L);
  let sinceImprove = 0;
  let iterations = 0;
  while (iterations < maxIter) {
    if ((iterations & 7) === 0) {
      if (performance.now() - t0 >= options.timeLimitMs || options.signal?.aborted) break;
    }
    iterations++;
    copyState(cur, cand);
    perturb(cand, ctx, rng.chance(0.7) ? 1 : rng.int(2, 4));
    const out = { seqs: [] as number[][] };
    const sched = serialDecode(c, cand.pos, cand.mode, out);
    const order = out.seqs;
    const values = evaluate(c.problem, sched);
    const cost = searchCost(objective, values, jobs);
    const slot = iterations % L;
    if (cost <= curCost || cost <= hist[slot]!) {
      copyState(cand, cur);
      curSched = sched;
      curOrder = order;
      curValues = values;
      curCost = cost;
      ctx = context(c, rng, curSched, curOrder, dueDriven);
    }
    hist[slot] = curCost;
    if (compareObjectives(objective, curValues, bestValues) < 0) {
      bestSched = curSched;
      bestValues = curValues;
      bestOrder = curOrder;
      copyState(cur, best);
      timeToBest = performance.now() - t0;
      sinceImprove = 0;
      options.onProgress?.({ elapsedMs: timeToBest, bestObjective: primary(objective, bestValues), iterations });
    } else if (++sinceImprove > restartAfter) {
      // stagnation: go back to the best list and forget the late-acceptance history
      copyState(best, cur);
      curSched = bestSched;
      curOrder = bestOrder;
      curValues = bestValues;
      curCost = searchCost(objective, bestValues, jobs);
      hist.fill(curCost);
      ctx = context(c, rng, curSched, curOrder, dueDriven);
      sinceImprove = 0;
    }
  }
  return { schedule: bestSched, values: bestValues, iterations, timeToBestMs: timeToBest };
}

/** The headline number reported for an objective. */
export function primary(objective: Objective, v: ObjectiveValues): number {
  return objective === 'makespan' ? v.makespan : v.weightedTardiness;
}
