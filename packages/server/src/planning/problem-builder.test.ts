import { solve, validate } from '@kerf/solver';
import { describe, expect, it } from 'vitest';
import { buildProblem, type PlanningSnapshot } from './problem-builder.js';

const T0 = Date.parse('2026-11-23T05:00:00Z'); // Monday
const shift = (workCenterId: string) =>
  [0, 1, 2, 3, 4].map((dayOfWeek) => ({
    workCenterId,
    dayOfWeek,
    startTime: '06:00:00',
    endTime: '14:30:00',
    isActive: true,
  }));

function snapshot(): PlanningSnapshot {
  const routing = (
    id: string,
    jobId: string,
    sequence: number,
    type: string,
    run: number,
    deps: string[],
    cat: string | null = null,
  ) => ({
    id,
    jobId,
    sequence,
    workCenterType: type,
    setupMinutes: 20,
    runMinutesPerUnit: run,
    quantity: 10,
    setupCategory: cat,
    dependencies: deps,
  });
  return {
    workCenters: [
      { id: 'LASER-01', machineType: 'laser', efficiencyFactor: 0.8, setupCategory: 'SS304-16GA' },
      { id: 'LASER-02', machineType: 'laser', efficiencyFactor: 1, setupCategory: null },
      { id: 'WELD-01', machineType: 'weld', efficiencyFactor: 0.5, setupCategory: null },
    ],
    shifts: [...shift('LASER-01'), ...shift('LASER-02'), ...shift('WELD-01')],
    exceptions: [{ workCenterId: null, exceptionDate: '2026-11-26', exceptionType: 'holiday' }],
    jobs: [
      { id: 'j1', jobNumber: 'J-1', dueDate: new Date('2026-11-24T14:00:00Z'), priority: 1 },
      { id: 'j2', jobNumber: 'J-2', dueDate: new Date('2026-11-27T14:00:00Z'), priority: 3 },
      { id: 'j3', jobNumber: 'J-3', dueDate: new Date('2026-11-25T14:00:00Z'), priority: 4 },
    ],
    routings: [
      routing('r11', 'j1', 10, 'laser', 3, [], 'SS304-16GA'),
      routing('r12', 'j1', 20, 'laser', 2, [], 'CRS-14GA'),
      routing('r13', 'j1', 30, 'weld', 4, ['r11', 'r12']),
      routing('r21', 'j2', 10, 'laser', 5, [], 'SS304-16GA'),
      routing('r22', 'j2', 20, 'weld', 6, ['r21']),
      routing('r31', 'j3', 10, 'laser', 1, [], 'CRS-14GA'),
      routing('r32', 'j3', 20, 'welding-robot', 1, ['r31']),
    ],
    slots: [
      {
        routingId: 'r21',
        workCenterId: 'LASER-02',
        plannedStart: new Date('2026-11-23T04:00:00Z'),
        plannedEnd: new Date('2026-11-23T07:30:00Z'),
        status: 'in_progress',
      },
      {
        routingId: 'r11',
        workCenterId: 'LASER-01',
        plannedStart: new Date('2026-11-23T06:00:00Z'),
        plannedEnd: new Date('2026-11-23T07:00:00Z'),
        status: 'scheduled',
      },
      {
        routingId: 'r31',
        workCenterId: 'LASER-01',
        plannedStart: new Date('2026-11-25T06:00:00Z'),
        plannedEnd: new Date('2026-11-25T07:00:00Z'),
        status: 'scheduled',
      },
    ],
  };
}

const options = {
  objective: 'weighted_tardiness' as const,
  t0: T0,
  calendarDays: 28,
  frozenMinutes: 240,
  timeZone: 'UTC',
};

