/**
 * Reader for the OR-Library job-shop layout (ft, la, abz, orb, ta files):
 * line 1 `n m`, then n lines of m `machine duration` pairs with 0-based machines.
 */
import type { Operation, Problem } from '../model.js';
import { integerLines } from './tokens.js';

const FORMAT = 'jssp';

export function readJssp(text: string): Problem {
  const lines = integerLines(text, FORMAT);
  const header = lines[0]!;
  if (header.values.length !== 2) {
    throw new Error(`${FORMAT}: line ${header.line}: header must be "n m", found ${header.values.length} numbers`);
  }
  const [n, m] = header.values as [number, number];
  if (n < 1 || m < 1) throw new Error(`${FORMAT}: line ${header.line}: n and m must be positive`);
  if (lines.length - 1 !== n) {
    throw new Error(
      `${FORMAT}: line ${header.line}: header declares ${n} jobs but ${lines.length - 1} job lines follow`,
    );
  }
  const operations: Operation[] = [];
  const jobs: Problem['jobs'] = [];
  for (let j = 0; j < n; j++) {
    const { line, values } = lines[j + 1]!;
    if (values.length !== 2 * m) {
      throw new Error(
        `${FORMAT}: line ${line}: job ${j} needs ${2 * m} numbers (${m} machine/duration pairs), found ${values.length}`,
      );
    }
    const ops: number[] = [];
    for (let k = 0; k < m; k++) {
      const machine = values[2 * k]!;
      const duration = values[2 * k + 1]!;
      if (machine < 0 || machine >= m) {
        throw new Error(`${FORMAT}: line ${line}: machine ${machine} out of range 0..${m - 1}`);
      }
      if (duration < 0) throw new Error(`${FORMAT}: line ${line}: negative duration ${duration}`);
      const index = operations.length;
      operations.push({
        id: `J${j}/${k}`,
        job: j,
        modes: [{ resource: machine, duration }],
        setupCategory: -1,
        predecessors: k === 0 ? [] : [index - 1],
      });
      ops.push(index);
    }
    jobs.push({ id: `J${j}`, release: 0, due: 0, weight: 1, operations: ops });
  }
  return {
    objective: 'makespan',
    resources: Array.from({ length: m }, (_, i) => ({ id: `M${i}`, calendar: null, initialSetup: -1 })),
    jobs,
    operations,
    setupCategories: [],
    setupTimes: { default: 0, matrix: null },
    fixed: [],
  };
}
