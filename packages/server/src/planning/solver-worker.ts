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
}

const { problem, timeLimitMs, seed } = workerData as Input;
const abort = new AbortController();
parentPort!.on('message', (msg: unknown) => {
  if (msg === 'cancel') abort.abort();
});

try {
  const result = await solve(problem, {
    timeLimitMs,
    seed,
    threads: 1,
    signal: abort.signal,
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
      cancelled: abort.signal.aborted,
    },
  });
} catch (err) {
  parentPort!.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
}
