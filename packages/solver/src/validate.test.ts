import { describe, expect, it } from 'vitest';
import { validate } from './validate.js';
import { lowerBound, tardinessLowerBound } from './bounds.js';
import type { Schedule } from './model.js';
import { tinyProblem } from './testing/tiny.js';

function good(): Schedule {
  return {
    operations: [
      { operation: 0, resource: 0, setupStart: 0, start: 0, end: 30 },
      { operation: 1, resource: 1, setupStart: 30, start: 30, end: 50 },
      { operation: 2, resource: 0, setupStart: 30, start: 40, end: 80 },
    ],
  };
}

function kinds(s: Schedule, mutate?: (p: ReturnType<typeof tinyProblem>) => void): string[] {
  const p = tinyProblem();
  mutate?.(p);
  return validate(p, s).violations.map((v) => v.kind);
}

describe('validate', () => {
  it('accepts a correct schedule and computes its objective', () => {
    const r = validate(tinyProblem(), good());
    expect(r.violations).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.objective).toEqual({ makespan: 80, weightedTardiness: 60, setupMinutes: 10, flowTime: 50 + 75 });
  });

  it('catches a missing operation', () => {
    const s = good();
    s.operations.pop();
    expect(kinds(s)).toContain('missing');
  });

  it('catches a duplicate operation', () => {
    const s = good();
    s.operations[2] = { ...s.operations[1]! };
    expect(kinds(s)).toEqual(expect.arrayContaining(['duplicate', 'missing']));
  });

  it('catches an ineligible resource', () => {
    const s = good();
    s.operations[1] = { operation: 1, resource: 0, setupStart: 100, start: 100, end: 120 };
    expect(kinds(s)).toContain('resource');
  });

  it('catches a wrong duration', () => {
    const s = good();
    s.operations[1]!.end = 49;
    expect(kinds(s)).toEqual(['duration']);
  });

  it('catches processing that ignores the calendar', () => {
    const s = good();
    // op2 moved to [85, 125): only 15 + 0 working minutes, the calendar pauses at 100
    s.operations[2] = { operation: 2, resource: 0, setupStart: 75, start: 85, end: 125 };
    expect(kinds(s)).toContain('duration');
    // starting in a break with the right working minutes counted from the next shift
    s.operations[2] = { operation: 2, resource: 0, setupStart: 140, start: 150, end: 240 };
    expect(kinds(s)).toEqual(expect.arrayContaining(['calendar', 'setup-calendar']));
  });

  it('catches a missing or wrong setup', () => {
    const s = good();
    s.operations[2]!.setupStart = 40;
    expect(kinds(s)).toEqual(['setup']);
    s.operations[2]!.setupStart = 35;
    expect(kinds(s)).toEqual(['setup']);
  });

  it('uses the setup matrix and initial setup', () => {
    const s = good();
    expect(
      kinds(
        s,
        (p) =>
          (p.setupTimes.matrix = [
            [undefined, 10],
            [5, undefined],
          ]),
      ),
    ).toEqual([]);
    expect(
      kinds(
        s,
        (p) =>
          (p.setupTimes.matrix = [
            [undefined, 7],
            [5, undefined],
          ]),
      ),
    ).toEqual(['setup']);
    // resource initially set up for B: op0 (A) needs a setup at time zero
    expect(kinds(s, (p) => (p.resources[0]!.initialSetup = 1))).toContain('setup');
  });

  it('lets an operation without category keep the setup state', () => {
    const p = tinyProblem();
    p.operations[2]!.modes.push({ resource: 1, duration: 40 });
    p.operations[1]!.setupCategory = -1;
    // on M: op1 (no category) then op2 (B) with resource initial none -> no setup needed
    const s: Schedule = {
      operations: [
        { operation: 0, resource: 0, setupStart: 0, start: 0, end: 30 },
        { operation: 1, resource: 1, setupStart: 30, start: 30, end: 50 },
        { operation: 2, resource: 1, setupStart: 50, start: 50, end: 90 },
      ],
    };
    expect(validate(p, s).violations).toEqual([]);
  });

  it('treats zero-duration operations as instants outside the setup sequence', () => {
    const p = tinyProblem();
    p.operations[1]!.modes = [{ resource: 0, duration: 0 }];
    p.operations[1]!.setupCategory = 1;
    // op1 (category B, zero duration) at 30 between op0 (A) and op2 (B): op2 still needs A->B
    const s = good();
    s.operations[1] = { operation: 1, resource: 0, setupStart: 30, start: 30, end: 30 };
    expect(validate(p, s).violations).toEqual([]);
    // the same operation with a real duration changes the state: op2 then needs no setup
    p.operations[1]!.modes = [{ resource: 0, duration: 5 }];
    s.operations[1] = { operation: 1, resource: 0, setupStart: 30, start: 30, end: 35 };
    expect(validate(p, s).violations.map((v) => v.kind)).toEqual(expect.arrayContaining(['setup']));
  });

  it('catches a setup split across shifts', () => {
    const s = good();
    s.operations[2] = { operation: 2, resource: 0, setupStart: 95, start: 205, end: 245 };
    expect(kinds(s)).toEqual(expect.arrayContaining(['setup']));
    s.operations[2] = { operation: 2, resource: 0, setupStart: 95, start: 105, end: 245 };
    expect(kinds(s)).toContain('setup-calendar');
  });

  it('catches overlaps including setups', () => {
    const s = good();
    s.operations[2] = { operation: 2, resource: 0, setupStart: 25, start: 35, end: 75 };
    expect(kinds(s)).toEqual(['overlap']);
  });

  it('catches precedence violations', () => {
    const s = good();
    s.operations[1] = { operation: 1, resource: 1, setupStart: 20, start: 20, end: 40 };
    expect(kinds(s)).toEqual(['precedence']);
  });

  it('catches release violations on the setup start', () => {
    const s = good();
    s.operations[0] = { operation: 0, resource: 0, setupStart: 50, start: 50, end: 80 };
    s.operations[2] = { operation: 2, resource: 0, setupStart: 0, start: 10, end: 50 };
    s.operations[1] = { operation: 1, resource: 1, setupStart: 80, start: 80, end: 100 };
    expect(kinds(s)).toEqual(expect.arrayContaining(['release', 'setup']));
  });

  it('catches moved fixed operations', () => {
    const s = good();
    expect(kinds(s, (p) => p.fixed.push({ operation: 0, resource: 0, start: 0 }))).toEqual([]);
    expect(kinds(s, (p) => p.fixed.push({ operation: 2, resource: 0, start: 30 }))).toEqual(['fixed']);
  });

  it('catches bad times', () => {
    const s = good();
    s.operations[1]!.end = 10;
    expect(kinds(s)).toContain('time');
  });
});

