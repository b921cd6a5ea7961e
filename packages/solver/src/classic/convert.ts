/** Conversions between the classic Solution and the shared Schedule type, plus a quick bound. */
import type { Schedule } from '../model.js';
import type { ClassicInstance } from './instance.js';
import { Solution } from './solution.js';

export function toSchedule(sol: Solution): Schedule {
  const operations = [];
  for (let o = 0; o < sol.inst.nOps; o++) {
    const start = sol.head[o]!;
    operations.push({
      operation: o,
      resource: sol.machine[o]!,
      setupStart: start,
      start,
      end: start + sol.duration[o]!,
    });
  }
  return { operations };
}

/**
 * Reads a starting schedule: resources give the modes, start times the machine order.
 * Returns null when the schedule does not fit the instance or its order is cyclic.
 */
export function fromSchedule(inst: ClassicInstance, schedule: Schedule): Solution | null {
  const n = inst.nOps;
  if (schedule.operations.length !== n) return null;
  const modes = new Int32Array(n);
  const seqs: number[][] = Array.from({ length: inst.nMachines }, () => []);
  for (let o = 0; o < n; o++) {
    const s = schedule.operations[o];
    if (s === undefined || s.operation !== o) return null;
    let mode = -1;
    for (let e = inst.modeStart[o]!; e < inst.modeStart[o + 1]!; e++) if (inst.modeMachine[e] === s.resource) mode = e;
    if (mode < 0) return null;
    modes[o] = mode;
    seqs[s.resource]!.push(o);
  }
  const start = (o: number): number => schedule.operations[o]!.start;
  const end = (o: number): number => schedule.operations[o]!.end;
  for (const seq of seqs) seq.sort((a, b) => start(a) - start(b) || end(a) - end(b) || a - b);
  const sol = new Solution(inst);
  sol.load(modes, seqs);
  return sol.evaluate() ? sol : null;
}

/** Max of job chain lengths (shortest modes) and loads of machines that ops cannot avoid. */
export function quickLowerBound(inst: ClassicInstance): number {
  const n = inst.nOps;
  const load = new Float64Array(inst.nMachines);
  let bound = 0;
  let total = 0;
  for (let o = 0; o < n; o++) {
    let best = Infinity;
    for (let e = inst.modeStart[o]!; e < inst.modeStart[o + 1]!; e++) best = Math.min(best, inst.modeDuration[e]!);
    total += best;
    if (inst.modeStart[o + 1]! - inst.modeStart[o]! === 1) load[inst.modeMachine[inst.modeStart[o]!]!]! += best;
    if (inst.jobPrev[o]! < 0) {
      let t = inst.release[o]!;
      for (let x = o; x >= 0; x = inst.jobNext[x]!) {
        let d = Infinity;
        for (let e = inst.modeStart[x]!; e < inst.modeStart[x + 1]!; e++) d = Math.min(d, inst.modeDuration[e]!);
        t += d;
      }
      bound = Math.max(bound, t);
    }
  }
  for (let k = 0; k < inst.nMachines; k++) bound = Math.max(bound, load[k]!);
  return Math.max(bound, Math.ceil(total / Math.max(1, inst.nMachines)));
}
