/**
 * A Problem flattened into typed arrays for the decoders, plus the per-resource timeline
 * that places an operation after everything already on the resource while keeping fixed
 * operations (and the setup they need) exactly where they are.
 *
 * Placement is append-only: each resource keeps the end of its last operation, its setup
 * state and a pointer to its next fixed operation. Gaps left before a fixed operation are
 * used when the new operation (plus the fixed op's changed setup) fits in them.
 */
import { CalendarIndex, calendarIndexes } from './calendar.js';
import { successors, topologicalOrder } from './graph.js';
import type { Problem, ScheduledOperation } from './model.js';
import { setupMinutes } from './setup.js';

export interface Compiled {
  problem: Problem;
  n: number;
  R: number;
  cals: CalendarIndex[];
  /** modes in CSR layout */
  modeStart: Int32Array;
  modeRes: Int32Array;
  modeDur: Float64Array;
  cat: Int32Array;
  release: Float64Array;
  due: Float64Array;
  weight: Float64Array;
  succStart: Int32Array;
  succList: Int32Array;
  npred: Int32Array;
  /** longest chain of min durations from the op (inclusive) to the end of the DAG */
  remaining: Float64Array;
  minDur: Float64Array;
  topo: Int32Array;
  /** fixed operations: per resource, sorted by start */
  fixedByRes: Int32Array[];
  isFixed: Uint8Array;
  fixedStart: Float64Array;
  fixedEnd: Float64Array;
  fixedRes: Int32Array;
  /** setup minutes, (C + 1) x (C + 1) with row/column 0 meaning "no category" */
  setupFlat: Float64Array;
  C: number;
}

export function compile(problem: Problem): Compiled {
  const ops = problem.operations;
  const n = ops.length;
  const R = problem.resources.length;
  const topoResult = topologicalOrder(ops);
  if ('cycle' in topoResult) throw new Error(`precedence cycle: ${topoResult.cycle.map((o) => ops[o]!.id).join(' -> ')}`);
  let mcount = 0;
  for (const op of ops) mcount += op.modes.length;
  const modeStart = new Int32Array(n + 1);
  const modeRes = new Int32Array(mcount);
  const modeDur = new Float64Array(mcount);
  const cat = new Int32Array(n);
  const release = new Float64Array(n);
  const due = new Float64Array(n);
  const weight = new Float64Array(n);
  const npred = new Int32Array(n);
  const minDur = new Float64Array(n);
  let k = 0;
  for (let o = 0; o < n; o++) {
    const op = ops[o]!;
    modeStart[o] = k;
    let md = Infinity;
    for (const m of op.modes) {
      modeRes[k] = m.resource;
      modeDur[k] = m.duration;
      md = Math.min(md, m.duration);
      k++;
    }
    minDur[o] = md;
    cat[o] = op.setupCategory;
    const job = problem.jobs[op.job]!;
    release[o] = job.release;
    due[o] = job.due;
    weight[o] = job.weight;
    npred[o] = op.predecessors.length;
  }
  modeStart[n] = k;
  const succ = successors(ops);
  const topo = topoResult.order;
  const remaining = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    const o = topo[i]!;
    let t = 0;
    for (let s = succ.start[o]!; s < succ.start[o + 1]!; s++) t = Math.max(t, remaining[succ.list[s]!]!);
    remaining[o] = minDur[o]! + t;
  }
  const cals = calendarIndexes(problem.resources.map((r) => r.calendar));
  const isFixed = new Uint8Array(n);
  const fixedStart = new Float64Array(n);
  const fixedEnd = new Float64Array(n);
  const fixedRes = new Int32Array(n).fill(-1);
  const lists: number[][] = Array.from({ length: R }, () => []);
  for (const f of problem.fixed) {
    const op = ops[f.operation]!;
    const mode = op.modes.find((m) => m.resource === f.resource);
    if (!mode) throw new Error(`fixed operation ${op.id} is not eligible on resource ${f.resource}`);
    isFixed[f.operation] = 1;
    fixedStart[f.operation] = f.start;
    fixedEnd[f.operation] = cals[f.resource]!.endAfter(f.start, mode.duration);
    fixedRes[f.operation] = f.resource;
    lists[f.resource]!.push(f.operation);
  }
  const fixedByRes = lists.map((l) => Int32Array.from(l.sort((a, b) => fixedStart[a]! - fixedStart[b]!)));
  const C = problem.setupCategories.length;
  const setupFlat = new Float64Array((C + 1) * (C + 1));
  for (let a = 0; a < C; a++) for (let b = 0; b < C; b++) setupFlat[(a + 1) * (C + 1) + b + 1] = setupMinutes(problem.setupTimes, a, b);
  return {
    problem, n, R, cals, modeStart, modeRes, modeDur, cat, release, due, weight,
    succStart: succ.start, succList: succ.list, npred, remaining, minDur, topo,
    fixedByRes, isFixed, fixedStart, fixedEnd, fixedRes, setupFlat, C,
  };
}

