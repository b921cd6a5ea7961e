/**
 * Compact, typed-array view of a classic (flexible) job-shop problem. The tabu search works
 * only on this: job chains, eligible machines and durations, no calendars, setups or frozen work.
 */
import type { Problem } from '../model.js';

export interface ClassicInstance {
  nOps: number;
  nMachines: number;
  /** previous / next operation of the same job, -1 at the ends */
  jobPrev: Int32Array;
  jobNext: Int32Array;
  /** earliest start of each operation (the job's release for first operations, else 0) */
  release: Int32Array;
  /** modes of op o are modeStart[o] .. modeStart[o+1]-1 */
  modeStart: Int32Array;
  modeMachine: Int32Array;
  modeDuration: Int32Array;
  /** true when some operation has more than one eligible machine */
  flexible: boolean;
}

/** Throws a clear error when the problem is outside what the classic search handles. */
export function toClassicInstance(problem: Problem): ClassicInstance {
  if (problem.objective !== 'makespan') {
    throw new Error(`classic solver: objective must be makespan, got ${problem.objective}`);
  }
  if (problem.fixed.length > 0) throw new Error('classic solver: fixed (frozen) operations are not supported');
  if (problem.resources.some((r) => r.calendar !== null)) {
    throw new Error('classic solver: resource calendars are not supported');
  }
  const nOps = problem.operations.length;
  const nMachines = problem.resources.length;
  const jobPrev = new Int32Array(nOps).fill(-1);
  const jobNext = new Int32Array(nOps).fill(-1);
  const release = new Int32Array(nOps);
  const seen = new Uint8Array(nOps);
  problem.jobs.forEach((job, j) => {
    job.operations.forEach((o, k) => {
      const op = problem.operations[o];
      if (op === undefined || op.job !== j || seen[o]) {
        throw new Error(`classic solver: job ${job.id} lists operation ${o} inconsistently`);
      }
      seen[o] = 1;
      const expected = k === 0 ? -1 : job.operations[k - 1]!;
      const preds = op.predecessors;
      const chain = expected < 0 ? preds.length === 0 : preds.length === 1 && preds[0] === expected;
      if (!chain) {
        // General DAG precedence would need a multi-predecessor graph; the core search handles that.
        throw new Error(
          `classic solver: operation ${op.id} predecessors must be exactly the previous operation of its job`,
        );
      }
      if (k === 0) release[o] = job.release;
      else {
        jobPrev[o] = expected;
        jobNext[expected] = o;
      }
    });
  });
  if (seen.some((s) => s === 0)) throw new Error('classic solver: every operation must belong to a job');
  const modeStart = new Int32Array(nOps + 1);
  let total = 0;
  for (let o = 0; o < nOps; o++) {
    modeStart[o] = total;
    total += problem.operations[o]!.modes.length;
  }
  modeStart[nOps] = total;
  const modeMachine = new Int32Array(total);
  const modeDuration = new Int32Array(total);
  let flexible = false;
  const setupFree = problem.setupTimes.default === 0 && problem.setupTimes.matrix === null;
  problem.operations.forEach((op, o) => {
    if (op.modes.length === 0) throw new Error(`classic solver: operation ${op.id} has no eligible resource`);
    if (op.setupCategory >= 0 && !setupFree) throw new Error('classic solver: setup times are not supported');
    if (op.modes.length > 1) flexible = true;
    op.modes.forEach((mode, i) => {
      if (mode.resource < 0 || mode.resource >= nMachines) {
        throw new Error(`classic solver: operation ${op.id} uses unknown resource ${mode.resource}`);
      }
      modeMachine[modeStart[o]! + i] = mode.resource;
      modeDuration[modeStart[o]! + i] = mode.duration;
    });
  });
  return { nOps, nMachines, jobPrev, jobNext, release, modeStart, modeMachine, modeDuration, flexible };
}
