import { describe, expect, it } from 'vitest';
import { kpis, sumElements } from './kpis.js';
import { allocateNestTime } from './nest-allocation.js';
import { timeElements, type MachineState, type StateSpan } from './time-model.js';

// The hand-computed fixtures F-OEE-1 to 3 (one laser shift 06:00-14:30), to +-0.0005.
const T0 = Date.parse('2026-12-01T06:00:00Z');
const at = (min: number) => T0 + min * 60_000;
const MIN_2 = 2 * 60_000;
const MIN_5 = 5 * 60_000;

/** The shift's machine states in order: [minutes, state, an operation active]. */
function stream(parts: Array<[number, MachineState, boolean]>): StateSpan[] {
  let t = 0;
  return parts.map(([minutes, state, active]) => {
    const span = { start: at(t), end: at(t + minutes), state, active };
    t += minutes;
    return span;
  });
}

const SHIFT = [{ start: at(0), end: at(510) }];
// lunch 11:00-11:30, planned maintenance 13:00-13:20
const PLANNED = [
  { start: at(300), end: at(330), kind: 'break' as const },
  { start: at(420), end: at(440), kind: 'maintenance' as const },
];
const F1: Array<[number, MachineState, boolean]> = [
  [35, 'setup', true],
  [85, 'running', true],
  [25, 'alarm', true], // breakdown
  [65, 'running', true],
  [15, 'stopped', true], // no material
  [45, 'running', true],
  [1.5, 'stopped', true], // micro-stops: 4 x 1.5 min
  [8.5, 'running', true],
  [1.5, 'stopped', true],
  [8.5, 'running', true],
  [1.5, 'stopped', true],
  [8.5, 'running', true],
  [30, 'idle', false], // lunch
  [10, 'idle', true], // no operator
  [1.5, 'stopped', true],
  [78.5, 'running', true],
  [20, 'stopped', false], // planned maintenance
  [70, 'running', true],
];
const Q = { produced: 1200, good: 1164, scrap: 30, rework: 6, idealMinutes: 330 };

describe('OEE fixtures', () => {
  it('F-OEE-1: elements and KPIs of one laser shift, ISO and Vorne', () => {
    const e = timeElements({ shifts: SHIFT, plannedStops: PLANNED, states: stream(F1), microStopMs: MIN_2 });
    expect(e).toMatchObject({ pot: 510, pdot: 50, apmt: 20, pbt: 460, aust: 35, adet: 50, apt: 375, adot: 0 });
    expect(e.microStops).toBeCloseTo(6, 6);
    const iso = kpis(e, Q, 'iso', 1440);
    expect(iso.availability).toBeCloseTo(0.8152, 3);
    expect(iso.performance).toBeCloseTo(0.88, 3);
    expect(iso.quality).toBeCloseTo(0.97, 3);
    expect(iso.oee).toBeCloseTo(0.6959, 3);
    expect(iso.nee).toBeCloseTo(0.7608, 3);
    expect(iso.technicalEfficiency).toBeCloseTo(0.8824, 3);
    expect(iso.setupRatio).toBeCloseTo(0.0854, 3);
    expect(iso.teep).toBeCloseTo(0.2223, 3);
    expect(iso.suspectStandard).toBe(false);
    // a standard the machine beats by 10 % is wrong, not the operator brilliant
    expect(kpis(e, { ...Q, idealMinutes: 375 * 1.1 }, 'iso', 1440).suspectStandard).toBe(true);
    const vorne = kpis(e, Q, 'vorne', 1440);
    expect(vorne.availability).toBeCloseTo(375 / 480, 6);
    expect(vorne.oee).toBeCloseTo(0.6669, 3);
  });

  it('F-OEE-2: a 3-minute stop is an availability loss at a 2-minute threshold, a performance loss at 5', () => {
    const withStop = F1.slice(0, -1).concat([
      [30, 'running', true],
      [3, 'stopped', true],
      [37, 'running', true],
    ]);
    const two = timeElements({ shifts: SHIFT, plannedStops: PLANNED, states: stream(withStop), microStopMs: MIN_2 });
    expect(two).toMatchObject({ apt: 372, adet: 53, pbt: 460 });
    expect(kpis(two, Q, 'iso', 1440).availability).toBeCloseTo(372 / 460, 6);
    expect(kpis(two, Q, 'iso', 1440).performance).toBeCloseTo(330 / 372, 6);
    const five = timeElements({ shifts: SHIFT, plannedStops: PLANNED, states: stream(withStop), microStopMs: MIN_5 });
    expect(five).toMatchObject({ apt: 375, adet: 50 });
    expect(five.microStops).toBeCloseTo(9, 6);
  });

  it('F-OEE-3: one nest for three jobs shares its 25 minutes by ideal time; scrap on B changes only B', () => {
    const shares = allocateNestTime(
      [
        { jobId: 'A', parts: 20, idealMinutesPerPart: 0.3 },
        { jobId: 'B', parts: 12, idealMinutesPerPart: 0.5 },
        { jobId: 'C', parts: 8, idealMinutesPerPart: 1 },
      ],
      25,
    );
    expect(shares.get('A')).toBeCloseTo(7.5, 6);
    expect(shares.get('B')).toBeCloseTo(7.5, 6);
    expect(shares.get('C')).toBeCloseTo(10, 6);
    const job = (good: number, produced: number, ideal: number, actual: number) =>
      kpis(
        { ...timeElements({ shifts: [], plannedStops: [], states: [], microStopMs: MIN_2 }), apt: actual, pbt: actual },
        { produced, good, scrap: produced - good, rework: 0, idealMinutes: ideal },
        'iso',
        actual,
      );
    expect(job(12, 12, 6, 7.5).quality).toBe(1);
    expect(job(10, 12, 6, 7.5).quality).toBeCloseTo(10 / 12, 6);
    expect(job(20, 20, 6, 7.5).quality).toBe(1); // A untouched by B's scrap
    expect(job(20, 20, 6, 7.5).performance).toBeCloseTo(0.8, 6);
  });

  it('time outside shifts and without machine data: not in POT, and ADOT marked unknown', () => {
    const e = timeElements({
      shifts: SHIFT,
      plannedStops: [],
      states: [{ start: at(-60), end: at(100), state: 'running', active: true }],
      microStopMs: MIN_2,
    });
    expect(e).toMatchObject({ pot: 510, apt: 100, adot: 410, unknown: 410 });
  });

  it('department figures come from summed elements, not averaged percentages', () => {
    const a = timeElements({ shifts: SHIFT, plannedStops: PLANNED, states: stream(F1), microStopMs: MIN_2 });
    const idle = timeElements({
      shifts: [{ start: at(0), end: at(60) }],
      plannedStops: [],
      states: [],
      microStopMs: MIN_2,
    });
    const dept = sumElements([a, idle]);
    expect(dept.pbt).toBe(520);
    expect(kpis(dept, Q, 'iso', 2 * 1440).availability).toBeCloseTo(375 / 520, 6);
    // the mean of the two centers' availabilities (0.8152 and 0) would say 0.41
  });
});
