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
      case 1: // shorter memory, earlier restarts
        return { ...p, tenureMin: Math.max(2, Math.round(p.tenureMin * 0.8)), tenureMax: Math.round(p.tenureMax * 0.9), stallLimit: Math.round(p.stallLimit * 0.6) };
      case 2: // longer memory, longer runs
        return { ...p, tenureMin: Math.round(p.tenureMin * 1.2), tenureMax: Math.round(p.tenureMax * 1.3), stallLimit: p.stallLimit * 2 };
      default: // stronger kicks
        return { ...p, perturbMoves: p.perturbMoves * 2 };
    }
  };
}
