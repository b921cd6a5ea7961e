import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readFjsp } from '../formats/fjsp.js';
import { readJssp } from '../formats/jssp.js';
import { constructBest } from './construct.js';
import { toClassicInstance } from './instance.js';
import { Rng } from './rng.js';
import { Solution } from './solution.js';
import { defaultParams, TabuSearch } from './tabu.js';

const BENCH =
  process.env.KERF_BENCHMARKS_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-data');

describe('incremental timing', () => {
  // The tabu loop only updates heads/tails of a window of the topological order; a full
  // recomputation after every move must agree exactly.
  for (const [dir, name] of [
    ['jssp', 'ft10'],
    ['fjsp', 'mk04'],
  ] as const) {
    it(`matches a full recomputation on ${name}`, () => {
      const text = readFileSync(path.join(BENCH, dir, `${name}.txt`), 'utf8');
      const inst = toClassicInstance(dir === 'jssp' ? readJssp(text) : readFjsp(text));
      const rng = new Rng(11);
      const search = new TabuSearch(inst, constructBest(inst, rng), rng, {
        ...defaultParams(inst, 10),
        stallLimit: 300,
      });
      const check = new Solution(inst);
      for (let i = 0; i < 1500; i++) {
        search.step();
        check.copyFrom(search.cur);
        expect(check.evaluate()).toBe(true);
        expect(check.makespan).toBe(search.cur.makespan);
        expect(Array.from(check.head)).toEqual(Array.from(search.cur.head));
        expect(Array.from(check.tail)).toEqual(Array.from(search.cur.tail));
      }
    });
  }
});
