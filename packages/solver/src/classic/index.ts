/**
 * Classic job-shop / flexible job-shop makespan search (tabu search with N7 and machine
 * reassignment moves). `solveMakespan` is the public entry; `runClassic` also takes the
 * sharing hooks and parameter overrides the parallel portfolio uses.
 */
import type { Problem, SearchOptions, SearchResult } from '../model.js';
import { constructBest } from './construct.js';
import { fromSchedule, quickLowerBound, toSchedule } from './convert.js';
import { toClassicInstance, type ClassicInstance } from './instance.js';
import { Rng } from './rng.js';
import { defaultParams, TabuSearch, type SearchHooks, type TabuParams } from './tabu.js';
import type { Solution } from './solution.js';

export { toClassicInstance } from './instance.js';
export type { SearchHooks, TabuParams } from './tabu.js';

/** How often (iterations) the clock, abort signal and hooks are polled. */
const POLL_EVERY = 32;

export interface ClassicRun {
  best: Solution;
  iterations: number;
  timeToBestMs: number;
  elapsedMs: number;
}

export function jobCount(inst: ClassicInstance): number {
  let jobs = 0;
  for (let o = 0; o < inst.nOps; o++) if (inst.jobPrev[o]! < 0) jobs++;
  return jobs;
}

export function runClassic(
  inst: ClassicInstance,
  options: SearchOptions,
  hooks: SearchHooks = {},
  tune: (p: TabuParams) => TabuParams = (p) => p,
): ClassicRun {
  const t0 = performance.now();
  const rng = new Rng(options.seed ?? 1);
  const initial = options.initial ? fromSchedule(inst, options.initial) : null;
  const start = initial ?? constructBest(inst, rng);
  const params = tune(defaultParams(inst, jobCount(inst)));
  const search = new TabuSearch(inst, start, rng, params, hooks);
  const bound = quickLowerBound(inst);
  const maxIter = options.maxIterations ?? Infinity;
  let timeToBest = performance.now() - t0;
  const report = (): void => {
    timeToBest = performance.now() - t0;
    options.onProgress?.({ elapsedMs: timeToBest, bestObjective: search.best.makespan, iterations: search.iter });
  };
  report();
  hooks.publish?.(search.best);
  while (search.iter < maxIter && search.best.makespan > bound && !search.exhausted) {
    if (search.iter % POLL_EVERY === 0) {
      if (performance.now() - t0 >= options.timeLimitMs) break;
      if (options.signal?.aborted || hooks.shouldStop?.()) break;
    }
    const before = search.best.makespan;
    search.step();
    if (search.best.makespan < before) report();
  }
  return { best: search.best, iterations: search.iter, timeToBestMs: timeToBest, elapsedMs: performance.now() - t0 };
}

/** Makespan search for classic (flexible) job shops; see README of src/classic for limits. */
export function solveMakespan(problem: Problem, options: SearchOptions): SearchResult {
  const inst = toClassicInstance(problem);
  const run = runClassic(inst, options);
  return {
    schedule: toSchedule(run.best),
    objective: run.best.makespan,
    iterations: run.iterations,
    timeToBestMs: run.timeToBestMs,
    elapsedMs: run.elapsedMs,
  };
}
