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
  /** position of each op in `order` */
  readonly pos: Int32Array;
  /** last operation of every job: the makespan is the latest of their ends */
  readonly jobLast: Int32Array;
  private readonly indeg: Int32Array;
  private readonly stamp: Int32Array;
  private stampId = 0;
  private readonly backup: Int32Array;
  private readonly dirty: Int32Array;
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
    this.pos = new Int32Array(n);
    this.stamp = new Int32Array(n);
    this.backup = new Int32Array(n);
    this.dirty = new Int32Array(n);
    const last: number[] = [];
    for (let o = 0; o < n; o++) if (inst.jobNext[o]! < 0) last.push(o);
    this.jobLast = Int32Array.from(last);
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
    this.pos.set(o.pos);
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
    for (let qi = 0; qi < nOps; qi++) this.pos[order[qi]!] = qi;
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

  /**
   * Incremental timing after a local change whose touched operations all lie in
   * order[lo..hi] (positions from before the change). Only that window is re-sorted
   * topologically (arcs from outside it still point forwards); heads are recomputed from lo
   * onwards and tails from hi backwards. Returns false on a cycle, leaving order, heads and
   * tails as they were so the caller can undo its change.
   */
  update(lo: number, hi: number): boolean {
    const { order, pos, stamp, backup, indeg, head, tail, duration, machPrev, machNext } = this;
    const { nOps, jobPrev, jobNext, release } = this.inst;
    const id = ++this.stampId;
    const len = hi - lo + 1;
    for (let i = 0; i < len; i++) {
      const o = order[lo + i]!;
      backup[i] = o;
      stamp[o] = id;
    }
    let qEnd = lo;
    for (let i = 0; i < len; i++) {
      const o = backup[i]!;
      const jp = jobPrev[o]!;
      const mp = machPrev[o]!;
      const d = (jp >= 0 && stamp[jp] === id ? 1 : 0) + (mp >= 0 && stamp[mp] === id ? 1 : 0);
      indeg[o] = d;
      if (d === 0) order[qEnd++] = o;
    }
    for (let qi = lo; qi < qEnd; qi++) {
      const o = order[qi]!;
      const js = jobNext[o]!;
      if (js >= 0 && stamp[js] === id) {
        const d = indeg[js]! - 1;
        indeg[js] = d;
        if (d === 0) order[qEnd++] = js;
      }
      const ms = machNext[o]!;
      if (ms >= 0 && stamp[ms] === id) {
        const d = indeg[ms]! - 1;
        indeg[ms] = d;
        if (d === 0) order[qEnd++] = ms;
      }
    }
    if (qEnd <= hi) {
      for (let i = 0; i < len; i++) order[lo + i] = backup[i]!;
      return false;
    }
    for (let i = lo; i <= hi; i++) pos[order[i]!] = i;
    // Heads: the window is always recomputed; beyond it only ops whose predecessor's head
    // changed (marked with `mark`), and the pass stops once no marked op is pending.
    const dirty = this.dirty;
    let mark = ++this.stampId;
    let pending = 0;
    for (let i = lo; i < nOps; i++) {
      const o = order[i]!;
      if (i > hi) {
        if (pending === 0) break;
        if (dirty[o] !== mark) continue;
        pending--;
      }
      let h = release[o]!;
      const jp = jobPrev[o]!;
      if (jp >= 0) h = Math.max(h, head[jp]! + duration[jp]!);
      const mp = machPrev[o]!;
      if (mp >= 0) h = Math.max(h, head[mp]! + duration[mp]!);
      // window ops always propagate: a reassigned op may keep its head but change duration
      if (h === head[o] && i > hi) continue;
      head[o] = h;
      const js = jobNext[o]!;
      if (js >= 0 && pos[js]! > hi && dirty[js] !== mark) {
        dirty[js] = mark;
        pending++;
      }
      const ms = machNext[o]!;
      if (ms >= 0 && pos[ms]! > hi && dirty[ms] !== mark) {
        dirty[ms] = mark;
        pending++;
      }
    }
    mark = ++this.stampId;
    pending = 0;
    for (let i = hi; i >= 0; i--) {
      const o = order[i]!;
      if (i < lo) {
        if (pending === 0) break;
        if (dirty[o] !== mark) continue;
        pending--;
      }
      let t = 0;
      const js = jobNext[o]!;
      if (js >= 0) t = duration[js]! + tail[js]!;
      const ms = machNext[o]!;
      if (ms >= 0) t = Math.max(t, duration[ms]! + tail[ms]!);
      if (t === tail[o] && i < lo) continue;
      tail[o] = t;
      const jp = jobPrev[o]!;
      if (jp >= 0 && pos[jp]! < lo && dirty[jp] !== mark) {
        dirty[jp] = mark;
        pending++;
      }
      const mp = machPrev[o]!;
      if (mp >= 0 && pos[mp]! < lo && dirty[mp] !== mark) {
        dirty[mp] = mark;
        pending++;
      }
    }
    let makespan = 0;
    const last = this.jobLast;
    for (let i = 0; i < last.length; i++) {
      const o = last[i]!;
      makespan = Math.max(makespan, head[o]! + duration[o]!);
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