describe('lowerBound', () => {
  it('never exceeds a known schedule and covers the machine load', () => {
    const p = tinyProblem();
    const lb = lowerBound(p);
    // L must process 70 working minutes from time 0: ends no earlier than 70
    expect(lb).toBeGreaterThanOrEqual(70);
    expect(lb).toBeLessThanOrEqual(80);
  });

  it('is calendar-aware', () => {
    const p = tinyProblem();
    p.operations[0]!.modes[0]!.duration = 150; // 100 in the first shift, 50 in the second
    p.operations[2]!.modes[0]!.duration = 100;
    // L needs 250 working minutes: [0,100) + [200,300) + 50 of [400,...) -> 450
    expect(lowerBound(p)).toBe(450);
    // job 0 path: op0 ends at 250 then op1 needs 20 wall minutes
    p.operations[2]!.modes[0]!.duration = 1;
    expect(lowerBound(p)).toBe(270);
  });

  it('bounds weighted tardiness from job paths', () => {
    const p = tinyProblem();
    // job 1 cannot end before 5 + 40 = 45 <= due 50 -> 0; make the due date tighter
    expect(tardinessLowerBound(p)).toBe(0);
    p.jobs[1]!.due = 30;
    expect(tardinessLowerBound(p)).toBe(2 * 15);
  });
});
