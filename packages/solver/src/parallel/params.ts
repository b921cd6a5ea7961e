/**
 * Portfolio diversity: each worker gets its own seed and a slightly different tabu
 * configuration, so the threads explore different regions instead of duplicating work.
 */
import type { TabuParams } from '../classic/index.js';

export function workerSeed(base: number, index: number): number {
  return (base + Math.imul(index, 0x9e3779b1)) >>> 0;
}

export function workerTune(index: number): (p: TabuParams) => TabuParams {
  return (p) => {
    switch (index % 4) {
      case 0:
        return p;
      case 1: // N5 with a short tenure: much faster to optima on square instances (ft10 6/8
        // seeds within 150k iterations vs 1-2/8 for N7), weaker on large ones, hence one thread
        return {
          ...p,
          n5: true,
          tenureMin: Math.max(2, Math.round(p.tenureMin * 0.55)),
          tenureMax: Math.max(3, Math.round(p.tenureMax * 0.65)),
        };
      case 2: // N7 with a shorter memory
        return {
          ...p,
          tenureMin: Math.max(2, Math.round(p.tenureMin * 0.55)),
          tenureMax: Math.max(3, Math.round(p.tenureMax * 0.65)),
        };
      default: // stronger kicks
        return { ...p, perturbMoves: p.perturbMoves * 2 };
    }
  };
}
