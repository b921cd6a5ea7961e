/**
 * Tabu search on the disjunctive graph (TSAB / Zhang et al. style) for job shop and
 * flexible job shop makespan:
 *  - neighbourhood N7 on the critical blocks of one critical path (move an operation to the
 *    front or back of its block, or the block's first/last operation into the block), plus
 *    Mastrolilli & Gambardella reassignments of critical operations to other machines;
 *  - moves are ranked by approximate makespan (moves.ts), the chosen move is applied and the
 *    heads/tails recomputed exactly;
 *  - tenure is drawn at random per move from [tenureMin, tenureMax]; tabu moves are allowed
 *    when their estimate beats the best makespan (aspiration);
 *  - after `stallLimit` non-improving iterations the search restarts from an elite solution
 *    (or the best shared by another thread) with a short random walk.
 */
import type { ClassicInstance } from './instance.js';
import { CriticalPath } from './critical.js';
import { INFEASIBLE, MoveEvaluator } from './moves.js';
import type { Rng } from './rng.js';
import { Solution } from './solution.js';
import { TabuMemory } from './tabu-memory.js';
import { ElitePool } from './elite.js';
import { Relinker } from './relink.js';

export interface TabuParams {
  tenureMin: number;
  tenureMax: number;
  stallLimit: number;
  perturbMoves: number;
  /** probability that a restart relinks two elites (job shop only) instead of a random walk */
  relinkRate: number;
  /** restrict sequence moves to N5 (swap the first two / last two ops of each block) */
  n5: boolean;
}

/** Hooks used by the parallel portfolio to share solutions; all optional. */
export interface SearchHooks {
  /** polled every few dozen iterations */
  shouldStop?(): boolean;
  /** called with each new best of this search */
  publish?(sol: Solution): void;
  /** a shared encoded solution strictly better than `than`, or null */
  fetchShared?(than: number): Int32Array | null;
}

const FORWARD = 0;
const BACKWARD = 1;
const REASSIGN = 2;

export function defaultParams(inst: ClassicInstance, jobs: number): TabuParams {
  const m = Math.max(1, inst.nMachines);
  const base = 10 + Math.round(jobs / m);
  return {
    tenureMin: base,
    tenureMax: Math.round(base * (jobs <= 2 * m ? 1.4 : 1.5)),
    stallLimit: Math.max(2000, 20 * inst.nOps),
    perturbMoves: Math.max(4, Math.round(Math.sqrt(inst.nOps))),
    relinkRate: 0.7,
    n5: false,
  };
}

export class TabuSearch {
  readonly cur: Solution;
  readonly best: Solution;
  readonly elite: ElitePool;
  /** best solution of the current run (since the last restart), for the elite pool */
  private readonly runBestSol: Solution;
  private readonly relinker: Relinker;
  private readonly memory: TabuMemory;
  private readonly evaluator: MoveEvaluator;
  private readonly cp: CriticalPath;
  iter = 0;
  /** set when the neighbourhood is empty: the critical path is a single job chain (optimal) */
  exhausted = false;
  private runBest = Infinity;
  private stall = 0;
  // candidate chosen by offer()
  private selType = -1;
  private selA = -1;
  private selB = -1;
  private selC = -1;
  private selEst = Infinity;
  private selTies = 0;
  private selTabu = true;
  private randomWalk = false;

  constructor(
    readonly inst: ClassicInstance,
    start: Solution,
    private readonly rng: Rng,
    readonly params: TabuParams,
    private readonly hooks: SearchHooks = {},
  ) {
    this.cur = new Solution(inst);
    this.best = new Solution(inst);
    this.cur.copyFrom(start);
    this.best.copyFrom(start);
    this.memory = new TabuMemory(inst.nOps, inst.nMachines);
    this.evaluator = new MoveEvaluator(this.cur, this.memory);
    this.cp = new CriticalPath(inst.nOps);
    this.elite = new ElitePool(inst, 8);
    this.runBestSol = new Solution(inst);
    this.runBestSol.copyFrom(start);
    this.runBest = start.makespan;
    this.relinker = new Relinker(this.cur);
  }

  /** Considers one candidate move; keeps the best non-tabu (or aspirated) one, ties at random. */
  private offer(type: number, a: number, b: number, c: number, est: number, tabu: boolean): void {
    if (this.randomWalk) {
      if (this.rng.int(++this.selTies) === 0) this.take(type, a, b, c, est, false);
      return;
    }
    const allowed = !tabu || est < this.best.makespan;
    if (allowed) {
      if (this.selTabu || est < this.selEst) {
        this.selTies = 1;
        this.take(type, a, b, c, est, false);
      } else if (est === this.selEst && this.rng.int(++this.selTies) === 0) {
        this.take(type, a, b, c, est, false);
      }
    } else if (this.selTabu && this.rng.int(++this.selTies) === 0) {
      // every move so far is tabu: remember a random one in case nothing else appears
      this.take(type, a, b, c, est, true);
    }
  }

