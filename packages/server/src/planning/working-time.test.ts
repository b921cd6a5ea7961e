import { describe, expect, it } from 'vitest';
import { localToUtc } from '../platform/time-zone.js';
import { workingIntervals, type ShiftRule } from './working-time.js';

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const weekdays = (start: string, end: string): ShiftRule[] =>
  [0, 1, 2, 3, 4].map((dayOfWeek) => ({ dayOfWeek, startTime: start, endTime: end, isActive: true }));

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
      { dayOfWeek: 0, startTime: '06:00', endTime: '14:30', isActive: true },
      { dayOfWeek: 0, startTime: '14:30', endTime: '23:00', isActive: true },
      { dayOfWeek: 0, startTime: '23:00', endTime: '06:00', isActive: true },
      { dayOfWeek: 1, startTime: '06:00', endTime: '14:30', isActive: false },
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
        { dayOfWeek: 4, startTime: '06:00', endTime: '14:00', isActive: true },
        { dayOfWeek: 0, startTime: '06:00', endTime: '14:00', isActive: true },
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
});
