/**
 * Parallel portfolio: `threads` worker_threads run independent tabu searches (different seeds
 * and parameters) that share the best solution through a SharedArrayBuffer board. The
 * coordinator forwards progress, turns the abort signal into the board's stop flag, and
 * returns the best final solution. With threads <= 1, or when the compiled worker script is
 * missing or workers fail, it falls back to one in-thread search.
 */
import { Worker } from 'node:worker_threads';
import { solveMakespan, toClassicInstance } from '../classic/index.js';
import { toSchedule } from '../classic/convert.js';
import { Solution } from '../classic/solution.js';
import type { Problem, SearchOptions, SearchResult } from '../model.js';
import { Board } from './board.js';
import { workerSeed } from './params.js';
import type { WorkerInput, WorkerMessage } from './protocol.js';
import { resolveWorkerPath } from './worker-path.js';

/** Extra time a worker gets to report after the deadline before it is terminated. */
const GRACE_MS = 3000;

export async function solveParallel(
  problem: Problem,
  options: SearchOptions & { threads: number },
): Promise<SearchResult> {
  const threads = Math.floor(options.threads);
  const script = threads > 1 ? resolveWorkerPath() : null;
  const inst = toClassicInstance(problem);
  if (script === null) return solveMakespan(problem, options);

  const t0 = performance.now();
  const board = Board.create(inst.nOps);
  const deadline = Date.now() + options.timeLimitMs;
  const iterations = new Array<number>(threads).fill(0);
  let bestSeen = Infinity;
  let timeToBest = 0;
  const onAbort = (): void => board.stop();
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted) board.stop();

  const results = await new Promise<Array<WorkerMessage & { type: 'done' }>>((resolve) => {
    const done: Array<WorkerMessage & { type: 'done' }> = [];
    let pending = threads;
    const workers: Worker[] = [];
    const finish = (): void => {
      if (--pending === 0) {
        clearTimeout(killer);
        resolve(done);
      }
    };
    // setTimeout fires at once for delays beyond 2^31-1 ms, so only arm it for sane limits
    const killAfter = options.timeLimitMs + GRACE_MS;
    const killer =
      killAfter < 0x7fffffff
        ? setTimeout(() => {
            for (const w of workers) void w.terminate();
          }, killAfter)
        : undefined;
    for (let i = 0; i < threads; i++) {
      const input: WorkerInput = {
        problem,
        board: board.buffer,
        index: i,
        seed: workerSeed(options.seed ?? 1, i),
        timeLimitMs: options.timeLimitMs,
        maxIterations: options.maxIterations,
        deadline,
        initial: options.initial,
      };
      let settled = false;
      const settle = (): void => {
        if (!settled) {
          settled = true;
          finish();
        }
      };
      try {
        const worker = new Worker(script, { workerData: input });
        workers.push(worker);
        worker.on('message', (msg: WorkerMessage) => {
          if (msg.type === 'progress') {
            iterations[msg.index] = msg.iterations;
            if (msg.bestObjective < bestSeen) {
              bestSeen = msg.bestObjective;
              timeToBest = performance.now() - t0;
              const total = iterations.reduce((a, b) => a + b, 0);
              options.onProgress?.({ elapsedMs: timeToBest, bestObjective: bestSeen, iterations: total });
            }
          } else if (msg.type === 'done') {
            iterations[msg.index] = msg.iterations;
            done.push(msg);
            settle();
          } else settle();
        });
        worker.on('error', settle);
        worker.on('exit', settle);
      } catch {
        settle();
      }
    }
  });
  options.signal?.removeEventListener('abort', onAbort);

  let best: (typeof results)[number] | undefined;
  for (const r of results) if (best === undefined || r.makespan < best.makespan) best = r;
  const sol = new Solution(inst);
  if (best === undefined || !sol.decode(best.code)) {
    // every worker failed: search here with what time is left (at least a constructive)
    const left = Math.max(0, options.timeLimitMs - (performance.now() - t0));
    return solveMakespan(problem, { ...options, timeLimitMs: left });
  }
  return {
    schedule: toSchedule(sol),
    objective: sol.makespan,
    iterations: iterations.reduce((a, b) => a + b, 0),
    timeToBestMs: timeToBest,
    elapsedMs: performance.now() - t0,
  };
}
