import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readFjsp } from '../formats/fjsp.js';
import { readJssp } from '../formats/jssp.js';
import { validate } from '../validate.js';
import { solveMakespan } from './index.js';

const BENCH =
  process.env.KERF_BENCHMARKS_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-data');
const load = (dir: string, name: string): string => readFileSync(path.join(BENCH, dir, `${name}.txt`), 'utf8');

describe('solveMakespan', () => {
  it('finds the ft06 optimum (55) within a bounded iteration count', () => {
    const p = readJssp(load('jssp', 'ft06'));
    const r = solveMakespan(p, { timeLimitMs: 20_000, maxIterations: 20_000, seed: 7 });
    const check = validate(p, r.schedule);
    expect(check.valid).toBe(true);
    expect(check.objective.makespan).toBe(r.objective);
    expect(r.objective).toBe(55);
  });

  it('is deterministic for a seed when bounded by iterations', () => {
    const p = readJssp(load('jssp', 'ft10'));
    const a = solveMakespan(p, { timeLimitMs: 60_000, maxIterations: 3000, seed: 3 });
    const b = solveMakespan(p, { timeLimitMs: 60_000, maxIterations: 3000, seed: 3 });
    expect(a.iterations).toBe(3000);
    expect(b.schedule).toEqual(a.schedule);
    expect(validate(p, a.schedule).valid).toBe(true);
  });

  it('solves mk01 (flexible) to a valid schedule near the optimum 40', () => {
    const p = readFjsp(load('fjsp', 'mk01'));
    const r = solveMakespan(p, { timeLimitMs: 20_000, maxIterations: 20_000, seed: 1 });
    const check = validate(p, r.schedule);
    expect(check.valid).toBe(true);
    expect(check.objective.makespan).toBe(r.objective);
    expect(r.objective).toBeLessThanOrEqual(42);
  });

  it('reports progress, honours abort and starts from an initial schedule', () => {
    const p = readJssp(load('jssp', 'ft10'));
    const first = solveMakespan(p, { timeLimitMs: 60_000, maxIterations: 500, seed: 1 });
    const controller = new AbortController();
    const seen: number[] = [];
    const r = solveMakespan(p, {
      timeLimitMs: 60_000,
      seed: 2,
      initial: first.schedule,
      signal: controller.signal,
      onProgress: (e) => {
        seen.push(e.bestObjective);
        if (seen.length >= 3) controller.abort();
      },
    });
    expect(seen[0]).toBe(first.objective);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeLessThan(seen[i - 1]!);
    expect(r.objective).toBeLessThanOrEqual(first.objective);
    expect(validate(p, r.schedule).valid).toBe(true);
  });

  it('rejects problems outside the classic model with a clear error', () => {
    const p = readJssp(load('jssp', 'ft06'));
    expect(() => solveMakespan({ ...p, objective: 'weighted_tardiness' }, { timeLimitMs: 10 })).toThrow(/makespan/);
    const dag = { ...p, operations: p.operations.map((o, i) => (i === 7 ? { ...o, predecessors: [0, 6] } : o)) };
    expect(() => solveMakespan(dag, { timeLimitMs: 10 })).toThrow(/predecessors/);
  });
});
