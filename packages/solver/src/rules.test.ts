import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dispatch, QueueItem, RULES, ruleSchedule, ruleScore } from './rules.js';
import { validate } from './validate.js';
import { compile } from './compiled.js';
import { serialDecode } from './sgs.js';
import { randomProblem } from './testing/random-problem.js';
import { tinyProblem } from './testing/tiny.js';

describe('constructive schedules', () => {
  it.each(RULES)('%s gives a valid schedule on the tiny problem', (rule) => {
    const r = validate(tinyProblem(), ruleSchedule(tinyProblem(), rule));
    expect(r.violations).toEqual([]);
  });

  it('every rule, both dispatch modes and the serial SGS are valid on random instances', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 1, max: 3 }), (seed, size) => {
        const p = randomProblem(seed, size);
        const c = compile(p);
        for (const rule of RULES) {
          for (const mode of ['nondelay', 'active'] as const) {
            const v = validate(p, ruleSchedule(c, rule, mode));
            expect(v.violations, `${rule}/${mode}`).toEqual([]);
          }
        }
        const keys = Float64Array.from({ length: p.operations.length }, (_, i) => (i * 7919) % 101);
        expect(validate(p, serialDecode(c, keys)).violations).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});

describe('dispatch', () => {
  const q: QueueItem[] = [
    { id: 'a', due: 100, processingTime: 10, remainingWork: 50, weight: 1, arrival: 5 },
    { id: 'b', due: 60, processingTime: 30, remainingWork: 30, weight: 2, arrival: 3 },
    { id: 'c', due: 200, processingTime: 5, remainingWork: 100, weight: 4, arrival: 9 },
    { id: 'd', due: 40, processingTime: 20, remainingWork: 40, weight: 1, arrival: 1 },
  ];
  const ids = (rule: (typeof RULES)[number], now: number): string[] => dispatch(q, rule, now).map((x) => x.id);

  it('matches a reference stable sort for queues of any size (scratch buffers grow)', () => {
    const itemArb = fc.record({
      id: fc.string(),
      due: fc.integer({ min: -500, max: 5000 }),
      processingTime: fc.integer({ min: 0, max: 300 }),
      remainingWork: fc.integer({ min: 0, max: 3000 }),
      weight: fc.constantFrom(1, 2, 4, 8),
      arrival: fc.integer({ min: 0, max: 100 }),
    });
    fc.assert(
      fc.property(
        fc.array(itemArb, { maxLength: 2500 }),
        fc.constantFrom(...RULES),
        fc.integer({ min: 0, max: 4000 }),
        (queue, rule, now) => {
          const n = queue.length;
          const pAvg =
            n > 0 && queue.some((x) => x.processingTime > 0) ? queue.reduce((a, x) => a + x.processingTime, 0) / n : 1;
          const ref = queue
            .map((it, i) => ({ it, i, s: ruleScore(rule, it, now, pAvg) }))
            .sort((a, b) => (a.s < b.s ? -1 : a.s > b.s ? 1 : a.i - b.i))
            .map((x) => x.it);
          expect(dispatch(queue, rule, now)).toEqual(ref);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('EDD, SPT and FIFO order by due, processing time and arrival', () => {
    expect(ids('EDD', 0)).toEqual(['d', 'b', 'a', 'c']);
    expect(ids('SPT', 0)).toEqual(['c', 'a', 'd', 'b']);
    expect(ids('FIFO', 0)).toEqual(['d', 'b', 'a', 'c']);
  });

  it('CR = (d - t) / R and SLACK = (d - t) - R, smallest first', () => {
    // t = 20: CR a 80/50=1.6, b 40/30=1.33, c 180/100=1.8, d 20/40=0.5
    expect(ids('CR', 20)).toEqual(['d', 'b', 'a', 'c']);
    // SLACK a 30, b 10, c 80, d -20
    expect(ids('SLACK', 20)).toEqual(['d', 'b', 'a', 'c']);
    // at t = 0 CR: a 2, b 2, c 2, d 1 -> ties keep queue order
    expect(ids('CR', 0)).toEqual(['d', 'a', 'b', 'c']);
  });

  it('ATC = (w/p) exp(-max(d - p - t, 0) / (k p_avg)), largest first', () => {
    const pAvg = (10 + 30 + 5 + 20) / 4;
    const atc = (it: QueueItem, t: number): number =>
      (it.weight / it.processingTime) * Math.exp(-Math.max(it.due - it.processingTime - t, 0) / (2 * pAvg));
    for (const t of [0, 50, 150]) {
      const expected = [...q].sort((x, y) => atc(y, t) - atc(x, t)).map((x) => x.id);
      expect(ids('ATC', t)).toEqual(expected);
    }
    // hand value at t=0: c = 0.8*exp(-195/32.5) = 0.00198, d = 0.05*exp(-20/32.5) = 0.027 -> d before c
    expect(ids('ATC', 0).indexOf('d')).toBeLessThan(ids('ATC', 0).indexOf('c'));
    // when everything is late, ATC reduces to WSPT (w/p): c 0.8, b 0.0667, a 0.1, d 0.05
    expect(ids('ATC', 1000)).toEqual(['c', 'a', 'b', 'd']);
  });
});