/** Mutable state of all resource timelines during one decode. */
export class Timeline {
  readonly freeAt: Float64Array;
  readonly state: Int32Array;
  readonly fixedPtr: Int32Array;
  readonly out: ScheduledOperation[];
  // result of the last tryPlace
  setupStart = 0;
  start = 0;
  end = 0;

  constructor(readonly c: Compiled) {
    this.freeAt = new Float64Array(c.R);
    this.state = Int32Array.from(c.problem.resources, (r) => r.initialSetup);
    this.fixedPtr = new Int32Array(c.R);
    this.out = new Array<ScheduledOperation>(c.n);
    for (let o = 0; o < c.n; o++) {
      if (c.isFixed[o]) this.out[o] = { operation: o, resource: c.fixedRes[o]!, setupStart: c.fixedStart[o]!, start: c.fixedStart[o]!, end: c.fixedEnd[o]! };
    }
  }

  setup(from: number, to: number): number {
    return this.c.setupFlat[(from + 1) * (this.c.C + 1) + to + 1]!;
  }

  /**
   * Earliest placement of o on r (duration d, not before est) after the resource's last
   * operation; sets setupStart/start/end (Infinity when the calendar runs out).
   * With commit, also moves the resource's state and fixes the setups of passed fixed ops.
   */
  place(o: number, r: number, d: number, est: number, commit: boolean): number {
    const c = this.c;
    const cal = c.cals[r]!;
    const fixed = c.fixedByRes[r]!;
    const cat = c.cat[o]!;
    let t = est > this.freeAt[r]! ? est : this.freeAt[r]!;
    let st = this.state[r]!;
    let k = this.fixedPtr[r]!;
    for (;;) {
      const s = this.setup(st, cat);
      const x = cal.setupStart(t, s, d);
      const start = x + s;
      const end = cal.endAfter(start, d);
      this.setupStart = x;
      this.start = start;
      this.end = end;
      if (k >= fixed.length || !Number.isFinite(end)) break;
      const f = fixed[k]!;
      const ns = cat >= 0 ? cat : st;
      const s2 = this.setup(ns, c.cat[f]!);
      const fs = c.fixedStart[f]!;
      if (end <= fs - s2 && (s2 === 0 || (cal.spanInside(fs - s2, fs) && fs - s2 >= c.release[f]!))) break;
      // does not fit before the fixed operation: pass it
      const fs1 = this.setup(st, c.cat[f]!);
      if (commit) this.out[f]!.setupStart = fs - fs1;
      if (c.fixedEnd[f]! > t) t = c.fixedEnd[f]!;
      st = c.cat[f]! >= 0 ? c.cat[f]! : st;
      k++;
    }
    if (commit) {
      this.freeAt[r] = this.end;
      this.state[r] = cat >= 0 ? cat : st;
      this.fixedPtr[r] = k;
      this.out[o] = { operation: o, resource: r, setupStart: this.setupStart, start: this.start, end: this.end };
    }
    return this.end;
  }

  /** Best mode of o (earliest end, then fewest setup minutes); returns its mode index. */
  bestMode(o: number, est: number): number {
    const c = this.c;
    let best = -1;
    let bestEnd = Infinity;
    let bestSetup = Infinity;
    for (let m = c.modeStart[o]!; m < c.modeStart[o + 1]!; m++) {
      const end = this.place(o, c.modeRes[m]!, c.modeDur[m]!, est, false);
      const su = this.start - this.setupStart;
      if (best < 0 || end < bestEnd || (end === bestEnd && su < bestSetup)) {
        best = m;
        bestEnd = end;
        bestSetup = su;
      }
    }
    return best;
  }

  /** Close the timelines: fixed operations never passed get their setup from the final state. */
  finish(): ScheduledOperation[] {
    const c = this.c;
    for (let r = 0; r < c.R; r++) {
      const fixed = c.fixedByRes[r]!;
      let st = this.state[r]!;
      for (let k = this.fixedPtr[r]!; k < fixed.length; k++) {
        const f = fixed[k]!;
        this.out[f]!.setupStart = c.fixedStart[f]! - this.setup(st, c.cat[f]!);
        st = c.cat[f]! >= 0 ? c.cat[f]! : st;
      }
    }
    return this.out;
  }
}
