/**
 * These tests spawn real worker threads, which need the compiled worker script:
 * run `npx tsc -b packages/solver` first (resolveWorkerPath maps src/ to dist/).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readFjsp } from '../formats/fjsp.js';
import { readJssp } from '../formats/jssp.js';
import { validate } from '../validate.js';
import { solveParallel } from './index.js';
import { resolveWorkerPath } from './worker-path.js';

const BENCH =
  process.env.KERF_BENCHMARKS_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-data');
const load = (dir: string, name: string): string => readFileSync(path.join(BENCH, dir, `${name}.txt`), 'utf8');

describe('solveParallel', () => {
  it('finds the compiled worker script', () => {
    expect(resolveWorkerPath()).toMatch(/dist[\\/]parallel[\\/]worker\.js$/);
  });

  it('returns a valid schedule with 2 threads and reports progress', async () => {
    const p = readJssp(load('jssp', 'ft10'));
    const seen: number[] = [];
    const r = await solveParallel(p, {
      timeLimitMs: 1500,
      threads: 2,
      seed: 5,
      onProgress: (e) => seen.push(e.bestObjective),
    });
    const check = validate(p, r.schedule);
    expect(check.valid).toBe(true);
    expect(check.objective.makespan).toBe(r.objective);
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.min(...seen)).toBe(r.objective);
    expect(r.objective).toBeLessThan(1000);
  });

  it('honours abort across threads', async () => {
    const p = readFjsp(load('fjsp', 'mk10'));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 400);
    const t0 = Date.now();
    const r = await solveParallel(p, { timeLimitMs: 30_000, threads: 2, signal: controller.signal });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(validate(p, r.schedule).valid).toBe(true);
  });

  it('stops on maxIterations when the time limit is unbounded', async () => {
    const p = readJssp(load('jssp', 'ft06'));
    const r = await solveParallel(p, { timeLimitMs: Infinity, maxIterations: 2000, threads: 2, seed: 3 });
    expect(r.iterations).toBeLessThanOrEqual(4000);
    expect(validate(p, r.schedule).valid).toBe(true);
  });

  it('falls back to one in-thread search with threads <= 1', async () => {
    const p = readJssp(load('jssp', 'ft06'));
    const r = await solveParallel(p, { timeLimitMs: 5000, maxIterations: 20_000, threads: 1, seed: 7 });
    expect(r.objective).toBe(55);
    expect(validate(p, r.schedule).valid).toBe(true);
  });
});
