/** Small hand-built problems shared by tests. */
import type { Problem } from '../model.js';

/**
 * Two resources: L (calendar [0,100) [200,300) [400,1000)) with categories A/B and setup
 * default 10; M always open. Job 0: op0 on L (30, cat A) -> op1 on M (20).
 * Job 1: op2 on L (40, cat B), release 5, due 50, weight 2.
 */
export function tinyProblem(): Problem {
  return {
    objective: 'weighted_tardiness',
    resources: [
      {
        id: 'L',
        calendar: [
          [0, 100],
          [200, 300],
          [400, 1000],
        ],
        initialSetup: 0,
      },
      { id: 'M', calendar: null, initialSetup: -1 },
    ],
    jobs: [
      { id: 'J0', release: 0, due: 100, weight: 1, operations: [0, 1] },
      { id: 'J1', release: 5, due: 50, weight: 2, operations: [2] },
    ],
    operations: [
      { id: 'op0', job: 0, modes: [{ resource: 0, duration: 30 }], setupCategory: 0, predecessors: [] },
      { id: 'op1', job: 0, modes: [{ resource: 1, duration: 20 }], setupCategory: -1, predecessors: [0] },
      { id: 'op2', job: 1, modes: [{ resource: 0, duration: 40 }], setupCategory: 1, predecessors: [] },
    ],
    setupCategories: ['A', 'B'],
    setupTimes: { default: 10, matrix: null },
    fixed: [],
  };
}
