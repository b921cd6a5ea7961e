/**
 * Extra search threads for the general engine: each helper runs the same single-thread
 * solve with another seed in a worker thread, and the caller keeps the best result. The
 * learning and list searches are seed-sensitive, so on a multi-core machine independent
 * runs are a cheap and robust use of the other cores. Helpers need the compiled worker
 * (dist/search/worker.js); without it (running from sources unbuilt) none are started.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ObjectiveValues, Problem, Schedule } from '../model.js';

export interface HelperJob {
  problem: Problem;
  /** wall-clock deadline (Date.now() scale: the only clock shared between threads) */
  deadline: number;
  maxIterations?: number;
  seed: number;
}

export interface HelperResult {
  schedule: Schedule;
  values: ObjectiveValues;
  iterations: number;
}

export function helperWorkerPath(): string | null {
  const url = new URL('./worker.js', import.meta.url);
  if (url.protocol !== 'file:') return null;
  const direct = fileURLToPath(url);
  if (existsSync(direct)) return direct;
  const dist = direct.replace(/([\\/])src([\\/])search([\\/])worker\.js$/, '$1dist$2search$3worker.js');
  return dist !== direct && existsSync(dist) ? dist : null;
}

/** Start `count` helpers; each promise resolves to its result, or null if it failed or was aborted. */
export function startHelpers(
  job: Omit<HelperJob, 'seed'>,
  seed: number,
  count: number,
  signal?: AbortSignal,
): Array<Promise<HelperResult | null>> {
  const path = helperWorkerPath();
  if (!path || count <= 0) return [];
  return Array.from({ length: count }, (_, i) => {
    const data: HelperJob = { ...job, seed: (seed + 7919 * (i + 1)) >>> 0 };
    return new Promise<HelperResult | null>((resolve) => {
      const worker = new Worker(path, { workerData: data });
      const stop = (): void => {
        void worker.terminate();
        resolve(null);
      };
      signal?.addEventListener('abort', stop, { once: true });
      worker.once('message', (r: HelperResult) => {
        signal?.removeEventListener('abort', stop);
        resolve(r);
        void worker.terminate();
      });
      worker.once('error', () => resolve(null));
      worker.once('exit', () => resolve(null));
    });
  });
}
