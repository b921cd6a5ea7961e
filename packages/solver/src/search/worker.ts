/** Worker-thread entry of a helper search (see helpers.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { solve } from '../solve.js';
import type { HelperJob, HelperResult } from './helpers.js';

const job = workerData as HelperJob;
const timeLimitMs = Math.max(1, job.deadline - Date.now());
solve(job.problem, {
  timeLimitMs,
  seed: job.seed,
  threads: 1,
  ...(job.maxIterations !== undefined ? { maxIterations: job.maxIterations } : {}),
}).then(
  (r) => {
    const out: HelperResult = { schedule: r.schedule, values: r.values, iterations: r.iterations };
    parentPort?.postMessage(out);
  },
  () => process.exit(1),
);
