/**
 * Extracts one critical path of the current solution and splits it into critical blocks
 * (maximal runs of path operations that are consecutive on one machine). Ties between a job
 * and a machine predecessor are broken at random so repeated visits see different paths.
 */
import type { Rng } from './rng.js';
import type { Solution } from './solution.js';

export class CriticalPath {
  /** operations of the path in time order */
  readonly path: Int32Array;
  length = 0;
  /** block b spans path[blockStart[b]] .. path[blockStart[b+1]-1] */
  readonly blockStart: Int32Array;
  blocks = 0;

  constructor(nOps: number) {
    this.path = new Int32Array(nOps);
    this.blockStart = new Int32Array(nOps + 1);
  }

  compute(sol: Solution, rng: Rng): void {
    const { head, duration, machPrev, machNext } = sol;
    const { jobPrev } = sol.inst;
    const cmax = sol.makespan;
    // Pick a random sink among the job-last operations ending at the makespan.
    let end = -1;
    let seen = 0;
    const last = sol.jobLast;
    for (let i = 0; i < last.length; i++) {
      const o = last[i]!;
      if (head[o]! + duration[o]! === cmax && rng.int(++seen) === 0) end = o;
    }
    const path = this.path;
    let len = 0;
    let o = end;
    while (o >= 0) {
      path[len++] = o;
      const h = head[o]!;
      const jp = jobPrev[o]!;
      const mp = machPrev[o]!;
      const jOk = jp >= 0 && head[jp]! + duration[jp]! === h;
      const mOk = mp >= 0 && head[mp]! + duration[mp]! === h;
      if (jOk && mOk) o = rng.next() < 0.5 ? jp : mp;
      else if (mOk) o = mp;
      else if (jOk) o = jp;
      else o = -1;
    }
    path.subarray(0, len).reverse();
    this.length = len;
    let b = 0;
    for (let i = 0; i < len; i++) {
      if (i === 0 || machNext[path[i - 1]!] !== path[i]) this.blockStart[b++] = i;
    }
    this.blockStart[b] = len;
    this.blocks = b;
  }
}
