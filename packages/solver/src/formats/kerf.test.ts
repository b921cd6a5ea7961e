import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KerfFormatError, readKerf, toKerfJson, writeKerfResult } from './kerf.js';
import { validate } from '../validate.js';
import { ruleSchedule } from '../rules.js';
import { randomProblem } from '../testing/random-problem.js';

const base = () => ({
  objective: 'weighted_tardiness',
  resources: [
    {
      id: 'LASER-01',
      calendar: [
        [0, 480],
        [540, 960],
        [1440, 1920],
      ],
      initialSetup: 'SS304-16GA',
    },
    { id: 'BRAKE-01' },
  ],
  setupTimes: { default: 20, matrix: { 'SS304-16GA': { 'SS304-14GA': 15, 'CRS-12GA': 30 } } },
  jobs: [
    {
      id: 'J-1042',
      release: 0,
      due: 2880,
      weight: 4,
      operations: [
        {
          id: 'J-1042/10',
          modes: [{ resource: 'LASER-01', duration: 95 }],
          setupCategory: 'SS304-14GA',
          after: [] as string[],
        },
        {
          id: 'J-1042/20',
          modes: [{ resource: 'BRAKE-01', duration: 60 }],
          setupCategory: 'TOOLSET-A',
          after: ['J-1042/10'],
        },
      ],
    },
  ],
  fixed: [] as Array<Record<string, unknown>>,
});

function errorOf(doc: unknown): string {
  try {
    readKerf(typeof doc === 'string' ? doc : JSON.stringify(doc));
  } catch (e) {
    expect(e).toBeInstanceOf(KerfFormatError);
    return (e as Error).message;
  }
  throw new Error('expected the reader to reject the document');
}

describe('kerf reader', () => {
  it('reads the handbook example', () => {
    const p = readKerf(JSON.stringify(base()));
    expect(p.objective).toBe('weighted_tardiness');
    expect(p.resources.map((r) => r.id)).toEqual(['LASER-01', 'BRAKE-01']);
    expect(p.resources[1]!.calendar).toBeNull();
    const cat = (name: string): number => p.setupCategories.indexOf(name);
    expect(p.resources[0]!.initialSetup).toBe(cat('SS304-16GA'));
    expect(p.setupTimes.matrix![cat('SS304-16GA')]![cat('SS304-14GA')]).toBe(15);
    expect(p.setupTimes.matrix![cat('SS304-16GA')]![cat('TOOLSET-A')]).toBeUndefined();
    expect(p.operations[1]!.predecessors).toEqual([0]);
    expect(p.jobs[0]!).toMatchObject({ release: 0, due: 2880, weight: 4, operations: [0, 1] });
  });

  it('names the JSON path of every error', () => {
    const d1 = base();
    d1.jobs[0]!.operations[1]!.modes = [];
    expect(errorOf(d1)).toBe('jobs[0].operations[1].modes: must have at least one mode');
    const d2 = base();
    d2.jobs[0]!.operations[0]!.modes[0]!.resource = 'LASER-09';
    expect(errorOf(d2)).toBe('jobs[0].operations[0].modes[0].resource: unknown resource "LASER-09"');
    const d3 = base();
    d3.jobs[0]!.operations[1]!.after = ['J-9/10'];
    expect(errorOf(d3)).toBe('jobs[0].operations[1].after[0]: unknown operation "J-9/10"');
    const d4 = base();
    d4.jobs[0]!.operations[0]!.after = ['J-1042/20'];
    expect(errorOf(d4)).toMatch(/^jobs: cycle in "after": J-1042\/(10|20) -> J-1042\/(10|20) -> /);
    const d5 = base();
    (d5.resources[0] as { calendar: number[][] }).calendar = [
      [0, 480],
      [400, 960],
    ];
    expect(errorOf(d5)).toBe('resources[0].calendar[1]: intervals must be sorted and disjoint');
    const d6 = base();
    d6.fixed = [{ operation: 'J-1042/10', resource: 'BRAKE-01', start: 0 }];
    expect(errorOf(d6)).toBe('fixed[0].resource: "BRAKE-01" is not one of the modes of "J-1042/10"');
    const d7 = base();
    (d7.jobs[0]!.operations[0]!.modes[0] as { duration: unknown }).duration = 9.5;
    expect(errorOf(d7)).toBe('jobs[0].operations[0].modes[0].duration: must be an integer (minutes)');
    expect(errorOf({ ...base(), objective: 'fastest' })).toMatch(/^objective: must be one of/);
    expect(errorOf('{"resources": [}')).toMatch(/^invalid JSON at line 1, column 16/);
    expect(errorOf('{\n  "resources": [\n    {"id": "A",}\n  ]\n}')).toMatch(/^invalid JSON at line 3, column 16/);
    expect(errorOf('{"resources": [')).toMatch(/^invalid JSON at line 1, column 16: unexpected end/);
  });

  it('writes the output shape with ids and setup starts', () => {
    const p = readKerf(JSON.stringify(base()));
    const s = ruleSchedule(p, 'EDD');
    const v = validate(p, s);
    expect(v.valid).toBe(true);
    const out = writeKerfResult(p, s, { objective: v.objective, lowerBound: 1, seconds: 0.5 });
    expect(out.operations).toEqual([
      { job: 'J-1042', op: 'J-1042/20', machine: 'BRAKE-01', setupStart: 110, start: 110, end: 170 },
      // matrix SS304-16GA -> SS304-14GA: 15 minutes, not the default 20
      { job: 'J-1042', op: 'J-1042/10', machine: 'LASER-01', setupStart: 0, start: 15, end: 110 },
    ]);
    expect(out.objective).toEqual({ weightedTardiness: 0, makespan: 170, setupMinutes: 15 });
  });

  it('round-trips random problems through the JSON form', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), (seed) => {
        const p = randomProblem(seed, 2);
        const q = readKerf(JSON.stringify(toKerfJson(p)));
        const s = ruleSchedule(p, 'ATC');
        // same schedule, same verdict and objective under both readings of the problem
        expect(validate(q, s)).toEqual(validate(p, s));
      }),
      { numRuns: 50 },
    );
  });
});
