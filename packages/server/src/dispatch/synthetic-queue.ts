import type { RuleName } from '@kerf/solver';
import type { RankEntry } from './queue-ranking.js';

/**
 * A seeded, synthetic queue for the dispatch benchmark: n operations with due dates over
 * the next four weeks, 10-240 minute processing times, planned back to back with small gaps
 * as one center's plan is (so no two start together), listed in random order, about a tenth
 * waiting on upstream work and one running. Deterministic (mulberry32) so runs compare.
 */
export function syntheticQueue(n: number, nowMinutes: number, seed = 7): RankEntry[] {
  let s = seed >>> 0;
  const rnd = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const out: RankEntry[] = [];
  let planned = nowMinutes;
  for (let i = 0; i < n; i++) {
    const p = 10 + Math.floor(rnd() * 230);
    const id = `op-${i}`;
    const plannedStart = planned * 60_000;
    planned += p + Math.floor(rnd() * 30);
    out.push({
      slotId: id,
      plannedStart,
      running: i === 0,
      ready: rnd() > 0.1,
      item: {
        id,
        due: nowMinutes + Math.floor(rnd() * 28 * 1440) - 2 * 1440,
        processingTime: p,
        remainingWork: p + Math.floor(rnd() * 2000),
        weight: [8, 4, 2, 1][Math.floor(rnd() * 4)]!,
        arrival: nowMinutes - Math.floor(rnd() * 3 * 1440),
      },
    });
  }
  // The database hands rows over in no particular order.
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** What the benchmark times: the default (plan) order and each rule. */
export type RankingCase = 'plan' | RuleName;
