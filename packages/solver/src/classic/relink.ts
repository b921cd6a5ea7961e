/**
 * Path relinking for the job shop (idea from Peng, Lu & Cheng's TS/PR): walk from the current
 * solution towards a guiding elite by swapping operations so that machine positions agree
 * with the guide, and stop part-way. The result mixes both parents' machine orders and is a
 * diversified but still good restart point for the tabu search. Swaps that would close a
 * cycle are undone and skipped.
 */
import type { Rng } from './rng.js';
import type { Solution } from './solution.js';

export class Relinker {
  private readonly seq: Int32Array;
  private readonly guide: Int32Array;
  private readonly pos: Int32Array;
  private readonly start: Int32Array;
  private readonly count: Int32Array;

  constructor(private readonly sol: Solution) {
    const { nOps, nMachines } = sol.inst;
    this.seq = new Int32Array(nOps);
    this.guide = new Int32Array(nOps);
    this.pos = new Int32Array(nOps);
    this.start = new Int32Array(nMachines + 1);
    this.count = new Int32Array(nMachines);
  }

  /**
   * Moves sol towards `guideCode` (Solution.encode layout, same modes) until a `fraction` of
   * the differing positions has been fixed. sol is evaluated afterwards.
   */
  run(guideCode: Int32Array, fraction: number, rng: Rng): void {
    const sol = this.sol;
    const { nOps, nMachines } = sol.inst;
    const { seq, guide, pos, start, count } = this;
    // machine k owns seq/guide slots start[k] .. start[k+1]-1
    count.fill(0);
    for (let o = 0; o < nOps; o++) count[sol.machine[o]!]!++;
    start[0] = 0;
    for (let k = 0; k < nMachines; k++) start[k + 1] = start[k]! + count[k]!;
    for (let k = 0; k < nMachines; k++) {
      let i = start[k]!;
      for (let o = sol.machFirst[k]!; o >= 0; o = sol.machNext[o]!) {
        seq[i] = o;
        pos[o] = i++;
      }
    }
    for (let o = 0; o < nOps; o++) guide[start[sol.machine[o]!]! + guideCode[nOps + o]!] = o;
    let diff = 0;
    for (let i = 0; i < nOps; i++) if (seq[i] !== guide[i]) diff++;
    let steps = Math.floor((diff / 2) * fraction);
    let failures = 0;
    while (steps > 0 && failures < 50) {
      // a random slot that still differs from the guide
      let i = rng.int(nOps);
      let scanned = 0;
      while (seq[i] === guide[i] && scanned++ < nOps) i = (i + 1) % nOps;
      if (scanned > nOps) break;
      const g = guide[i]!;
      const j = pos[g]!;
      const o = seq[i]!;
      const k = sol.machine[o]!;
      seq[i] = g;
      seq[j] = o;
      pos[g] = i;
      pos[o] = j;
      sol.loadMachine(k, seq.subarray(start[k]!, start[k + 1]!), count[k]!);
      if (sol.evaluate()) {
        steps--;
        continue;
      }
      seq[i] = o;
      seq[j] = g;
      pos[g] = j;
      pos[o] = i;
      sol.loadMachine(k, seq.subarray(start[k]!, start[k + 1]!), count[k]!);
      failures++;
    }
    if (!sol.evaluate()) throw new Error('classic solver: relinking left a cyclic solution');
  }
}
