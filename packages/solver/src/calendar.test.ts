import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CalendarIndex } from './calendar.js';

describe('CalendarIndex', () => {
  const shifts = new CalendarIndex([
    [0, 480],
    [540, 960],
    [1320, 1800], // night shift across midnight (1440)
    [2000, 2001], // one-minute interval
    [2001, 2003], // touching: merged with the previous one
  ]);

  it('finds the next working instant', () => {
    expect(shifts.nextWorking(0)).toBe(0);
    expect(shifts.nextWorking(480)).toBe(540);
    expect(shifts.nextWorking(1000)).toBe(1320);
    expect(shifts.nextWorking(1439)).toBe(1439);
    expect(shifts.nextWorking(1900)).toBe(2000);
    expect(shifts.nextWorking(2003)).toBe(Infinity);
  });

  it('pauses processing outside working time', () => {
    expect(shifts.endAfter(0, 480)).toBe(480);
    expect(shifts.endAfter(400, 100)).toBe(560);
    expect(shifts.endAfter(900, 200)).toBe(1460); // 60 before, 140 into the night shift past midnight
    expect(shifts.endAfter(1790, 12)).toBe(2002);
    expect(shifts.endAfter(0, 480 + 420 + 480 + 3)).toBe(2003);
    expect(shifts.endAfter(0, 480 + 420 + 480 + 4)).toBe(Infinity);
    expect(shifts.endAfter(500, 0)).toBe(500);
  });

  it('counts working minutes between instants', () => {
    expect(shifts.workBetween(0, 2003)).toBe(480 + 420 + 480 + 3);
    expect(shifts.workBetween(470, 550)).toBe(20);
    expect(shifts.workBetween(1400, 1500)).toBe(100);
    expect(shifts.workBetween(500, 500)).toBe(0);
    expect(shifts.workBetween(960, 1320)).toBe(0);
  });

  it('fits a setup inside one interval followed by processing', () => {
    expect(shifts.setupStart(470, 20, 10)).toBe(540);
    expect(shifts.setupStart(450, 20, 10)).toBe(450);
    // setup would end exactly at the shift end with no room for processing: next shift
    expect(shifts.setupStart(460, 20, 10)).toBe(540);
    // a zero-duration operation may end its setup at the shift end
    expect(shifts.setupStart(460, 20, 0)).toBe(460);
    // tiny merged interval [2000,2003): setup of 2 plus processing fits, setup of 3 does not
    expect(shifts.setupStart(1900, 2, 5)).toBe(2000);
    expect(shifts.setupStart(1900, 3, 5)).toBe(Infinity);
    expect(shifts.setupStart(470, 0, 5)).toBe(470);
    expect(shifts.setupStart(480, 0, 5)).toBe(540);
  });

  it('reports spans inside a single interval', () => {
    expect(shifts.spanInside(0, 480)).toBe(true);
    expect(shifts.spanInside(470, 550)).toBe(false);
    expect(shifts.spanInside(2000, 2003)).toBe(true);
  });

  it('treats a null calendar as always open', () => {
    const open = new CalendarIndex(null);
    expect(open.endAfter(17, 5)).toBe(22);
    expect(open.nextWorking(99)).toBe(99);
    expect(open.workBetween(3, 10)).toBe(7);
    expect(open.setupStart(7, 9, 1)).toBe(7);
  });

  it('agrees with a minute-by-minute simulation', () => {
    const intervalsArb = fc
      .array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 6 })), { minLength: 1, maxLength: 6 })
      .map((gaps) => {
        const out: Array<[number, number]> = [];
        let t = 0;
        for (const [gap, len] of gaps) {
          t += gap;
          out.push([t, t + len]);
          t += len;
        }
        return out;
      });
    fc.assert(
      fc.property(intervalsArb, fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 20 }), (ivs, t, d) => {
        const cal = new CalendarIndex(ivs);
        const working = (x: number): boolean => ivs.some(([a, b]) => a <= x && x < b);
        // simulate end
        let x = t;
        let left = d;
        let end = d === 0 ? t : Infinity;
        while (left > 0 && x < 200) {
          if (working(x)) left--;
          x++;
          if (left === 0) end = x;
        }
        expect(cal.endAfter(t, d)).toBe(end);
        let count = 0;
        for (let y = t; y < t + d; y++) if (working(y)) count++;
        expect(cal.workBetween(t, t + d)).toBe(count);
      }),
      { numRuns: 300 },
    );
  });
});
