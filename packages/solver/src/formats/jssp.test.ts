import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readJssp } from './jssp.js';

const BENCH =
  process.env.KERF_BENCHMARKS_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-data');

describe('readJssp', () => {
  it('parses ft06 into job chains', () => {
    const p = readJssp(readFileSync(path.join(BENCH, 'jssp/ft06.txt'), 'utf8'));
    expect(p.jobs).toHaveLength(6);
    expect(p.resources.map((r) => r.id)).toEqual(['M0', 'M1', 'M2', 'M3', 'M4', 'M5']);
    expect(p.operations).toHaveLength(36);
    // first job: 2 1 0 3 1 6 3 7 5 3 4 6
    expect(p.operations.slice(0, 6).map((o) => [o.modes[0]!.resource, o.modes[0]!.duration])).toEqual([
      [2, 1],
      [0, 3],
      [1, 6],
      [3, 7],
      [5, 3],
      [4, 6],
    ]);
    expect(p.operations[0]!.id).toBe('J0/0');
    expect(p.operations[0]!.predecessors).toEqual([]);
    expect(p.operations[7]!.predecessors).toEqual([6]);
    expect(p.jobs[1]!).toMatchObject({ id: 'J1', release: 0, due: 0, weight: 1, operations: [6, 7, 8, 9, 10, 11] });
    expect(p.objective).toBe('makespan');
    expect(p.fixed).toEqual([]);
  });

  it('skips comments and blank lines, tolerates tabs', () => {
    const p = readJssp('# comment\n\n2 2\n0\t3 1 2 \n\n1 4 0 1\n');
    expect(p.operations.map((o) => o.modes[0]!.duration)).toEqual([3, 2, 4, 1]);
  });

  it('rejects malformed input with line numbers', () => {
    expect(() => readJssp('2 2\n0 3 1 x\n1 4 0 1\n')).toThrow(/line 2/);
    expect(() => readJssp('2 2\n0 3 1 2\n1 4 0\n')).toThrow(/line 3/);
    expect(() => readJssp('2 2\n0 3 1 2\n1 4 5 1\n')).toThrow(/line 3: machine 5/);
    expect(() => readJssp('2 2 7\n0 3 1 2\n1 4 0 1\n')).toThrow(/line 1/);
    expect(() => readJssp('3 2\n0 3 1 2\n1 4 0 1\n')).toThrow(/declares 3 jobs/);
    expect(() => readJssp('')).toThrow(/empty/);
  });
});
