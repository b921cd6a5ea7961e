/**
 * Lower bounds, used to report the gap of a schedule. Setups are ignored (a valid bound
 * only gets weaker). Calendars are respected: d working minutes on a resource end no
 * earlier than the calendar allows, and always take at least d wall-clock minutes, which
 * makes tails in plain minutes valid even with calendars.
 */
import { CalendarIndex, calendarIndexes } from './calendar.js';
import type { Problem } from './model.js';
import { successors, topologicalOrder } from './graph.js';

interface Heads {
  /** earliest completion of each operation, ignoring resource conflicts */
  ect: Float64Array;
  /** earliest start of each operation */
  head: Float64Array;
  /** minimal wall-clock minutes after the operation ends until its chain of successors is done */
  tail: Float64Array;
  order: Int32Array;
}

function heads(problem: Problem, cals: CalendarIndex[]): Heads | null {
  const ops = problem.operations;
  const topo = topologicalOrder(ops);
  if (!('order' in topo)) return null;
  const { order } = topo;
  const n = ops.length;
  const head = new Float64Array(n);
  const ect = new Float64Array(n);
  const tail = new Float64Array(n);
  const minDur = new Float64Array(n);
  const fixedAt = new Map(problem.fixed.map((f) => [f.operation, f]));
  for (const o of order) {
    const op = ops[o]!;
    let h = problem.jobs[op.job]?.release ?? 0;
    for (const p of op.predecessors) h = Math.max(h, ect[p]!);
    const f = fixedAt.get(o);
    let best = Infinity;
    let md = Infinity;
    for (const m of op.modes) {
      if (f && m.resource !== f.resource) continue;
      md = Math.min(md, m.duration);
      const cal = cals[m.resource]!;
      const s = f ? f.start : h;
      // a zero-duration operation may sit outside working time (it consumes none)
      best = Math.min(best, m.duration > 0 ? cal.endAfter(cal.nextWorking(s), m.duration) : s);
    }
    head[o] = f ? f.start : h;
    ect[o] = best;
    minDur[o] = md;
  }
  const succ = successors(ops);
  for (let i = n - 1; i >= 0; i--) {
    const o = order[i]!;
    let t = 0;
    for (let k = succ.start[o]!; k < succ.start[o + 1]!; k++) {
      const s = succ.list[k]!;
      t = Math.max(t, minDur[s]! + tail[s]!);
    }
    tail[o] = t;
  }
  return { ect, head, tail, order };
}

/** Lower bound on the makespan (integer minutes); 0 for an empty problem. */
export function lowerBound(problem: Problem): number {
  const cals = calendarIndexes(problem.resources.map((r) => r.calendar));
  const h = heads(problem, cals);
  if (!h) return 0;
  const ops = problem.operations;
  let lb = 0;
  for (let o = 0; o < ops.length; o++) lb = Math.max(lb, h.ect[o]! + h.tail[o]!);

  // machine bound over operations that can run on one resource only
  const R = problem.resources.length;
  const load = new Float64Array(R);
  const minHead = new Float64Array(R).fill(Infinity);
  const minTail = new Float64Array(R).fill(Infinity);
  const fixedRes = new Map(problem.fixed.map((f) => [f.operation, f.resource]));
  let totalMin = 0;
  const used = new Uint8Array(R);
  for (let o = 0; o < ops.length; o++) {
    const op = ops[o]!;
    const fr = fixedRes.get(o);
    const modes = fr === undefined ? op.modes : op.modes.filter((m) => m.resource === fr);
    let md = Infinity;
    for (const m of modes) {
      md = Math.min(md, m.duration);
      used[m.resource] = 1;
    }
    if (md !== Infinity) totalMin += md;
    if (modes.length === 1) {
      const r = modes[0]!.resource;
      load[r]! += modes[0]!.duration;
      minHead[r] = Math.min(minHead[r]!, h.head[o]!);
      minTail[r] = Math.min(minTail[r]!, h.tail[o]!);
    }
  }
  for (let r = 0; r < R; r++) {
    if (load[r] === 0) continue;
    const cal = cals[r]!;
    const end = cal.instantAfterWork(cal.workBefore(minHead[r]!) + load[r]!);
    lb = Math.max(lb, end + minTail[r]!);
  }

  // flexible bound: all work shared over the resources that appear in any mode
  const usedCals: CalendarIndex[] = [];
  for (let r = 0; r < R; r++) if (used[r]) usedCals.push(cals[r]!);
  if (usedCals.length > 0 && totalMin > 0) {
    const workBy = (t: number): number => usedCals.reduce((s, c) => s + c.workBefore(t), 0);
    let lo = 0;
    let hi = 1;
    while (workBy(hi) < totalMin && hi < 2 ** 40) hi *= 2;
    if (workBy(hi) >= totalMin) {
      while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (workBy(mid) >= totalMin) hi = mid;
        else lo = mid + 1;
      }
      lb = Math.max(lb, lo);
    }
  }
  return Number.isFinite(lb) ? Math.ceil(lb) : 0;
}

/** Lower bound on weighted tardiness: each job's earliest possible end against its due date. */
export function tardinessLowerBound(problem: Problem): number {
  const cals = calendarIndexes(problem.resources.map((r) => r.calendar));
  const h = heads(problem, cals);
  if (!h) return 0;
  let total = 0;
  for (const job of problem.jobs) {
    let end = -Infinity;
    for (const o of job.operations) end = Math.max(end, h.ect[o]!);
    if (Number.isFinite(end) && end > job.due) total += job.weight * (end - job.due);
  }
  return total;
}
