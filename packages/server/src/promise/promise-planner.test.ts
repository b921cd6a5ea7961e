import { CalendarIndex } from '@kerf/solver';
import { describe, expect, it } from 'vitest';
import { CenterTimeline, type Booking } from './center-timeline.js';
import { justify } from './justification.js';
import { placeSteps, type PromiseStep } from './promise-planner.js';

const open = new CalendarIndex(null);
const booking = (start: number, end: number, jobNumber: string, priority = 3): Booking => ({
  start,
  end,
  jobNumber,
  priority,
});

// A (laser) and B (weld) in parallel, C (assembly) joins them.
const STEPS: PromiseStep[] = [
  { sequence: 10, operationCode: 'CUT', workCenterType: 'laser', setupMinutes: 0, runMinutes: 60, deps: [] },
  { sequence: 20, operationCode: 'WELD', workCenterType: 'weld', setupMinutes: 0, runMinutes: 30, deps: [] },
  { sequence: 30, operationCode: 'ASSY', workCenterType: 'assembly', setupMinutes: 0, runMinutes: 20, deps: [0, 1] },
];

const CENTERS: Array<[id: string, type: string]> = [
  ['LASER-01', 'laser'],
  ['WELD-01', 'weld'],
  ['WELD-02', 'weld'],
  ['ASSY-01', 'assembly'],
];

function floor(bookings: Record<string, Booking[]>) {
  const lines = new Map(CENTERS.map(([id]) => [id, new CenterTimeline(id, open, bookings[id] ?? [])]));
  const eligible = (s: PromiseStep) =>
    CENTERS.filter(([, type]) => type === s.workCenterType).map(([id]) => ({
      timeline: lines.get(id)!,
      efficiency: 1,
    }));
  return { lines, eligible };
}
const time = { iso: (m: number) => String(m), local: (m: number) => `t${m}` };

describe('promise placement', () => {
  it('fills gaps, takes the earliest-finishing center, and waits for both branches', () => {
    const f = floor({
      'LASER-01': [booking(0, 120, 'J-1')],
      'WELD-01': [booking(0, 500, 'J-2')],
      'ASSY-01': [booking(185, 200, 'J-3')],
    });
    const placed = placeSteps(STEPS, f.eligible);
    expect(placed.map((p) => [p.centerId, p.start, p.end])).toEqual([
      ['LASER-01', 120, 180],
      ['WELD-02', 0, 30],
      // ready at 180, but [180, 200) would run into J-3 at 185: after it.
      ['ASSY-01', 200, 220],
    ]);
  });

  it('names the step on the critical chain that waits longest, not a waiting side branch', () => {
    // The weld waits 50 minutes, but the laser branch decides: its wait is 120.
    const f = floor({
      'LASER-01': [booking(0, 120, 'J-1')],
      'WELD-01': [booking(0, 50, 'J-2')],
      'WELD-02': [booking(0, 50, 'J-4')],
    });
    const placed = placeSteps(STEPS, f.eligible);
    const j = justify(STEPS, placed, f.lines, time);
    expect(j.criticalPath).toEqual([10, 30]);
    expect(j.bottleneck).toMatchObject({
      sequence: 10,
      workCenterId: 'LASER-01',
      waitMinutes: 120,
      blockedBy: ['J-1'],
    });
    expect(j.text).toContain('Deciding step: 10 CUT on LASER-01');
  });

  it('says when nothing waits: the routing and calendars set the date', () => {
    const f = floor({});
    const j = justify(STEPS, placeSteps(STEPS, f.eligible), f.lines, time);
    expect(j.bottleneck).toBeNull();
    expect(j.text).toMatch(/No step waits for a booked work center/);
  });

  it('never splits a setup across a shift end and pauses the run outside working time', () => {
    // Shifts [0, 100) and [200, 300): a 30-minute setup cannot start at 80.
    const cal = new CalendarIndex([
      [0, 100],
      [200, 300],
    ]);
    const line = new CenterTimeline('LASER-01', cal, [booking(0, 80, 'J-1')]);
    expect(line.earliestFit(0, 30, 50)).toEqual({ setupStart: 200, start: 230, end: 280 });
    expect(line.earliestFit(0, 0, 50)).toEqual({ setupStart: 80, start: 80, end: 230 });
  });
});
