/**
 * Approximate evaluation of the three move types (Balas & Vazacopoulos / Taillard style):
 * only the heads and tails of the operations whose machine order changes are recomputed,
 * everything else keeps its current head/tail, so a move costs O(segment length).
 *
 *  - forward:  u (earlier) is moved right after v on the same machine
 *  - backward: v (later) is moved right before u on the same machine
 *  - reassign: op v moves to another machine k, inserted at the best feasible position
 *
 * Feasibility uses the classic sufficient conditions on heads/tails: a cycle would need a
 * path from the job successor of the moved op into the segment (forward) or from the segment
 * to its job predecessor (backward), and such a path forces an ordering of heads/tails.
 */
import type { Solution } from './solution.js';
import type { TabuMemory } from './tabu-memory.js';

export const INFEASIBLE = -1;

export class MoveEvaluator {
  private readonly scratch: Int32Array;
  /** set by the last evaluate call: some arc the move would create is tabu */
  tabu = false;
  /** set by evaluateReassign: op to insert after (-1 = first) and mode chosen */
  after = -1;

  constructor(
    private readonly sol: Solution,
    private readonly memory: TabuMemory,
  ) {
    this.scratch = new Int32Array(sol.inst.nOps + 1);
  }

  private jpEnd(o: number): number {
    const jp = this.sol.inst.jobPrev[o]!;
    return jp >= 0 ? this.sol.head[jp]! + this.sol.duration[jp]! : this.sol.inst.release[o]!;
  }

  private jsTerm(o: number): number {
    const js = this.sol.inst.jobNext[o]!;
    return js >= 0 ? this.sol.duration[js]! + this.sol.tail[js]! : 0;
  }

  /** Estimated makespan of moving u right after v, or INFEASIBLE. */
  forward(u: number, v: number, iter: number): number {
    const { head, tail, duration, machPrev, machNext } = this.sol;
    const js = this.sol.inst.jobNext[u]!;
    if (js >= 0 && head[js]! + duration[js]! <= head[v]!) return INFEASIBLE;
    const mp = machPrev[u]!;
    let t = mp >= 0 ? head[mp]! + duration[mp]! : 0;
    let tabu = false;
    let count = 0;
    const r = this.scratch;
    const stop = machNext[v]!;
    for (let x = machNext[u]!; x !== stop; x = machNext[x]!) {
      if (x === js) return INFEASIBLE;
      if (!tabu && this.memory.arcTabu(x, u, iter)) tabu = true;
      const h = Math.max(t, this.jpEnd(x));
      r[count++] = h;
      t = h + duration[x]!;
    }
    const hu = Math.max(t, this.jpEnd(u));
    let q = Math.max(stop >= 0 ? duration[stop]! + tail[stop]! : 0, this.jsTerm(u));
    let est = hu + duration[u]! + q;
    q += duration[u]!;
    let i = count;
    for (let x = v; i > 0; x = machPrev[x]!) {
      const qx = Math.max(q, this.jsTerm(x));
      const e = r[--i]! + duration[x]! + qx;
      if (e > est) est = e;
      q = qx + duration[x]!;
    }
    this.tabu = tabu;
    return est;
  }

  /** Estimated makespan of moving v right before u, or INFEASIBLE. */
  backward(u: number, v: number, iter: number): number {
    const { head, tail, duration, machPrev, machNext } = this.sol;
    const jp = this.sol.inst.jobPrev[v]!;
    if (jp >= 0 && tail[jp]! + duration[jp]! <= tail[u]!) return INFEASIBLE;
    const mp = machPrev[u]!;
    let t = mp >= 0 ? head[mp]! + duration[mp]! : 0;
    const hv = Math.max(t, this.jpEnd(v));
    t = hv + duration[v]!;
    let tabu = false;
    let count = 0;
    const r = this.scratch;
    for (let x = u; x !== v; x = machNext[x]!) {
      if (x === jp) return INFEASIBLE;
      if (!tabu && this.memory.arcTabu(v, x, iter)) tabu = true;
      const h = Math.max(t, this.jpEnd(x));
      r[count++] = h;
      t = h + duration[x]!;
    }
    const ms = machNext[v]!;
    let q = ms >= 0 ? duration[ms]! + tail[ms]! : 0;
    let est = 0;
    let i = count;
    for (let x = machPrev[v]!; i > 0; x = machPrev[x]!) {
      const qx = Math.max(q, this.jsTerm(x));
      const e = r[--i]! + duration[x]! + qx;
      if (e > est) est = e;
      q = qx + duration[x]!;
    }
    const qv = Math.max(q, this.jsTerm(v));
    const ev = hv + duration[v]! + qv;
    this.tabu = tabu;
    return ev > est ? ev : est;
  }

  /**
   * Best insertion of v on machine k with duration p (Mastrolilli & Gambardella): scans the
   * machine once, keeping positions that cannot close a cycle. Sets `after`; returns the
   * estimate of the longest path through v, or INFEASIBLE.
   */
  reassign(v: number, k: number, p: number): number {
    const { head, tail, duration, machNext, machFirst } = this.sol;
    const { jobPrev, jobNext } = this.sol.inst;
    const jp = jobPrev[v]!;
    const js = jobNext[v]!;
    const rIn = this.jpEnd(v);
    const qOut = this.jsTerm(v);
    const jsEnd = js >= 0 ? head[js]! + duration[js]! : 0;
    const jpTail = jp >= 0 ? tail[jp]! + duration[jp]! : 0;
    let best = Infinity;
    let bestAfter = -1;
    let a = -1;
    let b = machFirst[k]!;
    if (b === v) b = machNext[v]!;
    for (;;) {
      // positions after js's region can never become feasible again: stop the scan
      if (a >= 0 && js >= 0 && (a === js || head[a]! >= jsEnd)) break;
      const bOk = b < 0 || jp < 0 || (b !== jp && tail[b]! < jpTail);
      if (bOk) {
        const rv = a >= 0 ? Math.max(rIn, head[a]! + duration[a]!) : rIn;
        const qv = b >= 0 ? Math.max(qOut, duration[b]! + tail[b]!) : qOut;
        const est = rv + p + qv;
        if (est < best) {
          best = est;
          bestAfter = a;
        }
      }
      if (b < 0) break;
      a = b;
      b = machNext[b]!;
      if (b === v) b = machNext[v]!;
    }
    this.after = bestAfter;
    return best === Infinity ? INFEASIBLE : best;
  }
}
