import { CalendarIndex } from '@kerf/solver';
import { describe, expect, it } from 'vitest';
import { ripple, type RippleSlot } from './ripple.js';

// Two work centers open 0-480 and 1440-1920 (two days of one shift)
const cal = new CalendarIndex([
  [0, 480],
  [1440, 1920],
]);
const calendarOf = () => cal;
const slot = (
  id: string,
  wc: string,
  start: number,
  work: number,
  dependsOn: string[] = [],
  movable = true,
): RippleSlot => ({
  id,
  routingId: `r-${id}`,
  jobId: 'j',
  workCenterId: wc,
  start,
  end: cal.endAfter(start, work),
  work,
  movable,
  dependsOn: dependsOn.map((d) => `r-${d}`),
});
const label = (s: RippleSlot) => s.id;

describe('ripple rescheduling of a manual move', () => {
  it('pushes overlapping work on the center and dependent steps, across the night', () => {
    const slots = [
      slot('A', 'L1', 0, 100),
      slot('B', 'L1', 100, 200),
      slot('C', 'L1', 300, 100),
      slot('W', 'W1', 400, 60, ['C']),
    ];
    const r = ripple(slots, 'A', { start: 150, workCenterId: 'L1' }, calendarOf, label);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const to = Object.fromEntries(r.retimed.map((x) => [x.id, [x.to.start, x.to.end]]));
    expect(to.A).toEqual([150, 250]);
    expect(to.B).toEqual([250, 450]);
    // C needs 100 working minutes after 450: 30 today, 70 tomorrow from 1440
    expect(to.C).toEqual([450, 1510]);
    expect(to.W).toEqual([1510, 1570]);
    expect(r.retimed.find((x) => x.id === 'W')!.reason).toBe('waits for C');
  });

  it('a pushed slot clears itself of earlier work it would land on', () => {
    const slots = [
      slot('A', 'L1', 0, 50),
      slot('B', 'L1', 200, 100),
      slot('X', 'L2', 0, 50),
      slot('D', 'L1', 100, 50, ['X']),
    ];
    // X moves to 150 on L2 -> D (after X) must start at 200 but B is there 200-300 -> D goes to 300
    const r = ripple(slots, 'X', { start: 150, workCenterId: 'L2' }, calendarOf, label);
    expect(r.ok && Object.fromEntries(r.retimed.map((x) => [x.id, x.to.start]))).toEqual({ X: 150, D: 300 });
  });

  it('refuses to push running work and to start before a predecessor ends', () => {
    const running = [slot('A', 'L1', 0, 100), slot('B', 'L1', 100, 100, [], false)];
    const r1 = ripple(running, 'A', { start: 50, workCenterId: 'L1' }, calendarOf, label);
    expect(r1).toMatchObject({ ok: false, slotId: 'B' });
    const chain = [slot('A', 'L1', 0, 100), slot('W', 'W1', 100, 50, ['A'])];
    const r2 = ripple(chain, 'W', { start: 50, workCenterId: 'W1' }, calendarOf, label);
    expect(r2).toMatchObject({ ok: false, slotId: 'W', message: 'W cannot start before A ends' });
  });

  it('changes nothing else when the target is free', () => {
    const slots = [slot('A', 'L1', 0, 100), slot('B', 'L1', 200, 100)];
    const r = ripple(slots, 'A', { start: 1440, workCenterId: 'L2' }, calendarOf, label);
    expect(r.ok && r.retimed.map((x) => x.id)).toEqual(['A']);
  });
});
