/**
 * A small pool of the best distinct solutions met at restarts. Restarting from a random elite
 * (not always the single best) keeps the search from circling one basin.
 */
import type { ClassicInstance } from './instance.js';
import type { Rng } from './rng.js';
import type { Solution } from './solution.js';

export class ElitePool {
  private readonly codes: Int32Array[] = [];
  private readonly values: number[] = [];
  private readonly scratch: Int32Array;

  constructor(
    private readonly inst: ClassicInstance,
    private readonly capacity: number,
  ) {
    this.scratch = new Int32Array(2 * inst.nOps);
  }

  get size(): number {
    return this.codes.length;
  }

  offer(sol: Solution): void {
    sol.encode(this.scratch);
    for (const code of this.codes) if (sameCode(code, this.scratch)) return;
    if (this.codes.length < this.capacity) {
      this.codes.push(this.scratch.slice());
      this.values.push(sol.makespan);
      return;
    }
    let worst = 0;
    for (let i = 1; i < this.values.length; i++) if (this.values[i]! > this.values[worst]!) worst = i;
    if (sol.makespan < this.values[worst]!) {
      this.codes[worst]!.set(this.scratch);
      this.values[worst] = sol.makespan;
    }
  }

  code(i: number): Int32Array {
    return this.codes[i]!;
  }

  load(i: number, target: Solution): boolean {
    return target.decode(this.codes[i]!);
  }

  /** Decodes a random elite into target; false when the pool is empty. */
  pick(target: Solution, rng: Rng): boolean {
    if (this.codes.length === 0) return false;
    return target.decode(this.codes[rng.int(this.codes.length)]!);
  }
}

function sameCode(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
