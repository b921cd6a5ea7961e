import { describe, expect, it } from 'vitest';
import { localToUtc } from '../platform/time-zone.js';
import { centerWorkingIntervals, shiftOccurrences, type ShiftRule } from './calendar-walk.js';

const workingIntervals = (...args: Parameters<typeof centerWorkingIntervals>) => centerWorkingIntervals(...args)!;

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const weekdays = (start: string, end: string): ShiftRule[] =>
  [0, 1, 2, 3, 4].map((dayOfWeek) => ({
    workCenterId: 'L1',
    dayOfWeek,
    startTime: start,
    endTime: end,
    isActive: true,
  }));

describe('working intervals from shifts and exceptions', () => {
  it('builds weekday shifts in UTC and skips weekends', () => {
    // Mon 2026-11-23 .. Mon 2026-11-30
    const ivs = workingIntervals(
      weekdays('06:00', '14:30'),
      [],
      'L1',
      Date.parse('2026-11-23T00:00Z'),
      Date.parse('2026-11-30T00:00Z'),
      'UTC',
    );
    expect(ivs).toHaveLength(5);
    expect(iso(ivs[0]![0])).toBe('2026-11-23T06:00');
    expect(iso(ivs[4]![1])).toBe('2026-11-27T14:30');
  });

  it('lets a night shift cross midnight and merges touching shifts', () => {
    const shifts: ShiftRule[] = [
      { workCenterId: 'L1', dayOfWeek: 0, startTime: '06:00', endTime: '14:30', isActive: true },
      { workCenterId: 'L1', dayOfWeek: 0, startTime: '14:30', endTime: '23:00', isActive: true },
      { workCenterId: 'L1', dayOfWeek: 0, startTime: '23:00', endTime: '06:00', isActive: true },
      { workCenterId: 'L1', dayOfWeek: 1, startTime: '06:00', endTime: '14:30', isActive: false },
    ];
    const ivs = workingIntervals(
      shifts,
      [],
      'L1',
      Date.parse('2026-11-23T00:00Z'),
      Date.parse('2026-11-25T00:00Z'),
      'UTC',
    );
    expect(ivs.map(([a, b]) => [iso(a), iso(b)])).toEqual([['2026-11-23T06:00', '2026-11-24T06:00']]);
  });

  it('removes plant-wide and own exceptions but not other centers', () => {
    const ex = [
      { workCenterId: null, exceptionDate: '2026-11-26', exceptionType: 'holiday' },
      { workCenterId: 'L2', exceptionDate: '2026-11-24', exceptionType: 'maintenance' },
      { workCenterId: 'L1', exceptionDate: '2026-11-25', exceptionType: 'maintenance' },
    ];
    const ivs = workingIntervals(
      weekdays('06:00', '14:00'),
      ex,
      'L1',
      Date.parse('2026-11-23T00:00Z'),
      Date.parse('2026-11-28T00:00Z'),
      'UTC',
    );
    expect(ivs.map(([a]) => iso(a).slice(0, 10))).toEqual(['2026-11-23', '2026-11-24', '2026-11-27']);
  });

  it('keeps local shift times across a daylight-saving change (America/Chicago, 2026-11-01)', () => {
    const ivs = workingIntervals(
      [
        { workCenterId: 'L1', dayOfWeek: 4, startTime: '06:00', endTime: '14:00', isActive: true },
        { workCenterId: 'L1', dayOfWeek: 0, startTime: '06:00', endTime: '14:00', isActive: true },
      ],
      [],
      'L1',
      Date.parse('2026-10-30T00:00Z'),
      Date.parse('2026-11-03T00:00Z'),
      'America/Chicago',
    );
    // CDT (UTC-5) on Friday Oct 30, CST (UTC-6) on Monday Nov 2: same wall clock, different UTC
    expect(ivs.map(([a, b]) => [iso(a), iso(b)])).toEqual([
      ['2026-10-30T11:00', '2026-10-30T19:00'],
      ['2026-11-02T12:00', '2026-11-02T20:00'],
    ]);
  });

  it('a night shift through the fall-back night lasts one hour longer', () => {
    // Saturday Oct 31 22:00 CDT to Sunday Nov 1 06:00 CST = 9 real hours
    const start = localToUtc(2026, 10, 31, 22 * 60, 'America/Chicago');
    const end = localToUtc(2026, 10, 31, 30 * 60, 'America/Chicago');
    expect((end - start) / 3_600_000).toBe(9);
    expect(localToUtc(2026, 3, 8, 150, 'America/Chicago')).toBe(Date.parse('2026-03-08T08:30Z'));
  });

  it('a night shift crossing 02:00 on spring forward is one hour shorter, breaks after the gap included', () => {
    // Saturday Mar 7 2026 22:00 CST to Sunday Mar 8 06:00 CDT = 7 real hours, less a 30 min break at 03:00
    const occ = shiftOccurrences(
      [
        {
          workCenterId: 'L1',
          dayOfWeek: 5,
          shiftNumber: 3,
          name: 'Night',
          startTime: '22:00',
          endTime: '06:00',
          isActive: true,
          breaks: [{ start: '03:00', end: '03:30' }],
        },
      ],
      [],
      'L1',
      Date.parse('2026-03-07T00:00Z'),
      Date.parse('2026-03-09T00:00Z'),
      'America/Chicago',
    );
    expect(occ).toHaveLength(1);
    expect([iso(occ[0]!.start), iso(occ[0]!.end)]).toEqual(['2026-03-08T04:00', '2026-03-08T11:00']);
    expect(occ[0]!.breaks.map(([a, b]) => [iso(a), iso(b)])).toEqual([['2026-03-08T08:00', '2026-03-08T08:30']]);
    expect(occ[0]!.workingMinutes).toBe(7 * 60 - 30);
  });

  it('a night shift crossing 02:00 on fall back is one hour longer, in working minutes too', () => {
    const rule: ShiftRule = {
      workCenterId: 'L1',
      dayOfWeek: 5,
      startTime: '22:00',
      endTime: '06:00',
      isActive: true,
      breaks: [{ start: '00:00', end: '00:30' }],
    };
    const from = Date.parse('2026-10-31T00:00Z');
    const to = Date.parse('2026-11-02T00:00Z');
    const [occ] = shiftOccurrences([rule], [], 'L1', from, to, 'America/Chicago');
    expect(occ!.workingMinutes).toBe(9 * 60 - 30);
    const ivs = workingIntervals([rule], [], 'L1', from, to, 'America/Chicago');
    expect(ivs.map(([a, b]) => [iso(a), iso(b)])).toEqual([
      ['2026-11-01T03:00', '2026-11-01T05:00'],
      ['2026-11-01T05:30', '2026-11-01T12:00'],
    ]);
  });

  it('cuts breaks out of working time: an 8.5 h shift with 60 min of breaks works 450 min', () => {
    const rule: ShiftRule = {
      workCenterId: 'L1',
      dayOfWeek: 0,
      startTime: '06:00',
      endTime: '14:30',
      isActive: true,
      breaks: [
        { start: '09:00', end: '09:15' },
        { start: '11:30', end: '12:00' },
        { start: '13:00', end: '13:15' },
      ],
    };
    const from = Date.parse('2026-11-23T00:00Z');
    const to = Date.parse('2026-11-24T00:00Z');
    const ivs = workingIntervals([rule], [], 'L1', from, to, 'UTC');
    expect(ivs.map(([a, b]) => [iso(a).slice(11), iso(b).slice(11)])).toEqual([
      ['06:00', '09:00'],
      ['09:15', '11:30'],
      ['12:00', '13:00'],
      ['13:15', '14:30'],
    ]);
    expect(ivs.reduce((s, [a, b]) => s + (b - a) / 60_000, 0)).toBe(450);
    expect(shiftOccurrences([rule], [], 'L1', from, to, 'UTC')[0]!.workingMinutes).toBe(450);
  });

  it('a night shift over midnight with a break after midnight; a holiday on its start date removes it', () => {
    const rule: ShiftRule = {
      workCenterId: 'L1',
      dayOfWeek: 0,
      startTime: '23:00',
      endTime: '06:00',
      isActive: true,
      breaks: [{ start: '02:00', end: '02:30' }],
    };
    const from = Date.parse('2026-11-23T00:00Z');
    const to = Date.parse('2026-12-01T00:00Z');
    const ivs = workingIntervals([rule], [], 'L1', from, to, 'UTC');
    expect(ivs.map(([a, b]) => [iso(a), iso(b)])).toEqual([
      ['2026-11-23T23:00', '2026-11-24T02:00'],
      ['2026-11-24T02:30', '2026-11-24T06:00'],
      ['2026-11-30T23:00', '2026-12-01T00:00'],
    ]);
    const holiday = [{ workCenterId: null, exceptionDate: '2026-11-23', exceptionType: 'holiday' }];
    expect(workingIntervals([rule], holiday, 'L1', from, to, 'UTC').map(([a]) => iso(a))).toEqual(['2026-11-30T23:00']);
  });

  it('a center without shift rules has no calendar (always open)', () => {
    expect(centerWorkingIntervals([], [], 'L1', 0, 1, 'UTC')).toBeNull();
  });
});
