/** Messages between the portfolio coordinator and its workers (structured-clone safe). */
import type { Problem, Schedule } from '../model.js';

export interface WorkerInput {
  problem: Problem;
  board: SharedArrayBuffer;
  index: number;
  seed: number;
  timeLimitMs: number;
  maxIterations: number | undefined;
  /** Date.now() deadline shared by all threads */
  deadline: number;
  initial: Schedule | undefined;
}

export type WorkerMessage =
  | { type: 'progress'; index: number; bestObjective: number; iterations: number }
  | { type: 'done'; index: number; code: Int32Array; makespan: number; iterations: number }
  | { type: 'error'; index: number; message: string };
