/**
 * A solution of the disjunctive graph: a mode (machine) per operation and a linked-list
 * sequence per machine, plus heads (earliest starts) and tails (longest path from an
 * operation's end to the sink). Everything lives in preallocated typed arrays so the
 * tabu loop never allocates.
 */
import type { ClassicInstance } from './instance.js';

export class Solution {
  readonly mode: Int32Array;
  readonly machine: Int32Array;
  readonly duration: Int32Array;
  readonly machPrev: Int32Array;
  readonly machNext: Int32Array;
  readonly machFirst: Int32Array;
  readonly machLast: Int32Array;
  readonly head: Int32Array;
  readonly tail: Int32Array;
  /** topological order of the last successful timing pass */
  readonly order: Int32Array;
  private readonly indeg: Int32Array;
  makespan = 0;

  constructor(readonly inst: ClassicInstance) {
    const n = inst.nOps;
    const m = inst.nMachines;
    this.mode = new Int32Array(n);
    this.machine = new Int32Array(n);
    this.duration = new Int32Array(n);
    this.machPrev = new Int32Array(n).fill(-1);
    this.machNext = new Int32Array(n).fill(-1);
    this.machFirst = new Int32Array(m).fill(-1);
    this.machLast = new Int32Array(m).fill(-1);
    this.head = new Int32Array(n);
    this.tail = new Int32Array(n);
    this.order = new Int32Array(n);
    this.indeg = new Int32Array(n);
  }

  copyFrom(o: Solution): void {
    this.mode.set(o.mode);
    this.machine.set(o.machine);
    this.duration.set(o.duration);
    this.machPrev.set(o.machPrev);
    this.machNext.set(o.machNext);
    this.machFirst.set(o.machFirst);
    this.machLast.set(o.machLast);
    this.head.set(o.head);
    this.tail.set(o.tail);
    this.order.set(o.order);
    this.makespan = o.makespan;
  }

  /** Sets the modes and per-machine sequences; `sequences[k]` lists the ops on machine k in order. */
  load(modes: ArrayLike<number>, sequences: ArrayLike<number>[]): void {
    const inst = this.inst;
    for (let o = 0; o < inst.nOps; o++) this.setMode(o, modes[o]!);
    this.machFirst.fill(-1);
    this.machLast.fill(-1);
    for (let k = 0; k < sequences.length; k++) this.loadMachine(k, sequences[k]!, sequences[k]!.length);
  }

  /** Relinks machine k to run seq[0..len-1] in that order (modes must already match k). */
  loadMachine(k: number, seq: ArrayLike<number>, len: number): void {
    let prev = -1;
    this.machFirst[k] = -1;
    for (let i = 0; i < len; i++) {
      const o = seq[i]!;
      this.machPrev[o] = prev;
      if (prev >= 0) this.machNext[prev] = o;
      else this.machFirst[k] = o;
      prev = o;
    }
    if (prev >= 0) this.machNext[prev] = -1;
    this.machLast[k] = prev;
  }

  setMode(o: number, mode: number): void {
    this.mode[o] = mode;
    this.machine[o] = this.inst.modeMachine[mode]!;
    this.duration[o] = this.inst.modeDuration[mode]!;
  }

  /** Unlinks o from its machine sequence. */
  unlink(o: number): void {
    const p = this.machPrev[o]!;
    const s = this.machNext[o]!;
    const k = this.machine[o]!;
    if (p >= 0) this.machNext[p] = s;
    else this.machFirst[k] = s;
    if (s >= 0) this.machPrev[s] = p;
    else this.machLast[k] = p;
    this.machPrev[o] = -1;
    this.machNext[o] = -1;
  }

  /** Links o (already unlinked, machine set) right after `after` on machine k (after = -1: first). */
  linkAfter(o: number, after: number, k: number): void {
    const s = after >= 0 ? this.machNext[after]! : this.machFirst[k]!;
    this.machPrev[o] = after;
    this.machNext[o] = s;
    if (after >= 0) this.machNext[after] = o;
    else this.machFirst[k] = o;
    if (s >= 0) this.machPrev[s] = o;
    else this.machLast[k] = o;
  }

  /**
   * Recomputes heads, tails and makespan with one Kahn pass over job and machine arcs.
   * Returns false when the graph has a cycle (the caller then reverts its move).
   */
  evaluate(): boolean {
    const { nOps, jobPrev, jobNext, release } = this.inst;
    const { machPrev, machNext, head, tail, order, indeg, duration } = this;
    let qEnd = 0;
    for (let o = 0; o < nOps; o++) {
      const d = (jobPrev[o]! >= 0 ? 1 : 0) + (machPrev[o]! >= 0 ? 1 : 0);
      indeg[o] = d;
      head[o] = release[o]!;
      if (d === 0) order[qEnd++] = o;
    }
    let makespan = 0;
    for (let qi = 0; qi < qEnd; qi++) {
      const o = order[qi]!;
      const end = head[o]! + duration[o]!;
      if (end > makespan) makespan = end;
      const js = jobNext[o]!;
      if (js >= 0) {
        if (head[js]! < end) head[js] = end;
        const d = indeg[js]! - 1;
        indeg[js] = d;
        if (d === 0) order[qEnd++] = js;
      }
      const ms = machNext[o]!;
      if (ms >= 0) {
        if (head[ms]! < end) head[ms] = end;
        const d = indeg[ms]! - 1;
        indeg[ms] = d;
        if (d === 0) order[qEnd++] = ms;
      }
    }
    if (qEnd < nOps) return false;
    for (let qi = nOps - 1; qi >= 0; qi--) {
      const o = order[qi]!;
      let t = 0;
      const js = jobNext[o]!;
      if (js >= 0) t = duration[js]! + tail[js]!;
      const ms = machNext[o]!;
      if (ms >= 0) {
        const u = duration[ms]! + tail[ms]!;
        if (u > t) t = u;
      }
      tail[o] = t;
    }
    this.makespan = makespan;
    return true;
  }

  /** Compact copy (mode and machine rank per op) for sharing between threads and elites. */
  encode(out: Int32Array): void {
    const n = this.inst.nOps;
    for (let k = 0; k < this.inst.nMachines; k++) {
      let rank = 0;
      for (let o = this.machFirst[k]!; o >= 0; o = this.machNext[o]!) out[n + o] = rank++;
    }
    out.set(this.mode.subarray(0, n), 0);
  }

  /** Inverse of encode; returns false when the encoding is cyclic. */
  decode(enc: Int32Array): boolean {
    const n = this.inst.nOps;
    const buckets: number[][] = Array.from({ length: this.inst.nMachines }, () => []);
    for (let o = 0; o < n; o++) buckets[this.inst.modeMachine[enc[o]!]!]!.push(o);
    for (const b of buckets) b.sort((a, c) => enc[n + a]! - enc[n + c]!);
    this.load(enc.subarray(0, n), buckets);
    return this.evaluate();
  }
}