  private take(type: number, a: number, b: number, c: number, est: number, tabu: boolean): void {
    this.selType = type;
    this.selA = a;
    this.selB = b;
    this.selC = c;
    this.selEst = est;
    this.selTabu = tabu;
  }

  /** Scans the neighbourhood of `cur`; returns false when it is empty. */
  private select(): boolean {
    const { cur, cp, evaluator, inst, iter } = this;
    cp.compute(cur, this.rng);
    this.selType = -1;
    this.selEst = Infinity;
    this.selTies = 0;
    this.selTabu = true;
    const path = cp.path;
    const lastBlock = cp.blocks - 1;
    for (let bl = 0; bl <= lastBlock; bl++) {
      const s = cp.blockStart[bl]!;
      const e = cp.blockStart[bl + 1]! - 1;
      if (e <= s) continue;
      const first = path[s]!;
      const last = path[e]!;
      // N5 argument: in the first block only moves that change its last op can shorten the
      // path, in the last block only moves that change its first op; skip the others.
      const needLast = bl === 0;
      const needFirst = bl === lastBlock;
      if (this.params.n5) {
        if (!needLast || s + 1 === e) {
          const est = evaluator.backward(first, path[s + 1]!, iter);
          if (est !== INFEASIBLE) this.offer(BACKWARD, first, path[s + 1]!, 0, est, evaluator.tabu);
        }
        if (!needFirst && s + 1 < e) {
          const est = evaluator.forward(path[e - 1]!, last, iter);
          if (est !== INFEASIBLE) this.offer(FORWARD, path[e - 1]!, last, 0, est, evaluator.tabu);
        }
        continue;
      }
      for (let i = s + 1; i <= e; i++) {
        const x = path[i]!;
        if (needLast && i !== e) continue;
        // x to the front of the block; the first op to after x
        let est = evaluator.backward(first, x, iter);
        if (est !== INFEASIBLE) this.offer(BACKWARD, first, x, 0, est, evaluator.tabu);
        est = evaluator.forward(first, x, iter);
        if (est !== INFEASIBLE) this.offer(FORWARD, first, x, 0, est, evaluator.tabu);
      }
      if (needFirst) continue;
      for (let i = s + 1; i < e; i++) {
        const x = path[i]!;
        // x to the back of the block; the last op to before x
        let est = evaluator.forward(x, last, iter);
        if (est !== INFEASIBLE) this.offer(FORWARD, x, last, 0, est, evaluator.tabu);
        est = evaluator.backward(x, last, iter);
        if (est !== INFEASIBLE) this.offer(BACKWARD, x, last, 0, est, evaluator.tabu);
      }
    }
    if (inst.flexible) {
      const { modeStart, modeMachine, modeDuration } = inst;
      for (let i = 0; i < cp.length; i++) {
        const v = path[i]!;
        const k0 = cur.machine[v]!;
        for (let md = modeStart[v]!; md < modeStart[v + 1]!; md++) {
          const k = modeMachine[md]!;
          if (k === k0) continue;
          const est = evaluator.reassign(v, k, modeDuration[md]!);
          if (est === INFEASIBLE) continue;
          this.offer(REASSIGN, v, md, evaluator.after, est, this.memory.machineTabu(v, k, iter));
        }
      }
    }
    return this.selType >= 0;
  }

