/**
 * The engine's front door: constructive schedule(s), then anytime improvement, then the
 * independent validator and the lower bound. Classic makespan problems (no calendars,
 * setups, fixed operations or releases) go to the specialised tabu search in src/classic
 * (or its worker portfolio when threads > 1); everything else to the general search.
 */
import { lowerBound, tardinessLowerBound } from './bounds.js';
import { compile, Compiled } from './compiled.js';
import { compareObjectives, evaluate } from './evaluate.js';
import type { ObjectiveValues, Problem, Schedule, SearchOptions, SearchResult } from './model.js';
import { RuleName, RULES, ruleSchedule } from './rules.js';
import { improve, primary } from './search/improve.js';
import { learnPriorities } from './search/learn.js';
import { startHelpers } from './search/helpers.js';
import { atcsStarts } from './search/start.js';
import type { DispatchMode } from './sgs.js';
import { validate, Violation } from './validate.js';

export interface SolveOptions extends SearchOptions {
  /** only this rule's constructive schedule starts the search (default: best of all rules) */
  rule?: RuleName;
  threads?: number;
}

export interface SolveResult extends SearchResult {
  values: ObjectiveValues;
  valid: boolean;
  violations: Violation[];
  /** lower bound for the primary objective (makespan, or weighted tardiness) */
  lowerBound: number;
  makespanLowerBound: number;
  tardinessLowerBound: number;
  /** (objective - lowerBound) / lowerBound, 0 when both are 0, null when the bound is 0 */
  gap: number | null;
  /** the constructive rule the result started from, when it came from a rule */
  startRule: string | null;
  timeToFirstMs: number;
  engine: 'rule' | 'general' | 'classic' | 'classic-parallel';
}

/** True for problems the classic makespan search handles exactly. */
export function isClassic(p: Problem): boolean {
  return (
    p.objective === 'makespan' &&
    p.fixed.length === 0 &&
    p.resources.every((r) => r.calendar === null) &&
    p.jobs.every((j) => j.release === 0) &&
    (p.setupCategories.length === 0 || p.operations.every((o) => o.setupCategory < 0))
  );
}

/** Rules in the order they usually rank on tardiness, so a cut-short portfolio keeps the best. */
const RULE_ORDER: readonly RuleName[] = ['ATC', 'SLACK', 'EDD', 'CR', 'FIFO', 'SPT'];

/**
 * Best constructive schedule among the given rules (both dispatch modes on small
 * problems). At least one rule always runs; the others only while before the deadline.
 * onFirst is called once the first valid plan exists.
 */
export function bestRuleSchedule(
  c: Compiled,
  rules: readonly RuleName[],
  deadline = Infinity,
  onFirst?: () => void,
): { schedule: Schedule; values: ObjectiveValues; rule: string } {
  const modes: DispatchMode[] = c.n <= 5000 ? ['nondelay', 'active'] : ['nondelay'];
  const ordered = [...RULE_ORDER.filter((r) => rules.includes(r)), ...rules.filter((r) => !RULE_ORDER.includes(r))];
  let best: { schedule: Schedule; values: ObjectiveValues; rule: string } | null = null;
  for (const mode of modes) {
    for (const rule of ordered) {
      if (best && performance.now() >= deadline) return best;
      const schedule = ruleSchedule(c, rule, mode);
      const values = evaluate(c.problem, schedule);
      if (!best) onFirst?.();
      if (!best || compareObjectives(c.problem.objective, values, best.values) < 0)
        best = { schedule, values, rule: mode === 'nondelay' ? rule : `${rule}/active` };
    }
  }
  return best!;
}

async function classicSolve(
  problem: Problem,
  options: SolveOptions,
): Promise<{ result: SearchResult; engine: SolveResult['engine'] } | null> {
  try {
    if ((options.threads ?? 1) > 1) {
      const { solveParallel } = await import('./parallel/index.js');
      return {
        result: await solveParallel(problem, { ...options, threads: options.threads ?? 2 }),
        engine: 'classic-parallel',
      };
    }
    const { solveMakespan } = await import('./classic/index.js');
    return { result: solveMakespan(problem, options), engine: 'classic' };
  } catch {
    // the classic engine refused this instance: the general search handles everything
    return null;
  }
}

