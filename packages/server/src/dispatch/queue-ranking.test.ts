import { RULES, type QueueItem, type RuleName } from '@kerf/solver';
import { describe, expect, it } from 'vitest';
import { rankQueue, type RankEntry } from './queue-ranking.js';

// A hand example (minutes, now = 0) chosen so that every rule orders it differently
// from at least one other: d due, p own time, R job's remaining work, w weight, a arrival.
const ITEMS: Array<QueueItem> = [
  { id: 'A', due: 100, processingTime: 30, remainingWork: 60, weight: 1, arrival: 5 },
  { id: 'B', due: 50, processingTime: 40, remainingWork: 100, weight: 2, arrival: 3 },
  { id: 'C', due: 200, processingTime: 10, remainingWork: 20, weight: 8, arrival: 1 },
  { id: 'D', due: 300, processingTime: 20, remainingWork: 250, weight: 4, arrival: 4 },
];

const entry = (item: QueueItem, plannedStart: number, extra: Partial<RankEntry> = {}): RankEntry => ({
  slotId: item.id,
  plannedStart,
  running: false,
  ready: true,
  item,
  ...extra,
});

/** The handbook's formulas written out once more, independently of the solver. */
function handScore(rule: RuleName, it: QueueItem, now: number, pAvg: number): number {
  const d = it.due;
  const p = it.processingTime;
  const R = it.remainingWork;
  switch (rule) {
    case 'EDD':
      return d;
    case 'SPT':
      return p;
    case 'FIFO':
      return it.arrival;
    case 'CR':
      return (d - now) / R;
    case 'SLACK':
      return d - now - R;
    case 'ATC':
      return -((it.weight / p) * Math.exp(-Math.max(d - p - now, 0) / (2 * pAvg)));
  }
}

describe('queue ranking by rule (hand example)', () => {
  // CR: A 1.67, B 0.5, C 10, D 1.2. SLACK: A 40, B -50, C 180, D 50.
  // ATC (p_avg 25, k 2): A 0.0082, B 0.0409, C 0.0179, D 0.0007.
  const expected: Record<RuleName, string[]> = {
    EDD: ['B', 'A', 'C', 'D'],
    SPT: ['C', 'D', 'A', 'B'],
    FIFO: ['C', 'B', 'D', 'A'],
    CR: ['B', 'D', 'A', 'C'],
    SLACK: ['B', 'A', 'D', 'C'],
    ATC: ['B', 'C', 'A', 'D'],
  };
  const queue = ITEMS.map((it, i) => entry(it, i));

  for (const rule of RULES) {
    it(`${rule} orders as the formula says`, () => {
      const got = rankQueue(queue, { rule, tieBreak: rule, nowMinutes: 0 });
      expect(got.orderedBy).toBe('rule');
      expect(got.entries.map((e) => e.slotId)).toEqual(expected[rule]);
      const byHand = [...ITEMS].sort((a, b) => handScore(rule, a, 0, 25) - handScore(rule, b, 0, 25)).map((x) => x.id);
      expect(byHand).toEqual(expected[rule]);
    });
  }

  it('CR and SLACK move with the clock: at t = 40, B is behind (CR < 0) and stays first', () => {
    const got = rankQueue(queue, { rule: 'CR', tieBreak: 'CR', nowMinutes: 40 });
    // CR at 40: A 1.0, B 0.1, C 8, D 1.04
    expect(got.entries.map((e) => e.slotId)).toEqual(['B', 'A', 'D', 'C']);
  });

  it('keeps the running operation first and waiting work after the ranked ready work', () => {
    const q = [
      entry(ITEMS[0]!, 10),
      entry(ITEMS[1]!, 0, { ready: false }),
      entry(ITEMS[2]!, 20, { running: true }),
      entry(ITEMS[3]!, 30),
    ];
    const got = rankQueue(q, { rule: 'SPT', tieBreak: 'SPT', nowMinutes: 0 });
    expect(got.entries.map((e) => e.slotId)).toEqual(['C', 'D', 'A', 'B']);
  });

  it('follows the plan by default and breaks equal starts by the rule', () => {
    const q = [entry(ITEMS[0]!, 10), entry(ITEMS[1]!, 10), entry(ITEMS[2]!, 5), entry(ITEMS[3]!, 10)];
    expect(rankQueue(q, { tieBreak: 'EDD', nowMinutes: 0 }).entries.map((e) => e.slotId)).toEqual(['C', 'B', 'A', 'D']);
    expect(rankQueue(q, { tieBreak: 'SPT', nowMinutes: 0 }).entries.map((e) => e.slotId)).toEqual(['C', 'D', 'A', 'B']);
  });

  it('puts an override first, in its order, and the rest in plan order', () => {
    const q = ITEMS.map((it, i) => entry(it, i));
    const got = rankQueue(q, { tieBreak: 'EDD', nowMinutes: 0, override: ['D', 'B'] });
    expect(got.orderedBy).toBe('override');
    expect(got.entries.map((e) => e.slotId)).toEqual(['D', 'B', 'A', 'C']);
  });
});
