import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ObjectiveValues, Problem, Schedule } from '@kerf/solver';

export interface RunOutcome {
  schedule: Schedule;
  values: ObjectiveValues;
  valid: boolean;
  violations: Array<{ kind: string; operation?: number; message: string }>;
  stats: Record<string, unknown>;
}

export interface RunHandle {
  result: Promise<RunOutcome>;
  cancel: () => void;
}

/** The compiled worker; tests run from src/ but the worker must be JavaScript, so use dist/. */
function workerFile(): URL {
  const here = new URL('./solver-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const dist = fileURLToPath(here).replace(/\/src\/planning\//, '/dist/planning/');
  if (!existsSync(dist)) throw new Error(`solver worker not built (${dist}); run npm run build`);
  return new URL(`file://${dist}`);
}

export function runSolverInWorker(
  problem: Problem,
  options: { timeLimitMs: number; seed: number; onProgress: (p: { elapsedMs: number; bestObjective: number }) => void },
): RunHandle {
  const cancelFlag = new SharedArrayBuffer(4);
  const worker = new Worker(workerFile(), {
    workerData: { problem, timeLimitMs: options.timeLimitMs, seed: options.seed, cancelFlag },
  });
  const result = new Promise<RunOutcome>((resolve, reject) => {
    worker.on('message', (msg: { type: string } & Record<string, unknown>) => {
      if (msg.type === 'progress')
        options.onProgress({ elapsedMs: Number(msg.elapsedMs), bestObjective: Number(msg.bestObjective) });
      else if (msg.type === 'result') resolve(msg as unknown as RunOutcome);
      else if (msg.type === 'error') reject(new Error(String(msg.message)));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`solver worker exited with code ${code}`));
    });
  }).finally(() => void worker.terminate());
  const cancel = () => {
    Atomics.store(new Int32Array(cancelFlag), 0, 1);
    worker.postMessage('cancel');
  };
  return { result, cancel };
}
