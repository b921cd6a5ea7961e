/**
 * Seeded PRNG (mulberry32) so one seed always replays the same shop floor: tests assert on
 * traces and a demo can be reproduced. Not for anything security-related.
 */
export class Rng {
  #state: number;

  constructor(seed: number) {
    // Mix once so neighbouring seeds (1, 2, 3) do not start out correlated.
    this.#state = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [min, max]. */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }
}

/** A stable 32-bit seed per machine, so adding a machine does not change the others' traces. */
export function machineSeed(seed: number, machineId: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < machineId.length; i += 1) {
    h = Math.imul(h ^ machineId.charCodeAt(i), 0x01000193) >>> 0;
  }
  return h >>> 0;
}
