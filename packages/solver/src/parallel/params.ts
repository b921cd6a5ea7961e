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
      case 1: // shorter memory: on ft10-like instances a ~0.6x tenure finds optima markedly faster
        return { ...p, tenureMin: Math.max(2, Math.round(p.tenureMin * 0.55)), tenureMax: Math.max(3, Math.round(p.tenureMax * 0.65)) };
      case 2: // longer memory, longer runs
        return { ...p, tenureMin: Math.round(p.tenureMin * 1.2), tenureMax: Math.round(p.tenureMax * 1.3), stallLimit: p.stallLimit * 2 };
      default: // stronger kicks
        return { ...p, perturbMoves: p.perturbMoves * 2 };
    }
  };
}
