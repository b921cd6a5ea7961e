/**
 * A Problem flattened into typed arrays for the decoders (see timeline.ts for placement).
 * Built once per solve so the hot loops never touch the object graph or hash strings.
 */
import { CalendarIndex, calendarIndexes } from './calendar.js';
import { successors, topologicalOrder } from './graph.js';
import type { Problem } from './model.js';
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
  if ('cycle' in topoResult)
    throw new Error(`precedence cycle: ${topoResult.cycle.map((o) => ops[o]!.id).join(' -> ')}`);
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
  for (let a = 0; a < C; a++)
    for (let b = 0; b < C; b++) setupFlat[(a + 1) * (C + 1) + b + 1] = setupMinutes(problem.setupTimes, a, b);
  return {
    problem,
    n,
    R,
    cals,
    modeStart,
    modeRes,
    modeDur,
    cat,
    release,
    due,
    weight,
    succStart: succ.start,
    succList: succ.list,
    npred,
    remaining,
    minDur,
    topo,
    fixedByRes,
    isFixed,
    fixedStart,
    fixedEnd,
    fixedRes,
    setupFlat,
    C,
  };
}
