/**
 * Dispatch rules (formulas in the handbook's DOMAIN.md), used two ways:
 * - dispatch(): rank a live queue at one work center (what the shop floor screen asks);
 * - ruleSchedule(): a whole constructive schedule, simulating each resource picking the
 *   best waiting operation by the rule whenever it becomes free.
 *
 * In the constructive schedule an operation's "due date" for CR, SLACK and ATC is its
 * job's due date, and R is the remaining work of the job from this operation on (longest
 * chain of minimum durations through its successors). For ATC the formula's slack term
 * d - p - t uses the operation due date d - (R - p), so that an early operation of a long
 * routing is as urgent as the work behind it requires.
 */
import { compile, Compiled } from './compiled.js';
import type { Problem, Schedule } from './model.js';
import { dispatchDecode, DispatchMode, PriorityFn } from './sgs.js';

export const RULES = ['EDD', 'SPT', 'FIFO', 'CR', 'SLACK', 'ATC'] as const;
export type RuleName = (typeof RULES)[number];

export function isRuleName(s: string): s is RuleName {
  return (RULES as readonly string[]).includes(s);
}

/** ATC look-ahead parameter k (default 2). */
export const ATC_K = 2;

/** One waiting operation in a live queue. */
export interface QueueItem {
  id: string;
  due: number;
  processingTime: number;
  remainingWork: number;
  weight: number;
  arrival: number;
}

/** Score where smaller ranks first. */
export function ruleScore(rule: RuleName, it: QueueItem, now: number, pAvg: number, k = ATC_K): number {
  switch (rule) {
    case 'EDD':
      return it.due;
    case 'SPT':
      return it.processingTime;
    case 'FIFO':
      return it.arrival;
    case 'CR':
      return it.remainingWork > 0 ? (it.due - now) / it.remainingWork : it.due - now >= 0 ? Infinity : -Infinity;
    case 'SLACK':
      return it.due - now - it.remainingWork;
    case 'ATC': {
      const p = it.processingTime > 0 ? it.processingTime : 1e-9;
      const index = (it.weight / p) * Math.exp(-Math.max(it.due - p - now, 0) / (k * pAvg));
      return -index;
    }
  }
}

/**
 * Rank a live queue by a rule at time `now`: returns the items best first. Ties keep queue
 * order (stable), so FIFO-equal items stay in arrival order. p_avg for ATC is the mean
 * processing time of the queue.
 */
export function dispatch(queue: readonly QueueItem[], rule: RuleName, now: number, k = ATC_K): QueueItem[] {
  const n = queue.length;
  let pAvg = 0;
  for (const it of queue) pAvg += it.processingTime;
  pAvg = n > 0 && pAvg > 0 ? pAvg / n : 1;
  // scratch buffers reused across calls: ranking is on the live path, so avoid garbage
  if (scratchScores.length < n) {
    scratchScores = new Float64Array(Math.max(n, 2 * scratchScores.length));
    scratchIdx = new Uint32Array(scratchScores.length);
  }
  const scores = scratchScores;
  const idx = scratchIdx.subarray(0, n);
  for (let i = 0; i < n; i++) {
    scores[i] = ruleScore(rule, queue[i]!, now, pAvg, k);
    idx[i] = i;
  }
  idx.sort((a, b) => scores[a]! - scores[b]! || a - b);
  const out = new Array<QueueItem>(n);
  for (let i = 0; i < n; i++) out[i] = queue[idx[i]!]!;
  return out;
}

let scratchScores = new Float64Array(1024);
let scratchIdx = new Uint32Array(1024);

/** Priority function of a rule over a compiled problem (lower first). */
export function rulePriority(c: Compiled, rule: RuleName, k = ATC_K): PriorityFn {
  const { due, remaining, weight, minDur } = c;
  switch (rule) {
    case 'EDD':
      return (o) => due[o]!;
    case 'SPT':
      return (_o, _r, _t, _a, p) => p;
    case 'FIFO':
      return (_o, _r, _t, a) => a;
    case 'CR':
      return (o, _r, t) => {
        const R = remaining[o]!;
        const slack = due[o]! - t;
        return R > 0 ? slack / R : slack >= 0 ? Infinity : -Infinity;
      };
    case 'SLACK':
      return (o, _r, t) => due[o]! - t - remaining[o]!;
    case 'ATC':
      return (o, _r, t, _a, p, pAvg) => {
        const dOp = due[o]! - (remaining[o]! - minDur[o]!);
        const pp = p > 0 ? p : 1e-9;
        const slack = Math.max(dOp - pp - t, 0);
        return -(weight[o]! / pp) * Math.exp(-slack / (k * (pAvg > 0 ? pAvg : 1)));
      };
  }
}

/**
 * ATCS (apparent tardiness cost with setups, Lee, Bhaskaran & Pinedo 1997): ATC times
 * exp(-s / (k2 * s_avg)). Not a shop-floor rule here; the search uses it with several
 * (k1, k2) to build setup-aware starting schedules.
 */
export function atcsPriority(c: Compiled, k1: number, k2: number): PriorityFn {
  const { due, remaining, weight, minDur } = c;
  return (o, _r, t, _a, p, pAvg, s, sAvg) => {
    const dOp = due[o]! - (remaining[o]! - minDur[o]!);
    const pp = p > 0 ? p : 1e-9;
    const slack = Math.max(dOp - pp - t, 0);
    const setupTerm = sAvg > 0 ? Math.exp(-s / (k2 * sAvg)) : 1;
    return -(weight[o]! / pp) * Math.exp(-slack / (k1 * (pAvg > 0 ? pAvg : 1))) * setupTerm;
  };
}

/** The rule's constructive schedule. */
export function ruleSchedule(
  problemOrCompiled: Problem | Compiled,
  rule: RuleName,
  mode: DispatchMode = 'nondelay',
): Schedule {
  const c = 'setupFlat' in problemOrCompiled ? problemOrCompiled : compile(problemOrCompiled);
  return dispatchDecode(c, rulePriority(c, rule), mode);
}
