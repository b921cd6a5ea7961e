/**
 * Worker-thread entry of the portfolio: runs one classic tabu search with its own seed and
 * parameters, publishing improvements to the shared board and restarting from the board's
 * best when it stagnates. Progress goes to the coordinator by message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runClassic, toClassicInstance } from '../classic/index.js';
import { Board } from './board.js';
import { workerTune } from './params.js';
import type { WorkerInput, WorkerMessage } from './protocol.js';

function main(input: WorkerInput): void {
  const port = parentPort;
  if (port === null) return;
  const send = (msg: WorkerMessage): void => port.postMessage(msg);
  try {
    const inst = toClassicInstance(input.problem);
    const board = Board.attach(input.board, inst.nOps);
    const code = new Int32Array(2 * inst.nOps);
    const shared = new Int32Array(2 * inst.nOps);
    const run = runClassic(
      inst,
      {
        timeLimitMs: input.timeLimitMs,
        maxIterations: input.maxIterations,
        seed: input.seed,
        initial: input.initial,
        onProgress: (e) =>
          send({ type: 'progress', index: input.index, bestObjective: e.bestObjective, iterations: e.iterations }),
      },
      {
        shouldStop: () => board.stopped || Date.now() >= input.deadline,
        publish: (sol) => {
          sol.encode(code);
          board.offer(sol.makespan, code);
        },
        fetchShared: (than) => (board.fetch(than, shared) ? shared : null),
      },
      workerTune(input.index),
    );
    run.best.encode(code);
    send({ type: 'done', index: input.index, code, makespan: run.best.makespan, iterations: run.iterations });
  } catch (err) {
    send({ type: 'error', index: input.index, message: err instanceof Error ? err.message : String(err) });
  }
}

main(workerData as WorkerInput);