export async function solve(problem: Problem, options: SolveOptions): Promise<SolveResult> {
  const t0 = performance.now();
  const objective = problem.objective;
  const c = compile(problem);
  let schedule: Schedule;
  let values: ObjectiveValues;
  let iterations = 0;
  let timeToBestMs: number;
  let startRule: string | null = null;
  let engine: SolveResult['engine'] = 'rule';
  let timeToFirstMs: number;

  const classic =
    options.rule === undefined && options.timeLimitMs > 0 && isClassic(problem)
      ? await classicSolve(problem, options)
      : null;
  if (classic && validate(problem, classic.result.schedule).valid) {
    schedule = classic.result.schedule;
    values = evaluate(problem, schedule);
    iterations = classic.result.iterations;
    timeToBestMs = classic.result.timeToBestMs;
    timeToFirstMs = Math.min(timeToBestMs, performance.now() - t0);
    engine = classic.engine;
  } else {
    // other cores run the same search with other seeds; the best result wins
    const helpers =
      (options.threads ?? 1) > 1 && options.timeLimitMs > 0 && !options.initial && !options.rule
        ? startHelpers(
            {
              problem,
              deadline: Date.now() + options.timeLimitMs,
              ...(options.maxIterations !== undefined ? { maxIterations: options.maxIterations } : {}),
            },
            options.seed ?? 1,
            (options.threads ?? 1) - 1,
            options.signal,
          )
        : [];
    let first = 0;
    // with a budget, the rule portfolio may use a sixth of it (the first rule always runs);
    // iteration-bounded runs skip the time cuts so that a seed fully determines the result
    const timeCuts = options.timeLimitMs > 0 && options.maxIterations === undefined;
    const rulesDeadline = timeCuts ? t0 + options.timeLimitMs / 6 : Infinity;
    const start = options.initial
      ? { schedule: options.initial, values: evaluate(problem, options.initial), rule: null }
      : bestRuleSchedule(
          c,
          options.rule ? [options.rule] : RULES,
          rulesDeadline,
          () => (first = performance.now() - t0),
        );
    schedule = start.schedule;
    values = start.values;
    startRule = start.rule;
    timeToBestMs = performance.now() - t0;
    timeToFirstMs = first > 0 ? first : timeToBestMs;
    options.onProgress?.({ elapsedMs: timeToFirstMs, bestObjective: primary(objective, values), iterations: 0 });
    if (options.timeLimitMs > 0 && (options.maxIterations ?? 1) > 0 && c.n > 0) {
      engine = 'general';
      const maxIt = options.maxIterations ?? Infinity;
      const better = (v: ObjectiveValues): boolean => compareObjectives(objective, v, values) < 0;
      if (!options.initial && objective !== 'makespan') {
        // setup-aware constructive starts get at most a tenth of the budget
        const s = atcsStarts(c, timeCuts ? t0 + Math.min(options.timeLimitMs * 0.1, 20_000) : Infinity, {
          schedule,
          values,
          rule: startRule ?? '',
        });
        if (s.schedule !== schedule) {
          schedule = s.schedule;
          values = s.values;
          startRule = s.rule;
          timeToBestMs = performance.now() - t0;
          options.onProgress?.({ elapsedMs: timeToBestMs, bestObjective: primary(objective, values), iterations: 0 });
        }
        // then most of the budget (85 %: on generated shops the list search added little after
        // learning, 0.95 vs 0.7 measured slightly better on two seeds) learns job priorities
        // over the dispatch simulation
        let learnedAt = performance.now() - t0;
        const learned = learnPriorities(c, s.atcs ?? { k1: 2, k2: 0.25, mode: 'nondelay' }, {
          deadline: t0 + options.timeLimitMs * (timeCuts ? 0.85 : 1),
          maxIterations: Math.ceil(maxIt / 2),
          seed: options.seed ?? 1,
          ...(options.signal ? { signal: options.signal } : {}),
          onBest: (v, it) => {
            if (!better(v)) return;
            learnedAt = performance.now() - t0;
            options.onProgress?.({ elapsedMs: learnedAt, bestObjective: primary(objective, v), iterations: it });
          },
        });
        iterations += learned.iterations;
        if (learned.schedule.operations.length === c.n && better(learned.values)) {
          schedule = learned.schedule;
          values = learned.values;
          timeToBestMs = learnedAt;
        }
      }
      // the rest polishes the best schedule by list search (sequence, setup batching, modes)
      const r = improve(c, schedule, { ...options, maxIterations: maxIt - iterations }, t0);
      iterations += r.iterations;
      if (better(r.values)) {
        schedule = r.schedule;
        values = r.values;
        timeToBestMs = r.timeToBestMs;
      }
    }
    for (const h of await Promise.all(helpers)) {
      if (!h) continue;
      iterations += h.iterations;
      if (compareObjectives(objective, h.values, values) < 0) {
        schedule = h.schedule;
        values = h.values;
        timeToBestMs = performance.now() - t0;
        options.onProgress?.({ elapsedMs: timeToBestMs, bestObjective: primary(objective, values), iterations });
      }
    }
  }
  const check = validate(problem, schedule);
  const makespanLb = lowerBound(problem);
  const tardinessLb = tardinessLowerBound(problem);
  const lb = objective === 'makespan' ? makespanLb : tardinessLb;
  const obj = primary(objective, values);
  return {
    schedule,
    objective: obj,
    iterations,
    timeToBestMs,
    elapsedMs: performance.now() - t0,
    values,
    valid: check.valid,
    violations: check.violations,
    lowerBound: lb,
    makespanLowerBound: makespanLb,
    tardinessLowerBound: tardinessLb,
    gap: lb > 0 ? (obj - lb) / lb : obj === 0 ? 0 : null,
    startRule,
    timeToFirstMs,
    engine,
  };
}
