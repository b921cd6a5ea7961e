import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readFjsp } from './fjsp.js';

const BENCH =
  process.env.KERF_BENCHMARKS_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-data');

describe('readFjsp', () => {
  it('parses mk01 with 0-based machines', () => {
    const p = readFjsp(readFileSync(path.join(BENCH, 'fjsp/mk01.txt'), 'utf8'));
    expect(p.jobs).toHaveLength(10);
    expect(p.resources).toHaveLength(6);
    expect(p.jobs[0]!.operations).toHaveLength(6);
    expect(p.operations).toHaveLength(55);
    // job 0, op 0: "2 1 5 3 4" -> machines 0 and 2
    expect(p.operations[0]!.modes).toEqual([
      { resource: 0, duration: 5 },
      { resource: 2, duration: 4 },
    ]);
    expect(p.operations[1]!.predecessors).toEqual([0]);
    expect(p.operations[6]!.predecessors).toEqual([]);
  });

  it('keeps all declared machines (mk10 declares 15)', () => {
    const p = readFjsp(readFileSync(path.join(BENCH, 'fjsp/mk10.txt'), 'utf8'));
    expect(p.resources).toHaveLength(15);
  });

  it('accepts a fractional flexibility label', () => {
    const p = readFjsp('1 2 1.5\n2 1 1 3 2 1 2 2 4\n');
    expect(p.operations[1]!.modes).toEqual([
      { resource: 0, duration: 2 },
      { resource: 1, duration: 4 },
    ]);
  });

  it('rejects malformed input with line numbers', () => {
    expect(() => readFjsp('1 2 1\n2 1 1 3 2 1 2 2\n')).toThrow(/line 2.*ends early/);
    expect(() => readFjsp('1 2 1\n1 1 3 3\n')).toThrow(/line 2: machine 3 out of range/);
    expect(() => readFjsp('1 2 1\n1 1 1 3 9\n')).toThrow(/line 2: 1 extra/);
    expect(() => readFjsp('2 2 1\n1 1 1 3\n')).toThrow(/line 1: header declares 2 jobs/);
    expect(() => readFjsp('\n1 2 1\n1 0 \n')).toThrow(/line 3/);
    expect(() => readFjsp('1 2 x\n1 1 1 3\n')).toThrow(/line 1/);
    expect(() => readFjsp('1 2 1\n1 1 1 a\n')).toThrow(/line 2/);
  });
});
