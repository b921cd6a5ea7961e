/**
 * Start solutions: Giffler-Thompson active schedules built with a few priority rules
 * (the best of them seeds the tabu search). For flexible operations the conflict machine is
 * the one giving the earliest completion, so the build also picks reasonable machines.
 */
import type { ClassicInstance } from './instance.js';
import type { Rng } from './rng.js';
import { Solution } from './solution.js';

export const RULES = ['mwkr', 'mor', 'spt', 'random'] as const;
export type Rule = (typeof RULES)[number];

/** Builds one active schedule with the given rule into `sol` (sol is evaluated afterwards). */
export function giffler(inst: ClassicInstance, sol: Solution, rule: Rule, rng: Rng): void {
  const n = inst.nOps;
  const { jobPrev, jobNext, modeStart, modeMachine, modeDuration, release } = inst;
  const minDur = new Float64Array(n);
  for (let o = 0; o < n; o++) {
    let best = Infinity;
    for (let e = modeStart[o]!; e < modeStart[o + 1]!; e++) best = Math.min(best, modeDuration[e]!);
    minDur[o] = best;
  }
  // Remaining work / operations from each op to the end of its job.
  const work = new Float64Array(n);
  const count = new Int32Array(n);
  const cand: number[] = [];
  for (let o = 0; o < n; o++) {
    if (jobPrev[o]! >= 0) continue;
    cand.push(o);
    const chain: number[] = [];
    for (let x = o; x >= 0; x = jobNext[x]!) chain.push(x);
    let w = 0;
    for (let i = chain.length - 1; i >= 0; i--) {
      const x = chain[i]!;
      w += minDur[x]!;
      work[x] = w;
      count[x] = chain.length - i;
    }
  }
  const ready = new Float64Array(n);
  for (const o of cand) ready[o] = release[o]!;
  const machReady = new Float64Array(inst.nMachines);
  const modes = new Int32Array(n);
  const seqs: number[][] = Array.from({ length: inst.nMachines }, () => []);
  const noise = new Float64Array(n);
  if (rule === 'random') for (let o = 0; o < n; o++) noise[o] = rng.next();

  for (let placed = 0; placed < n; placed++) {
    // Earliest completion over all candidate (op, mode) pairs decides the conflict machine.
    let bestEnd = Infinity;
    let kStar = -1;
    for (const c of cand) {
      for (let e = modeStart[c]!; e < modeStart[c + 1]!; e++) {
        const k = modeMachine[e]!;
        const end = Math.max(ready[c]!, machReady[k]!) + modeDuration[e]!;
        if (end < bestEnd) {
          bestEnd = end;
          kStar = k;
        }
      }
    }
    let pick = -1;
    let pickMode = -1;
    let pickScore = -Infinity;
    for (let ci = 0; ci < cand.length; ci++) {
      const c = cand[ci]!;
      for (let e = modeStart[c]!; e < modeStart[c + 1]!; e++) {
        if (modeMachine[e] !== kStar) continue;
        if (Math.max(ready[c]!, machReady[kStar]!) >= bestEnd) continue;
        let score: number;
        if (rule === 'mwkr') score = work[c]! - 1e-3 * modeDuration[e]!;
        else if (rule === 'mor') score = count[c]! + 1e-6 * work[c]!;
        else if (rule === 'spt') score = -modeDuration[e]!;
        else score = noise[c]!;
        if (score > pickScore) {
          pickScore = score;
          pick = ci;
          pickMode = e;
        }
      }
    }
    const o = cand[pick]!;
    const end = Math.max(ready[o]!, machReady[kStar]!) + modeDuration[pickMode]!;
    modes[o] = pickMode;
    seqs[kStar]!.push(o);
    machReady[kStar] = end;
    const js = jobNext[o]!;
    if (js >= 0) {
      ready[js] = end;
      cand[pick] = js;
    } else {
      cand[pick] = cand[cand.length - 1]!;
      cand.pop();
    }
  }
  sol.load(modes, seqs);
  if (!sol.evaluate()) throw new Error('classic solver: constructive produced a cyclic schedule');
}

/** Best of all rules plus a few randomised builds. */
export function constructBest(inst: ClassicInstance, rng: Rng, randomBuilds = 4): Solution {
  const best = new Solution(inst);
  const trial = new Solution(inst);
  let have = false;
  const rules: Rule[] = [...RULES];
  for (let i = 1; i < randomBuilds; i++) rules.push('random');
  for (const rule of rules) {
    giffler(inst, trial, rule, rng);
    if (!have || trial.makespan < best.makespan) {
      best.copyFrom(trial);
      have = true;
    }
  }
  return best;
}