  /** Applies the selected move with tabu bookkeeping; reverts it if it closed a cycle. */
  private apply(): boolean {
    const { cur, memory, iter } = this;
    const tenure = this.params.tenureMin + this.rng.int(this.params.tenureMax - this.params.tenureMin + 1);
    const until = iter + tenure;
    const a = this.selA;
    const b = this.selB;
    let moved: number;
    if (this.selType === FORWARD) {
      moved = a;
    } else if (this.selType === BACKWARD) {
      moved = b;
    } else {
      moved = a;
    }
    const oldMode = cur.mode[moved]!;
    const oldPrev = cur.machPrev[moved]!;
    // window of the topological order that holds every operation whose arcs change
    const pos = cur.pos;
    let lo: number;
    let hi: number;
    if (this.selType === REASSIGN) {
      const after = this.selC;
      const k = this.inst.modeMachine[b]!;
      const before = after >= 0 ? cur.machNext[after]! : cur.machFirst[k]!;
      const n1 = cur.machNext[a]!;
      lo = hi = pos[a]!;
      if (oldPrev >= 0) lo = Math.min(lo, pos[oldPrev]!);
      if (n1 >= 0) hi = Math.max(hi, pos[n1]!);
      if (after >= 0) {
        lo = Math.min(lo, pos[after]!);
        hi = Math.max(hi, pos[after]!);
      }
      if (before >= 0) {
        lo = Math.min(lo, pos[before]!);
        hi = Math.max(hi, pos[before]!);
      }
    } else {
      const mp = cur.machPrev[a]!;
      const ms = cur.machNext[b]!;
      lo = mp >= 0 ? pos[mp]! : pos[a]!;
      hi = ms >= 0 ? pos[ms]! : pos[b]!;
    }
    if (this.selType === FORWARD) {
      const stop = cur.machNext[b]!;
      for (let x = cur.machNext[a]!; x !== stop; x = cur.machNext[x]!) memory.forbidArc(a, x, until);
      cur.unlink(a);
      cur.linkAfter(a, b, cur.machine[a]!);
    } else if (this.selType === BACKWARD) {
      for (let x = a; x !== b; x = cur.machNext[x]!) memory.forbidArc(x, b, until);
      const p = cur.machPrev[a]!;
      cur.unlink(b);
      cur.linkAfter(b, p, cur.machine[b]!);
    } else {
      memory.forbidMachine(a, cur.machine[a]!, until);
      cur.unlink(a);
      cur.setMode(a, b);
      cur.linkAfter(a, this.selC, cur.machine[a]!);
    }
    if (cur.update(lo, hi)) return true;
    // a cycle: undo the links; order, heads and tails were left untouched
    cur.unlink(moved);
    cur.setMode(moved, oldMode);
    cur.linkAfter(moved, oldPrev, cur.machine[moved]!);
    return false;
  }

  /** One tabu iteration. Returns true when the global best improved. */
  step(): boolean {
    this.iter++;
    if (!this.select()) {
      // Job shop: a critical path without blocks is one job chain, so cur (and best) is optimal.
      if (!this.inst.flexible && this.cp.blocks === this.cp.length) this.exhausted = true;
      else this.restart();
      return false;
    }
    this.apply();
    const ms = this.cur.makespan;
    let improved = false;
    if (ms < this.best.makespan) {
      this.best.copyFrom(this.cur);
      this.hooks.publish?.(this.best);
      improved = true;
    }
    if (ms < this.runBest) {
      this.runBest = ms;
      this.runBestSol.copyFrom(this.cur);
      this.stall = 0;
    } else if (++this.stall > this.params.stallLimit) {
      this.restart();
    }
    return improved;
  }

  /**
   * Restart: the run's best joins the elite pool; then continue from the shared best (when
   * another thread has a better one), from a relinked mix of two elites, or from a random
   * walk off an elite.
   */
  private restart(): void {
    this.elite.offer(this.runBestSol);
    const shared = this.hooks.fetchShared?.(this.best.makespan) ?? null;
    let walk = true;
    if (shared !== null && this.cur.decode(shared) && this.cur.makespan < this.best.makespan) {
      this.best.copyFrom(this.cur);
      this.elite.offer(this.best);
    } else if (!this.inst.flexible && this.elite.size >= 2 && this.rng.next() < this.params.relinkRate) {
      const a = this.rng.int(this.elite.size);
      let b = this.rng.int(this.elite.size - 1);
      if (b >= a) b++;
      // half of the relinks start from the global best (intensification around it)
      if (this.rng.next() < 0.5) this.cur.copyFrom(this.best);
      else this.elite.load(a, this.cur);
      this.relinker.run(this.elite.code(b), 0.1 + 0.3 * this.rng.next(), this.rng);
      walk = false;
    } else if (this.rng.next() < 0.5 || !this.elite.pick(this.cur, this.rng)) {
      this.cur.copyFrom(this.best);
    }
    if (walk) {
      this.randomWalk = true;
      for (let i = 0; i < this.params.perturbMoves; i++) {
        if (!this.select()) break;
        this.apply();
      }
      this.randomWalk = false;
    }
    this.runBest = this.cur.makespan;
    this.runBestSol.copyFrom(this.cur);
    this.stall = 0;
    if (this.cur.makespan < this.best.makespan) {
      this.best.copyFrom(this.cur);
      this.hooks.publish?.(this.best);
    }
  }
}
