import { parentPort, workerData } from 'node:worker_threads';
import { solve, validate, type Problem } from '@kerf/solver';

/**
 * Runs one plan's search off the API's event loop. Messages out: progress points, then one
 * result (schedule, solver statistics, the validator's verdict). Message in: 'cancel'.
 */
interface Input {
  problem: Problem;
  timeLimitMs: number;
  seed: number;
  /** Int32 set to 1 by the runner to cancel */
  cancelFlag: SharedArrayBuffer;
}

const { problem, timeLimitMs, seed, cancelFlag } = workerData as Input;
const abort = new AbortController();
parentPort!.on('message', (msg: unknown) => {
  if (msg === 'cancel') abort.abort();
});
// The search runs without yielding, so a 'cancel' message would wait for its time limit (and
// hold the plan-run queue). The solver polls signal.aborted; this one also reads the shared flag.
const flag = new Int32Array(cancelFlag);
const signal = new Proxy(abort.signal, {
  get(target, prop) {
    if (prop === 'aborted') {
      if (!target.aborted && Atomics.load(flag, 0) === 1) abort.abort();
      return target.aborted;
    }
    const value: unknown = Reflect.get(target, prop, target);
    return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
  },
});

try {
  const result = await solve(problem, {
    timeLimitMs,
    seed,
    threads: 1,
    signal,
    onProgress: (p) =>
      parentPort!.postMessage({ type: 'progress', elapsedMs: p.elapsedMs, bestObjective: p.bestObjective }),
  });
  // The search reports improvements only; always report where it ended too.
  parentPort!.postMessage({ type: 'progress', elapsedMs: result.elapsedMs, bestObjective: result.objective });
  const verdict = validate(problem, result.schedule);
  parentPort!.postMessage({
    type: 'result',
    schedule: result.schedule,
    values: verdict.objective,
    valid: verdict.valid,
    violations: verdict.violations.slice(0, 200),
    stats: {
      engine: result.engine,
      startRule: result.startRule,
      iterations: result.iterations,
      elapsedMs: result.elapsedMs,
      timeToFirstMs: result.timeToFirstMs,
      timeToBestMs: result.timeToBestMs,
      lowerBound: result.lowerBound,
      gap: result.gap,
      cancelled: signal.aborted,
    },
  });
} catch (err) {
  parentPort!.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
}
