/**
 * Shop time zone arithmetic of the web app (pure functions, no browser): formatting, local
 * midnights and weeks, and shift calendars across the 2026 daylight-saving change in Chicago.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { addDays, fmt, fromLocalInput, localToUtc, mondayOf, offsetMinutes, setShopZone } from '../src/format';
import { nonWorkingTime, workingTime } from '../src/pages/planner/calendar';
import type { Shift } from '../src/api/types';

const shift = (dayOfWeek: number, startTime: string, endTime: string): Shift => ({
  id: `s${dayOfWeek}${startTime}`,
  name: 'day',
  workCenterId: 'LASER-1',
  dayOfWeek,
  shiftNumber: 1,
  startTime,
  endTime,
  isActive: true,
});
const iso = (ms: number) => new Date(ms).toISOString();

describe('shop time zone', () => {
  afterAll(() => setShopZone('UTC'));

  it('formats instants in the shop zone, with daylight saving', () => {
    setShopZone('America/Chicago');
    expect(fmt('2026-07-01T12:00:00Z')).toBe('2026-07-01 07:00'); // CDT, UTC-5
    expect(fmt('2026-12-01T12:00:00Z')).toBe('2026-12-01 06:00'); // CST, UTC-6
    expect(offsetMinutes(Date.parse('2026-07-01T12:00:00Z'))).toBe(-300);
    expect(fmt(null)).toBe('—');
    setShopZone('UTC');
    expect(fmt('2026-07-01T12:00:00Z')).toBe('2026-07-01 12:00');
  });

  it('turns wall-clock times into instants around the autumn change (2026-11-01 02:00 CDT -> 01:00 CST)', () => {
    setShopZone('America/Chicago');
    expect(iso(localToUtc(2026, 10, 31, 6 * 60))).toBe('2026-10-31T11:00:00.000Z');
    expect(iso(localToUtc(2026, 11, 2, 6 * 60))).toBe('2026-11-02T12:00:00.000Z');
    // the repeated hour takes its first occurrence
    expect(iso(localToUtc(2026, 11, 1, 90))).toBe('2026-11-01T06:30:00.000Z');
    // a spring-forward gap (2026-03-08 02:30 does not exist) lands after it
    expect(iso(localToUtc(2026, 3, 8, 150))).toBe('2026-03-08T08:30:00.000Z');
    expect(fromLocalInput('2026-12-24T16:30')).toBe('2026-12-24T22:30:00.000Z');
  });

  it('finds Monday midnight and adds calendar days, not 24-hour blocks', () => {
    setShopZone('America/Chicago');
    // Wednesday 2026-11-04 03:00 UTC is Tuesday evening in Chicago: the week starts Monday 2 November.
    const monday = mondayOf(new Date('2026-11-04T03:00:00Z'));
    expect(iso(monday.getTime())).toBe('2026-11-02T06:00:00.000Z');
    // the week before has 169 hours (the autumn change): its Monday midnight is still at local 00:00
    expect(iso(addDays(monday, -7).getTime())).toBe('2026-10-26T05:00:00.000Z');
  });

  it('shades shifts as shop wall-clock times on both sides of the change', () => {
    setShopZone('America/Chicago');
    const shifts = [0, 1, 2, 3, 4, 5, 6].map((d) => shift(d, '06:00:00', '14:30:00'));
    const from = Date.parse('2026-10-30T00:00:00Z');
    const to = Date.parse('2026-11-03T00:00:00Z');
    const closed = new Set(['2026-11-01']); // a Sunday holiday in the shop's calendar
    const work = workingTime(shifts, closed, from, to).map((i) => [iso(i.start), iso(i.end)]);
    expect(work).toEqual([
      ['2026-10-30T11:00:00.000Z', '2026-10-30T19:30:00.000Z'], // Friday, CDT
      ['2026-10-31T11:00:00.000Z', '2026-10-31T19:30:00.000Z'], // Saturday, CDT
      ['2026-11-02T12:00:00.000Z', '2026-11-02T20:30:00.000Z'], // Monday, CST
    ]);
    const gaps = nonWorkingTime(shifts, closed, from, to);
    expect(gaps[0]).toEqual({ start: from, end: Date.parse('2026-10-30T11:00:00Z') });
  });

  it('keeps a night shift that starts the day before the window', () => {
    setShopZone('Europe/Berlin');
    const night = [shift(0, '22:00:00', '06:00:00')]; // Monday 22:00 to Tuesday 06:00
    const from = Date.parse('2026-11-03T00:00:00Z'); // Tuesday 01:00 in Berlin
    const to = Date.parse('2026-11-03T12:00:00Z');
    expect(workingTime(night, new Set(), from, to).map((i) => [iso(i.start), iso(i.end)])).toEqual([
      ['2026-11-03T00:00:00.000Z', '2026-11-03T05:00:00.000Z'],
    ]);
  });
});