describe('building the solver problem from the shop', () => {
  it('maps steps to operations with eligible centers, efficiency, setups, weights and calendars', () => {
    const built = buildProblem(snapshot(), options);
    const { problem } = built;
    expect(built.skipped).toEqual([{ routingId: 'r32', reason: 'no active work center of type welding-robot' }]);
    const op = (routing: string) => problem.operations[built.routingOf.indexOf(routing)]!;
    // laser run 3 min x 10 = 30 working minutes, stretched by efficiency 0.8 on LASER-01
    // frozen: keeps only its center, and its block includes its setup (38 + 20)
    expect(op('r11').modes).toEqual([{ resource: 0, duration: 58 }]);
    expect(op('r12').modes.map((m) => m.duration)).toEqual([25, 20]);
    // a step without a setup category carries its own setup minutes in its duration
    expect(op('r13').modes).toEqual([{ resource: 2, duration: 80 + 20 }]);
    expect(op('r13').predecessors.sort()).toEqual(
      [built.routingOf.indexOf('r11'), built.routingOf.indexOf('r12')].sort(),
    );
    expect(problem.jobs.map((j) => [j.id, j.weight])).toEqual([
      ['J-1', 8],
      ['J-2', 2],
      ['J-3', 1],
    ]);
    expect(problem.jobs[0]!.due).toBe(33 * 60); // Tue 14:00 is 33 h after Mon 05:00
    // first shift Monday 06:00-14:30 = minutes 60..570 from t0; Thursday is a holiday
    expect(problem.resources[0]!.calendar!.slice(0, 3)).toEqual([
      [60, 570],
      [1500, 2010],
      [2940, 3450],
    ]);
    expect(problem.resources[0]!.calendar![3]).toEqual([5820, 6330]); // Friday
    expect(problem.resources[0]!.initialSetup).toBe(problem.setupCategories.indexOf('SS304-16GA'));
    expect(
      problem.setupTimes.matrix![problem.setupCategories.indexOf('SS304-16GA')]![
        problem.setupCategories.indexOf('CRS-14GA')
      ],
    ).toBe(20);
  });

  it('fixes in-progress work from now and frozen-window work where it is, re-plans the rest', () => {
    const built = buildProblem(snapshot(), options);
    const fixedBy = new Map(built.problem.fixed.map((f) => [built.routingOf[f.operation], f]));
    expect(fixedBy.get('r21')).toEqual({ operation: built.routingOf.indexOf('r21'), resource: 1, start: 60 });
    expect(built.problem.operations[built.routingOf.indexOf('r21')]!.modes).toEqual([{ resource: 1, duration: 90 }]); // 06:00-07:30 of working time left
    expect(fixedBy.get('r11')).toMatchObject({ resource: 0, start: 60 });
    expect(fixedBy.has('r31')).toBe(false); // outside the 4 h frozen window
  });

  it('gives the solver a problem whose plan passes the validator, keeping fixed work', async () => {
    const built = buildProblem(snapshot(), options);
    const result = await solve(built.problem, { timeLimitMs: 300, seed: 1 });
    const verdict = validate(built.problem, result.schedule);
    expect(verdict.violations).toEqual([]);
    const r11 = result.schedule.operations[built.routingOf.indexOf('r11')]!;
    expect([r11.resource, r11.start]).toEqual([0, 60]);
  });

  it('holds a job until its nests are posted, and ignores a release already past', async () => {
    const s = snapshot();
    s.jobs[2]!.releaseAt = new Date('2026-11-24T10:00:00Z'); // J-3: nests posted Tuesday 10:00
    s.jobs[1]!.releaseAt = new Date('2026-11-20T10:00:00Z'); // J-2: posted last week
    const built = buildProblem(s, options);
    expect(built.problem.jobs.map((j) => [j.id, j.release])).toEqual([
      ['J-1', 0],
      ['J-2', 0],
      ['J-3', 29 * 60],
    ]);
    const result = await solve(built.problem, { timeLimitMs: 300, seed: 1 });
    expect(validate(built.problem, result.schedule).violations).toEqual([]);
    expect(result.schedule.operations[built.routingOf.indexOf('r31')]!.start).toBeGreaterThanOrEqual(29 * 60);
  });

  it('does not freeze a step whose predecessor is re-planned, so precedence can hold', () => {
    const snap = snapshot();
    // r13 (weld) is booked inside the frozen window but its laser steps are not fixed
    snap.slots.push({
      routingId: 'r13',
      workCenterId: 'WELD-01',
      plannedStart: new Date('2026-11-23T07:00:00Z'),
      plannedEnd: new Date('2026-11-23T08:00:00Z'),
      status: 'scheduled',
    });
    const built = buildProblem(snap, options);
    expect(built.problem.fixed.map((f) => built.routingOf[f.operation])).not.toContain('r13');
  });

  it('drops completed steps and their dependencies', () => {
    const snap = snapshot();
    snap.slots.push({
      routingId: 'r12',
      workCenterId: 'LASER-02',
      plannedStart: new Date(T0 - 7200_000),
      plannedEnd: new Date(T0 - 3600_000),
      status: 'complete',
    });
    const built = buildProblem(snap, options);
    expect(built.routingOf).not.toContain('r12');
    expect(built.problem.operations[built.routingOf.indexOf('r13')]!.predecessors).toEqual([
      built.routingOf.indexOf('r11'),
    ]);
  });
});
